/**
 * What the parse pool's thread hop costs per message (decision 0007 "Parsing in a worker"):
 * the ingest benchmark's 2,000 messages (bench/support/pop3-corpus.ts) parsed on this thread
 * (`parseMessage`), through the pool one at a time (`await` each: the hop's latency is paid in
 * full), and through the pool with 8 in flight (as `processMany` hands them: the worker goes
 * from one message to the next while this thread takes the answers). Alternating, 3 rounds.
 * `node --import tsx bench/hostile/parse-pool-hop.ts [dist]` (`dist`: the compiled code, as
 * `npm run bench` measures; build it first).
 */
import { buildPop3Corpus } from '../support/pop3-corpus.js';

const compiled = process.argv[2] === 'dist';
const from = (path: string) => (compiled ? `../../dist/${path}.js` : `../../src/${path}.js`);
const { parseMessage } = (await import(
  from('services/inbound/process-parse')
)) as typeof import('../../src/services/inbound/process-parse.js');
const { createParsePool } = (await import(
  from('services/inbound/parse-pool')
)) as typeof import('../../src/services/inbound/parse-pool.js');

const messages = buildPop3Corpus().expected;
const pool = createParsePool();
await pool.parse(messages[0]!); // the worker started and warm

async function windowed(width: number) {
  let next = 0;
  const lane = async () => {
    while (next < messages.length) await pool.parse(messages[next++]!);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

const legs: [string, () => Promise<unknown>][] = [
  [
    'this thread',
    async () => {
      for (const m of messages) await parseMessage(m);
    },
  ],
  [
    'pool, one at a time',
    async () => {
      for (const m of messages) await pool.parse(m);
    },
  ],
  ['pool, 8 in flight', () => windowed(8)],
];
const times = new Map<string, number[]>(legs.map(([name]) => [name, []]));
for (let round = 0; round < 3; round++)
  for (const [name, run] of legs) {
    const t = performance.now();
    await run();
    times.get(name)!.push(performance.now() - t);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times.get('this thread')!);
for (const [name, xs] of times)
  console.log(
    `${name.padEnd(22)} ${xs.map((x) => x.toFixed(0).padStart(6)).join(' ')} ms  median ×${(median(xs) / base).toFixed(2)}`,
  );
await pool.close();
