import type { MailAuth, MailProtocol } from '../../domain/mailbox/connection.js';
import {
  type CertificateInfo,
  type MailFailure,
  redactSecrets,
  sanitizeServerText,
} from '../../domain/mailbox/mail-failure.js';
import type { ProbeResult, ProbeStep, ProbeStepId } from '../../domain/mailbox/probe.js';

/**
 * Collects the ordered steps of one probe (M18). Steps are planned up front so the result
 * always lists every step: the ones never reached are `skipped`. Every server text passes
 * through `clean` (credentials redacted, then sanitised) before it is stored.
 */
export class ProbeRecorder {
  private readonly steps = new Map<ProbeStepId, ProbeStep>();

  constructor(
    private readonly protocol: MailProtocol,
    private readonly plan: readonly ProbeStepId[],
    private readonly secrets: readonly string[],
  ) {}

  /** Credentials redacted (raw and base64 forms), then control/bidi characters stripped and capped. */
  clean(text: string): string {
    return sanitizeServerText(redactSecrets(text, this.secrets));
  }

  has(id: ProbeStepId): boolean {
    return this.steps.has(id);
  }

  ok(
    id: ProbeStepId,
    startedAt: number,
    extra: { reply?: string; info?: Record<string, unknown>; endedAt?: number } = {},
  ): void {
    const step: ProbeStep = { id, outcome: 'ok', durationMs: duration(startedAt, extra.endedAt) };
    if (extra.reply !== undefined) step.reply = this.clean(extra.reply);
    if (extra.info !== undefined) step.info = extra.info;
    this.steps.set(id, step);
  }

  fail(
    id: ProbeStepId,
    startedAt: number,
    failure: MailFailure,
    extra: { reply?: string; info?: Record<string, unknown>; endedAt?: number } = {},
  ): void {
    const cleaned: MailFailure = { ...failure, step: failure.step ?? id };
    if (cleaned.response !== undefined) cleaned.response = this.clean(cleaned.response);
    if (cleaned.detail !== undefined) cleaned.detail = this.clean(cleaned.detail);
    const step: ProbeStep = {
      id,
      outcome: 'failed',
      durationMs: duration(startedAt, extra.endedAt),
      failure: cleaned,
    };
    const reply = extra.reply ?? failure.response;
    if (reply !== undefined) step.reply = this.clean(reply);
    if (extra.info !== undefined) step.info = extra.info;
    this.steps.set(id, step);
  }

  /** The failure recorded so far, if any (first in plan order). */
  firstFailure(): MailFailure | undefined {
    for (const id of this.plan) {
      const step = this.steps.get(id);
      if (step?.outcome === 'failed') return step.failure;
    }
    return undefined;
  }

  result(certificate?: CertificateInfo): ProbeResult {
    const steps = this.plan.map(
      (id): ProbeStep => this.steps.get(id) ?? { id, outcome: 'skipped', durationMs: 0 },
    );
    const failure = this.firstFailure();
    const ok = failure === undefined && steps.every((s) => s.outcome === 'ok');
    const result: ProbeResult = { ok, protocol: this.protocol, steps };
    if (certificate) result.certificate = certificate;
    if (failure) result.failure = failure;
    else if (!ok) {
      // Defensive: a step neither ok nor failed means the probe stopped without saying why.
      result.failure = { kind: 'protocol', protocol: this.protocol, detail: 'probe ended early' };
    }
    return result;
  }
}

function duration(startedAt: number, endedAt = Date.now()): number {
  return Math.max(0, Math.round(endedAt - startedAt));
}

/** Every form of the credentials that can appear on the wire (PLAIN, LOGIN, XOAUTH2), for redaction. */
export function probeSecretsOf(auth: MailAuth): string[] {
  if (auth.type === 'password') return [auth.pass, `\u0000${auth.user}\u0000${auth.pass}`];
  return [auth.accessToken, `user=${auth.user}\x01auth=Bearer ${auth.accessToken}\x01\x01`];
}
