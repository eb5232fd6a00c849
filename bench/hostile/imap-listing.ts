/**
 * A hostile IMAP server answers `UID FETCH n:* (UID RFC822.SIZE)` with N responses; prints
 * how long listAfter took, the process's peak RSS and what it returned (count or failure kind).
 * Run: node --import tsx bench/hostile/imap-listing.ts [N]   (one run per process: maxRSS is a peak)
 */

import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import { testCaPem } from '../../test/helpers/tls-fixtures.js';
import { hostileFetchListing, imapSettings } from '../../test/servers/imap-hostile-listing.js';
import { fakeImap } from '../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import { startRawSmtpServer } from '../../test/servers/smtp-raw-server.js';

const n = Number(process.argv[2] ?? 1_000_000);
const server = await startRawSmtpServer(fakeImap({ extra: hostileFetchListing(n) }));
const rssBefore = process.resourceUsage().maxRSS;
const started = performance.now();
const mailbox = createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
const session = await mailbox.open(imapSettings(server.port), { deadline: Date.now() + 120_000 });
let result: string;
try {
  await session.select(false);
  result = `${(await session.listAfter(0)).length} entries`;
} catch (err) {
  result = `refused: ${(err as { failure?: { kind?: string; detail?: string } }).failure?.kind}`;
}
session.abort();
const ms = performance.now() - started;
const rss = process.resourceUsage().maxRSS;
console.log(
  `N=${n}: ${result}; ${ms.toFixed(0)} ms; peak RSS ${(rss / 1024).toFixed(0)} MB (+${((rss - rssBefore) / 1024).toFixed(0)} MB)`,
);
await server.close();
