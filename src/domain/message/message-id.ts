/**
 * Our outgoing Message-IDs (M30, M38): `<mr.{threadToken}.{random}@{ascii domain}>`. The thread
 * token names the task, so a reply whose mail program dropped In-Reply-To/References can still
 * be matched by any of our ids it quotes; the random part makes each email's id unique and
 * unguessable. Both parts are lower-case base32 (a–z, 2–7): safe in any header, any case-folding.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN_LENGTH = 16;
const ID_PATTERN = /^<mr\.([a-z2-7]{16})\.([a-z2-7]{16})@([a-z0-9.-]{1,253})>$/;

/** `length` base32 characters from a random source (`randomBytes` in production). */
export function base32Token(randomBytes: (n: number) => Uint8Array, length = TOKEN_LENGTH): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) & 31];
  return out;
}

/** A new task's thread token (80 random bits). */
export function newThreadToken(randomBytes: (n: number) => Uint8Array): string {
  return base32Token(randomBytes);
}

/** The Message-ID of one outgoing email of the task with `threadToken`, on the sender's domain. */
export function outgoingMessageId(
  threadToken: string,
  asciiDomain: string,
  randomBytes: (n: number) => Uint8Array,
): string {
  if (!/^[a-z2-7]{16}$/.test(threadToken)) throw new Error('Invalid thread token');
  const domain = asciiDomain.toLowerCase();
  if (!/^[a-z0-9.-]{1,253}$/.test(domain)) throw new Error('Message-ID domain must be ASCII (punycode)');
  return `<mr.${threadToken}.${base32Token(randomBytes)}@${domain}>`;
}

/** The thread token inside one of our Message-IDs (case-insensitive), or null for any other id. */
export function threadTokenOf(messageId: string): string | null {
  const match = ID_PATTERN.exec(messageId.trim().toLowerCase());
  return match?.[1] ?? null;
}
