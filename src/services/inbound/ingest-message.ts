import { createHash } from 'node:crypto';
import type { InboundRepository } from '../../db/repositories/inbound.repository.js';
import {
  TEST_EMAIL_HEADER,
  TEST_EMAIL_RECOGNISED_MS,
  testEmailIdIn,
} from '../../domain/mailbox/test-email.js';

/** The facts the store needs from raw bytes, read without parsing MIME (that is `reading`'s job). */
export interface RawFacts {
  sha256: string;
  messageId: string | null;
  /**
   * The test-email id its `X-Mailroom-Test` names (M23), or null. Anybody can write that header:
   * the message is skipped as ours only when the id is one of the address's recent test emails
   * (`ownTestIds`).
   */
  testId: string | null;
}

/** Headers beyond this are not looked at here: a header block this long is hostile anyway. */
const MAX_HEADER_SCAN = 256 * 1024;
const MAX_MESSAGE_ID = 998;

/** The header block (up to the first empty line), decoded as latin1 so no byte is lost or throws. */
function headerBlock(raw: Buffer): string {
  const end = Math.min(raw.length, MAX_HEADER_SCAN);
  const slice = raw.subarray(0, end);
  let cut = slice.indexOf('\r\n\r\n');
  if (cut < 0) cut = slice.indexOf('\n\n');
  return slice.subarray(0, cut < 0 ? end : cut).toString('latin1');
}

/** Unfolded value of the first header called `name` (case-insensitive), or null. */
function headerValue(block: string, name: string): string | null {
  const lines = block.split(/\r?\n/);
  const lower = `${name.toLowerCase()}:`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.toLowerCase().startsWith(lower)) continue;
    let value = line.slice(lower.length);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1] as string))
      value += ` ${(lines[++i] as string).trim()}`;
    return value.trim();
  }
  return null;
}

export function readRawFacts(raw: Buffer): RawFacts {
  const block = headerBlock(raw);
  const id = headerValue(block, 'Message-ID');
  const bracketed = id?.match(/<[^<>\s]{1,990}>/)?.[0] ?? null;
  return {
    sha256: createHash('sha256').update(raw).digest('hex'),
    messageId: bracketed ? bracketed.slice(0, MAX_MESSAGE_ID) : null,
    testId: testEmailIdIn(headerValue(block, TEST_EMAIL_HEADER)),
  };
}

/** Which messages' test ids are this address's recent test emails: those are recorded and skipped. */
export async function ownTestIds(
  inbound: Pick<InboundRepository, 'ownTestEmails'>,
  target: { workspaceId: string; addressId: string },
  facts: readonly RawFacts[],
  now: Date,
): Promise<Set<string>> {
  const ids = facts.flatMap((f) => (f.testId ? [f.testId] : []));
  if (ids.length === 0) return new Set();
  const since = new Date(now.getTime() - TEST_EMAIL_RECOGNISED_MS);
  return inbound.ownTestEmails(target.workspaceId, target.addressId, ids, since);
}

/** Keys of ids seen but not imported (`mailbox_known_uids.key`). */
export const knownKey = {
  uid: (uid: string) => `uid:${uid}`,
  sha: (hex: string) => `sha256:${hex}`,
  /**
   * A POP3 message without a usable UIDL set aside for outgrowing its listed size: its header
   * section's digest and that size (decision 0003, "Set aside without an id").
   */
  outgrown: (headerSha256: string, listed: number) => `outgrown:${listed}:${headerSha256}`,
};

/** The listed sizes of the `knownKey.outgrown` keys among `keys`. */
export function outgrownSizes(keys: Iterable<string>): Set<number> {
  const sizes = new Set<number>();
  for (const k of keys) {
    const m = /^outgrown:(\d+):/.exec(k);
    if (m) sizes.add(Number(m[1]));
  }
  return sizes;
}
