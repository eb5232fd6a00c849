/**
 * A hostile IMAP server against the collection session: prints how long listAfter took, the
 * process's peak RSS and what it returned (entry count or failure kind). One run per process
 * (maxRSS is a peak).
 *   node --import tsx bench/hostile/imap-session.ts listing [N]  UID FETCH answered with N responses
 *   node --import tsx bench/hostile/imap-session.ts tokens [L]   one response of L × 30,000 atoms
 */
import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import {
  hostileFetchListing,
  imapSettings,
  tokenFloodFetch,
} from '../../test/servers/imap-hostile-listing.js';
import { fakeImap } from '../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import { startRawSmtpServer } from '../../test/servers/smtp-raw-server.js';

const mode = process.argv[2] === 'tokens' ? 'tokens' : 'listing';
const n = Number(process.argv[3] ?? (mode === 'tokens' ? 33 : 1_000_000));
const extra = mode === 'tokens' ? tokenFloodFetch(n) : hostileFetchListing(n);
const server = await startRawSmtpServer(fakeImap({ extra }));
const rssBefore = process.resourceUsage().maxRSS;
const started = performance.now();
const mailbox = createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [] });
const session = await mailbox.open(imapSettings(server.port), { deadline: Date.now() + 120_000 });
let result: string;
try {
  await session.select(false);
  result = `${(await session.listAfter(0)).messages.length} entries`;
} catch (err) {
  result = `refused: ${(err as { failure?: { kind?: string } }).failure?.kind}`;
}
session.abort();
const rss = process.resourceUsage().maxRSS;
console.log(
  `${mode} ${n}: ${result}; ${(performance.now() - started).toFixed(0)} ms; peak RSS ${(rss / 1024).toFixed(0)} MB (+${((rss - rssBefore) / 1024).toFixed(0)} MB)`,
);
await server.close();
