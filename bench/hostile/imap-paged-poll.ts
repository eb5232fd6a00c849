/**
 * Polls of a scripted INBOX with N new messages (10-digit UIDs, 3 missing after every 5, a gap
 * of 40 million after the first half) through our collection session and collectImap, the
 * store an in-memory map keyed by UID: prints the polls it took, the wall time, the slowest
 * poll and the peak RSS. Measures the paged listing and the fetch loop, not the database.
 *   node --import tsx bench/hostile/imap-paged-poll.ts [N] [per-poll budget]
 */
import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import { DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import {
  BASE_UID,
  gappyUids,
  MAILBOX_START,
  pollOnce,
  pollState,
  uniqueInbound,
} from '../../test/helpers/imap-poll-fixture.js';
import { imapSettings } from '../../test/servers/imap-hostile-listing.js';
import { largeMailbox } from '../../test/servers/imap-large-mailbox.js';
import { fakeImap } from '../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import { startRawSmtpServer } from '../../test/servers/smtp-raw-server.js';

const n = Number(process.argv[2] ?? 120_000);
const perPoll = Number(process.argv[3] ?? DEFAULT_COLLECT_BUDGET.maxMessages);
const box = largeMailbox(n, MAILBOX_START, gappyUids(Math.floor(n / 2)));
const server = await startRawSmtpServer(fakeImap({ extra: box.extra }));
const mailbox = createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [] });
const store = uniqueInbound();
const state = pollState(BASE_UID);

const started = performance.now();
let polls = 0;
let slowest = 0;
for (let more = true; more; polls++) {
  const t = performance.now();
  const session = await mailbox.open(imapSettings(server.port), { deadline: Date.now() + 600_000 });
  more = (await pollOnce(session, state, store, { maxMessages: perPoll })).outcome.more;
  slowest = Math.max(slowest, performance.now() - t);
}
const ms = performance.now() - started;
console.log(
  `${n} messages, ${perPoll} per poll: ${store.rows.size} stored in ${polls} polls, ${ms.toFixed(0)} ms (slowest poll ${slowest.toFixed(0)} ms); ${box.seen.listings} listing windows, ${box.seen.seqFetches} gap look-ups, most per window ${box.seen.mostPerListing}, longest line ${box.seen.longestReply} B; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
await server.close();
