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
  /** Ids a sending service put in place of ours (`serverAssignedIds`), in the order of `messageIds`. */
  serverIds: string[];
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
  return {
    messageIds,
    tokens: [...tokens],
    serverIds: serverAssignedIds(messageIds),
    subjectKey: subjectKey(input.subject),
  };
}

/**
 * Message-IDs a sending service wrote in place of ours: Amazon SES replaces every Message-ID
 * with `<…@{region}.amazonses.com>` (`email` in us-east-1), so the recipient's reply and the
 * bounce's returned copy name only that id. The outbox keeps it as the queue id (nodemailer
 * reads it from SES's `250 Ok …` reply). Microsoft 365 keeps ours, and its users' own ids
 * (`…prod.outlook.com`) fill thread headers: looking those up would only cost queries.
 */
const SERVER_ASSIGNED = /@(?:[a-z0-9-]{1,63}\.){1,4}amazonses\.com>$/i;

export function serverAssignedIds(ids: readonly string[]): string[] {
  return ids.filter((id) => SERVER_ASSIGNED.test(id)).slice(0, 20);
}

const PREFIX =
  /^\s*(?:(?:re|odp|odp\.|aw|sv|antw|fw|fwd|pd|prz|przek|tr|wg|rv|r|vs)\s*(?:(?:\[\d+\]|\(\d+\))\s*)?:|\[[^\]]{0,40}\])\s*/i;

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
