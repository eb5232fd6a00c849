/**
 * An IMAP INBOX of N messages of M MiB each, every one listed as 1 byte (RFC822.SIZE), or with
 * no size at all (`missing`): one collectImap poll through our session, the store keeping no
 * bytes. Prints the bytes the largest FETCH received, the bytes handed on in `storedRaw`, how
 * the poll ended and the peak RSS. The server runs in a child process, so its copies of the
 * bodies are not in the figure. One run per process (maxRSS is a peak).
 *   node --import tsx bench/hostile/imap-listed-size.ts [N] [M] [listed|missing|honest]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import type { PollerDeps } from '../../src/services/inbound/poll-mailboxes.js';
import { imapSettings } from '../../test/servers/imap-hostile-listing.js';
import { lyingSizes } from '../../test/servers/imap-lying-sizes.js';
import { fakeImap } from '../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import { startRawSmtpServer } from '../../test/servers/smtp-raw-server.js';

const [n, mib] = [Number(process.argv[2] ?? 40), Number(process.argv[3] ?? 4)];
const mode = process.argv[4] ?? 'listed';
const MIB = 1024 * 1024;

if (process.env.LISTED_SIZE_SERVER) {
  const body = 'A'.repeat(mib * MIB);
  const listSize = mode === 'honest' ? undefined : mode === 'missing' ? null : 1;
  const messages = Array.from({ length: n }, (_, i) => ({
    raw: `Subject: m${i}\r\n\r\n${body}\r\n`,
    listSize,
  }));
  const server = await startRawSmtpServer(fakeImap({ extra: lyingSizes(messages).extra }));
  process.send?.(server.port);
} else {
  const child = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
    env: { ...process.env, LISTED_SIZE_SERVER: '1' },
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(Number(p))));
  const rssBefore = process.resourceUsage().maxRSS;
  const session = await createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [] }).open(
    imapSettings(port),
    { deadline: Date.now() + 120_000 },
  );
  let largestFetch = 0;
  const fetchRaw = session.fetchRaw.bind(session);
  session.fetchRaw = async (wanted) => {
    const got = await fetchRaw(wanted);
    // Also runs against the code before the fix, whose fetchRaw answered a Map of bodies.
    const raws: Map<number, Buffer> = got instanceof Map ? got : got.raws;
    largestFetch = Math.max(
      largestFetch,
      [...raws.values()].reduce((s, b) => s + b.length, 0),
    );
    return got;
  };
  let stores = 0;
  const inbound = {
    store: async () => ({ id: String(++stores), inserted: true }),
    existingHashes: async () => new Set<string>(),
  } as unknown as PollerDeps['inbound'];
  const started = performance.now();
  const state = { uidvalidity: '55', lastUid: 0, lastSuccessAt: new Date(), initializedAt: new Date(0) };
  const target = { workspaceId: 'w', addressId: 'a', firstSync: false, deleteAfterStore: false };
  const result = await collectImap(
    session,
    state,
    { ...target, deleteAfterDays: null },
    { inbound, now: () => new Date(), checkpoint: async () => {} },
    { ...DEFAULT_COLLECT_BUDGET, deadline: Date.now() + 120_000 },
  ).then(
    (r) => {
      const handed = [...r.outcome.storedRaw.values()].reduce((s, b) => s + b.length, 0);
      return `stored ${r.outcome.storedIds.length}, handed on ${(handed / MIB).toFixed(1)} MiB`;
    },
    (err: { failure?: { detail?: string } }) => `failed: ${err.failure?.detail ?? err}`,
  );
  session.abort();
  const rss = process.resourceUsage().maxRSS;
  console.log(
    `${n} × ${mib} MiB, ${mode}: ${result}; largest FETCH kept ${(largestFetch / MIB).toFixed(1)} MiB; ` +
      `${(performance.now() - started).toFixed(0)} ms; peak RSS +${((rss - rssBefore) / 1024).toFixed(0)} MB`,
  );
  child.kill();
}
