import type { Static } from 'typebox';
import type { EmailAddressFull } from '../../db/repositories/email-address.repository.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import type { AddressHealth } from '../../domain/mailbox/address-health.js';
import { decodeHealth } from '../../domain/mailbox/address-health-codec.js';
import { EmailAddress, type HealthDetail } from '../schemas/email-address.schema.js';

export { EmailAddress };

/**
 * What the lists and the status tooltip show about health (M50): flat facts, present only when
 * they say something. The stored state (AddressHealth) stays an internal shape.
 */
function presentHealthDetail(h: AddressHealth): Static<typeof HealthDetail> | null {
  const shown = h.status === 'disabled' ? h.previous : h;
  const problem = shown?.problem ?? null;
  const failures = h.status === 'disabled' ? 0 : Math.max(h.streak.send, h.streak.receive);
  const out: Static<typeof HealthDetail> = {
    ...(h.status !== 'ok' && h.since ? { since: h.since } : {}),
    ...(failures > 0 ? { failures } : {}),
    ...(problem
      ? {
          direction: problem.direction,
          reason: problem.summary,
          ...(problem.reply ? { reply: problem.reply } : {}),
          ...(problem.catalogueId ? { catalogueId: problem.catalogueId } : {}),
        }
      : {}),
    ...(h.status === 'disabled' && h.previous && h.previous.status !== 'ok'
      ? { previousStatus: h.previous.status }
      : {}),
    ...(h.restriction
      ? { code: h.restriction.code, removed: h.restriction.removed, removedKind: h.restriction.removedKind }
      : {}),
  };
  return Object.keys(out).length > 0 ? out : null;
}

/** Presenter: what an address looks like outside; the encrypted password never leaves (M51). */
export function presentAddress(r: EmailAddressFull) {
  const parsed = parseEmailAddress(r.email);
  return {
    id: r.id,
    scope: r.scope,
    ownerEmployeeId: r.ownerEmployeeId,
    email: r.email,
    emailAscii: parsed.ok ? parsed.ascii : r.email,
    displayName: r.displayName,
    replyTo: r.replyTo,
    signatureHtml: r.signatureHtml,
    signatureText: r.signatureText,
    presetId: r.presetId,
    login: r.login,
    authType: r.authType,
    passwordSet: r.passwordEnc !== null,
    smtp: {
      host: r.smtpHost,
      port: r.smtpPort,
      security: r.smtpSecurity,
      pinnedCertSha256: r.smtpPinnedCert?.sha256 ?? null,
    },
    incoming: {
      protocol: r.incomingProtocol,
      host: r.incomingHost,
      port: r.incomingPort,
      security: r.incomingSecurity,
      pinnedCertSha256: r.incomingPinnedCert?.sha256 ?? null,
    },
    options: {
      collectReplies: r.collectReplies,
      leaveOnServer: r.leaveOnServer,
      deleteAfterDays: r.deleteAfterDays,
      createTasksFromNewMail: r.createTasksFromNewMail,
      newMailProjectId: r.newMailProjectId,
      bccSelf: r.bccSelf,
    },
    projectIds: r.projectIds,
    access: { employeeIds: r.accessEmployeeIds, groupIds: r.accessGroupIds },
    active: r.active,
    health: r.health,
    healthDetail: presentHealthDetail(decodeHealth(r.health, r.healthDetail)),
    lastTestOkAt: r.lastTestOkAt ? r.lastTestOkAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
