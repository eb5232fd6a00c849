import type { EmailAddressFull, EmailAddressInsert } from '../../db/repositories/email-address.repository.js';
import { AppError } from '../../domain/errors.js';
import { type AddressHealth, type HealthEvent, nextHealth } from '../../domain/mailbox/address-health.js';
import { decodeHealth } from '../../domain/mailbox/address-health-codec.js';
import type { AddressInput, AddressState } from './email-address-input.js';

/** What an address save writes to its row: the settings columns and the health after an update. */

/**
 * Health after a settings change, through the typed transitions (M50): a passing test of
 * changed settings lifts a pause, disabling remembers the health it had, and enabling an
 * address whose access/project list was emptied needs that list stated again (the request
 * states it when it carries `access` / `projectIds`).
 */
export function healthAfterUpdate(
  row: EmailAddressFull,
  input: AddressInput,
  change: { verified: boolean; active: boolean | null },
  at: string,
): AddressHealth {
  let health = decodeHealth(row.health, row.healthDetail);
  const events: HealthEvent[] = [];
  const r = health.restriction;
  if (r && (r.code === 'access_list_emptied' ? input.access !== undefined : input.projectIds !== undefined))
    events.push({ type: 'restriction_restated', at });
  if (change.verified) events.push({ type: 'settings_verified', at });
  if (change.active !== null) events.push({ type: change.active ? 'enabled' : 'disabled', at });
  for (const event of events) {
    const t = nextHealth(health, event);
    if (!t.ok) {
      throw new AppError('RESTRICTION_REVIEW_REQUIRED', {
        params: { reason: t.restriction.code },
        details: { reason: t.restriction.code },
      });
    }
    health = t.health;
  }
  return health;
}

/** The settings columns of an address row, from the merged input state. */
export const addressColumns = (
  s: AddressState,
): Omit<EmailAddressInsert, 'workspaceId' | 'scope' | 'login'> & { login: string } => ({
  email: s.email,
  displayName: s.displayName,
  replyTo: s.replyTo,
  signatureHtml: s.signatureHtml,
  signatureText: s.signatureText,
  presetId: s.presetId,
  login: s.login,
  smtpHost: s.smtp.host,
  smtpPort: s.smtp.port,
  smtpSecurity: s.smtp.security,
  smtpPinnedCert: s.smtp.pinnedCert,
  incomingProtocol: s.incoming.protocol,
  incomingHost: s.incoming.host,
  incomingPort: s.incoming.port,
  incomingSecurity: s.incoming.security,
  incomingPinnedCert: s.incoming.pinnedCert,
  collectReplies: s.options.collectReplies,
  leaveOnServer: s.options.leaveOnServer,
  deleteAfterDays: s.options.deleteAfterDays,
  createTasksFromNewMail: s.options.createTasksFromNewMail,
  newMailProjectId: s.options.newMailProjectId,
  bccSelf: s.options.bccSelf,
  active: s.active,
});
