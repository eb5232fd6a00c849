/**
 * Polls of a scripted INBOX with N new messages (10-digit UIDs, 3 missing after every 5, a gap
 * of 40 million after the first half) through our collection session and collectImap, the
 * store an in-memory map keyed by UID: prints the polls it took, the wall time, the slowest
 * poll and the peak RSS. Measures the paged listing and the fetch loop, not the database.
 *   node --import tsx bench/hostile/imap-paged-poll.ts [N] [per-poll budget]
 */
import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import type { PollerDeps } from '../../src/services/inbound/poll-mailboxes.js';
import { imapSettings } from '../../test/servers/imap-hostile-listing.js';
import { largeMailbox } from '../../test/servers/imap-large-mailbox.js';
import { fakeImap } from '../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import { startRawSmtpServer } from '../../test/servers/smtp-raw-server.js';

const n = Number(process.argv[2] ?? 120_000);
const perPoll = Number(process.argv[3] ?? DEFAULT_COLLECT_BUDGET.maxMessages);
const BASE = 1_500_000_000;
const half = Math.floor(n / 2);
const uidOf = (seq: number) => BASE + seq + 3 * Math.floor(seq / 5) + (seq > half ? 40_000_000 : 0);
const box = largeMailbox(n, new Date('2026-06-01T00:00:00Z'), uidOf);
const server = await startRawSmtpServer(fakeImap({ extra: box.extra }));
const mailbox = createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [] });
const rows = new Set<string>();
const inbound = {
  store: async (v: { remoteUid: string }) => {
    const inserted = !rows.has(v.remoteUid);
    rows.add(v.remoteUid);
    return { id: v.remoteUid, inserted };
  },
  existingHashes: async () => new Set<string>(),
} as unknown as PollerDeps['inbound'];
const state = { uidvalidity: '77', lastUid: BASE, lastSuccessAt: new Date(), initializedAt: new Date(0) };
const target = {
  workspaceId: 'w',
  addressId: 'a',
  firstSync: false,
  deleteAfterStore: false,
  deleteAfterDays: null,
};

const started = performance.now();
let polls = 0;
let slowest = 0;
for (let more = true; more; polls++) {
  const t = performance.now();
  const session = await mailbox.open(imapSettings(server.port), { deadline: Date.now() + 600_000 });
  const r = await collectImap(
    session,
    state,
    target,
    { inbound, now: () => new Date(), checkpoint: async () => {} },
    { ...DEFAULT_COLLECT_BUDGET, maxMessages: perPoll, deadline: Date.now() + 600_000 },
  );
  await session.close();
  if (r.cursor.lastUid !== undefined) state.lastUid = r.cursor.lastUid;
  more = r.outcome.more;
  slowest = Math.max(slowest, performance.now() - t);
}
const ms = performance.now() - started;
console.log(
  `${n} messages, ${perPoll} per poll: ${rows.size} stored in ${polls} polls, ${ms.toFixed(0)} ms (slowest poll ${slowest.toFixed(0)} ms); ${box.seen.listings} listing windows, ${box.seen.seqFetches} gap look-ups, most per window ${box.seen.mostPerListing}, longest line ${box.seen.longestReply} B; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
await server.close();
