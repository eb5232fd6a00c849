import { parentPort, workerData } from 'node:worker_threads';
import type { ParsedMessage } from '../../domain/inbound/parsed-message.js';
import { parseMessage, type READ_LIMITS } from './process-parse.js';

/**
 * The parse pool's thread (parse-pool.ts): runs `parseMessage` unchanged on each raw message it
 * is sent and answers the `ParsedMessage`, or the reason it is unreadable. The pool's thread
 * owns the time budget and terminates this one when it is spent.
 */
export interface ParseRequest {
  id: number;
  raw: Uint8Array;
}
export type ParseAnswer =
  | { ready: true }
  | { id: number; message: ParsedMessage }
  | { id: number; unreadable: string }
  | { id: number; failed: true };

export interface ParseWorkerData {
  limits: typeof READ_LIMITS;
  /** Test hook: a module whose `parseMessage` runs instead (a parse that never ends, a memory bomb). */
  parseModule?: string;
  /** The TypeScript entry the tsx bootstrap loads (vitest runs the sources). */
  entry?: string;
}

const data = workerData as ParseWorkerData;
const port = parentPort!;
const parse: typeof parseMessage = data.parseModule
  ? ((await import(data.parseModule)) as { parseMessage: typeof parseMessage }).parseMessage
  : parseMessage;
// Load mailparser (and warm it) before saying ready: the budget counts the parse alone.
await parseMessage(Buffer.from('From: warm@example.org\r\nSubject: warm\r\n\r\nwarm\r\n'));

port.on('message', async ({ id, raw }: ParseRequest) => {
  let answer: ParseAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    const message = await parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), data.limits);
    // A part's Buffer may be a view on a larger buffer (which the clone would copy whole), or on
    // Node's shared pool (which cannot be transferred): each goes as its own buffer, moved.
    const parts = message.parts.map((p) => {
      const content = new Uint8Array(p.content);
      transfer.push(content.buffer);
      return { ...p, content };
    });
    answer = { id, message: { ...message, parts } };
  } catch (err) {
    const reason = (err as { name?: unknown; reason?: unknown }).reason;
    answer =
      (err as { name?: unknown }).name === 'UnreadableMessage' && typeof reason === 'string'
        ? { id, unreadable: reason }
        : { id, failed: true };
    transfer.length = 0;
  }
  port.postMessage(answer, transfer);
});
port.postMessage({ ready: true } satisfies ParseAnswer);
