import { getHeapStatistics } from 'node:v8';
import { parseMessage as realParse } from '../../src/services/inbound/process-parse.js';

/**
 * Test hook for the parse pool (`parseModule`): runs in the worker thread in place of
 * `parseMessage`. A message whose Subject is `spin` never ends (a parser stuck in a loop that
 * never yields); `grow` keeps allocating (a memory bomb, up to 512 MB); anything else is parsed for real.
 */
export const parseMessage: typeof realParse = async (raw, limits) => {
  const subject = /^Subject: (\w+)/m.exec(raw.subarray(0, 1024).toString('latin1'))?.[1];
  if (subject === 'spin') for (;;);
  if (subject === 'grow') {
    // Stops at 512 MB of heap (then parses): without the pool's heap limit the test sees `parsed`
    // instead of taking the machine's memory.
    const held: string[][] = [];
    for (let i = 0; getHeapStatistics().used_heap_size < 512 * 1024 * 1024; i++)
      held.push(Array.from({ length: 1024 }, (_, j) => `${i}:${j}`));
  }
  return realParse(raw, limits);
};
