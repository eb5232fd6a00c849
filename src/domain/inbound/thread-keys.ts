import { threadTokenOf } from '../message/message-id.js';

/**
 * What a received message offers for finding its task (M38), in the order we trust it:
 * our Message-IDs named in In-Reply-To/References, then our thread token anywhere in those
 * headers (a client that rewrote or truncated ids), then (opt-in) subject + sender.
 */
export interface ThreadKeys {
  /** In-Reply-To first, then References newest first: the most direct parent wins. */
  messageIds: string[];
  /** Thread tokens of our ids found anywhere in those headers (lower-case, deduplicated). */
  tokens: string[];
  /** The subject without reply/forward prefixes and tags, lower-cased. */
  subjectKey: string;
}

const TOKEN_ANYWHERE = /\bmr\.([a-z2-7]{16})\./gi;

export function threadKeys(input: {
  inReplyTo: readonly string[];
  references: readonly string[];
  rawThreadHeaders?: string;
  subject: string;
}): ThreadKeys {
  const ids = [...input.inReplyTo, ...[...input.references].reverse()];
  const messageIds = [...new Set(ids.map((i) => i.toLowerCase()))].slice(0, 100);
  const tokens = new Set<string>();
  for (const id of messageIds) {
    const token = threadTokenOf(id);
    if (token) tokens.add(token);
  }
  const raw = `${ids.join(' ')} ${input.rawThreadHeaders ?? ''}`.slice(0, 100_000);
  for (const m of raw.matchAll(TOKEN_ANYWHERE)) {
    tokens.add(m[1]!.toLowerCase());
    if (tokens.size >= 20) break;
  }
  return { messageIds, tokens: [...tokens], subjectKey: subjectKey(input.subject) };
}

const PREFIX =
  /^\s*(?:(?:re|odp|odp\.|aw|sv|antw|fw|fwd|pd|prz|przek|tr|wg|rv|r|vs)\s*(?:\[\d+\]|\(\d+\))?\s*:|\[[^\]]{0,40}\])\s*/i;

/** `RE: Odp: [EXTERNAL] Fwd:  Oferta  ` → `oferta`. */
export function subjectKey(subject: string): string {
  let s = subject.slice(0, 500).normalize('NFC');
  for (let i = 0; i < 200; i++) {
    const next = s.replace(PREFIX, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}
