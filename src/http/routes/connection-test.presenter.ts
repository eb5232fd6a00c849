import type { CatalogueEntry } from '../../domain/catalogue/catalogue-entry.js';
import { getEntry } from '../../domain/catalogue/index.js';
import type { DirectionResult } from '../../services/mailbox/test-connection.js';
import type { Lang } from '../i18n/language.js';
import type { StepInfo } from '../schemas/connection-test.schema.js';

/** A catalogue entry in one language, as shown next to a failure (M19, M43). */
export function presentEntry(e: CatalogueEntry, lang: Lang) {
  return {
    id: e.id,
    title: e.title[lang],
    cause: e.cause[lang],
    userAction: e.userAction[lang],
    adminAction: e.adminAction[lang],
    retryable: e.retryable,
    pausesAddress: e.pausesAddress,
    helpUrl: e.helpUrl ?? null,
  };
}

const diagnosisOf = (d: { entryId: string } | undefined, lang: Lang) => {
  const entry = d ? getEntry(d.entryId) : undefined;
  return entry ? presentEntry(entry, lang) : null;
};

/** A step's facts as the schema declares them (StepInfoView): scalars and lists of strings. */
function stepInfo(info: Record<string, unknown>): StepInfo {
  const out: StepInfo = {};
  for (const [k, v] of Object.entries(info)) {
    if (v === undefined) continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
    else out[k] = JSON.stringify(v);
  }
  return out;
}

const PROTOCOL_REPLY = {
  smtp: /^[2-5]\d\d[ -]/,
  pop3: /^[+-](OK|ERR)\b/,
  imap: /^\* (OK|NO|BAD|BYE|PREAUTH)\b/,
} as const;

/**
 * What the UI gets of one direction of a test: steps with outcome, timing, the server's
 * sanitised reply and a diagnosis. Internal detail (which policy rule refused, stack text)
 * stays out: a refused target looks the same whatever the reason (SECURITY §1.2 item 8).
 */
export function presentDirection(r: DirectionResult, lang: Lang) {
  // A reply is shown only once the peer proved to be a mail server (SECURITY §1.2 item 8):
  // after a successful greeting, or a greeting that is itself a well-formed protocol reply.
  const greeted = r.steps.some((s) => s.id === 'greeting' && s.outcome === 'ok');
  const showReply = (s: DirectionResult['steps'][number]) =>
    s.failure?.kind !== 'policy' &&
    (greeted || (s.id === 'greeting' && PROTOCOL_REPLY[r.protocol].test(s.reply ?? '')));
  return {
    ok: r.ok,
    protocol: r.protocol,
    steps: r.steps.map((s) => ({
      // A host refused by the network policy is its own step, not a DNS failure (issue 8).
      id: s.failure?.kind === 'policy' ? ('address_allowed' as const) : s.id,
      outcome: s.outcome,
      durationMs: s.durationMs,
      reply: showReply(s) ? (s.reply ?? null) : null,
      info: s.failure?.kind === 'policy' || !s.info ? null : stepInfo(s.info),
      failure: s.failure
        ? {
            kind: s.failure.kind,
            code: s.failure.kind === 'policy' ? null : (s.failure.code ?? null),
            responseCode: s.failure.responseCode ?? null,
            enhancedCode: s.failure.enhancedCode ?? null,
            certificateProblem: s.failure.certificateProblem ?? null,
          }
        : null,
      diagnosis: s.outcome === 'failed' ? diagnosisOf(s.diagnosis, lang) : null,
    })),
    certificate: r.certificate ?? null,
    diagnosis: diagnosisOf(r.diagnosis, lang),
  };
}
