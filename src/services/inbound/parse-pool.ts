import { Worker } from 'node:worker_threads';
import type { ParsedMessage } from '../../domain/inbound/parsed-message.js';
import type { ParseMessage } from '../../ports/message-parser.js';
import type { ParseAnswer, ParseRequest, ParseWorkerData } from './parse-worker.js';
import { READ_LIMITS, UnreadableMessage } from './process-parse.js';

/**
 * MIME parsing off the main thread (SECURITY.md §4.2, decision 0007 "Parsing in a worker"):
 * mailparser is synchronous for long stretches, and the default process answers the API on
 * the same event loop. Each parse runs in a worker thread with its own heap limit; this thread
 * keeps the clock, and a parse past its budget ends with `terminate()` (which stops even a
 * loop that never yields) and `UnreadableMessage('timeout')`. A worker that runs out of heap
 * or crashes takes only its message with it; the next parse gets a fresh worker.
 */
export interface ParsePoolOptions {
  /** Worker threads (default 1): each holds a parse at a time. */
  size?: number;
  /** Caps and the time budget per message (`timeoutMs`, counted from the hand-over). */
  limits?: typeof READ_LIMITS;
  /** Heap of each worker (MB): a message needing more is unreadable (`out_of_memory`). */
  maxHeapMb?: number;
  /** Parses waiting for a worker beyond which `parse` refuses at once (default 256). */
  maxWaiting?: number;
  /** Test hook: module path (file URL) whose `parseMessage` the workers run instead. */
  parseModule?: string;
}

export interface ParsePool {
  parse: ParseMessage;
  /** Ends every worker; parses waiting or running reject with `ParsePoolClosed`. */
  close(): Promise<void>;
  /** Workers started so far (a replaced one counts again): for tests and metrics. */
  readonly started: number;
  /** Worker threads that have not exited yet (a terminated one leaves once it has stopped). */
  readonly live: number;
}

/** Not the message's fault: the pool is shutting down or too many parses wait. */
export class ParsePoolClosed extends Error {
  constructor(message = 'the parse pool is closed') {
    super(message);
    this.name = 'ParsePoolClosed';
  }
}

interface Job {
  id: number;
  raw: Uint8Array;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  resolve: (m: ParsedMessage) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | undefined;
}

/** 256 MB: a 40 MB message decoded to text and HTML strings fits; a parse that grows without end does not. */
const DEFAULT_HEAP_MB = 256;

export function createParsePool(options: ParsePoolOptions = {}): ParsePool {
  const limits = options.limits ?? READ_LIMITS;
  const maxWaiting = options.maxWaiting ?? 256;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.size ?? 1) }, () => ({
    worker: null,
    ready: false,
    job: null,
    timer: undefined,
  }));
  const waiting: Job[] = [];
  const ending = new Set<Promise<unknown>>();
  let closed = false;
  let nextId = 1;
  let started = 0;
  let live = 0;

  function start(slot: Slot) {
    // Built code (dist/, the bundle) has parse-worker.js beside this file; the sources (vitest,
    // tsx) start a bootstrap that registers tsx in the new thread first.
    const fromSources = import.meta.url.endsWith('.ts');
    const data: ParseWorkerData = {
      limits,
      ...(options.parseModule ? { parseModule: options.parseModule } : {}),
      ...(fromSources ? { entry: new URL('./parse-worker.ts', import.meta.url).href } : {}),
    };
    const worker = new Worker(
      new URL(fromSources ? './parse-worker-tsx.mjs' : './parse-worker.js', import.meta.url),
      {
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? DEFAULT_HEAP_MB },
      },
    );
    started++;
    live++;
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (answer: ParseAnswer) => {
      if (slot.worker !== worker) return;
      if ('ready' in answer) {
        slot.ready = true;
        pump();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== answer.id) return;
      finish(slot, job);
      if ('message' in answer) job.resolve(revive(answer.message));
      else if ('unreadable' in answer)
        job.reject(new UnreadableMessage(answer.unreadable as UnreadableReason));
      // The parser threw something of its own: as on the main thread, the message is unreadable.
      else job.reject(new UnreadableMessage('parse_error'));
      pump();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const job = slot.job;
      drop(slot);
      if (job) {
        finish(slot, job);
        job.reject(
          new UnreadableMessage(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out_of_memory' : 'parse_error'),
        );
      } else if (!slot.ready) {
        // The worker could not even start: fail the next parse (a bug, not the message) rather
        // than restart it in a loop.
        const next = waiting.shift();
        next?.signal?.removeEventListener('abort', next.onAbort);
        next?.reject(err);
      }
      pump();
    });
    worker.on('exit', () => {
      live--;
      if (slot.worker !== worker) return;
      const job = slot.job;
      slot.worker = null;
      if (job) {
        finish(slot, job);
        job.reject(new UnreadableMessage('parse_error'));
      }
      pump();
    });
  }

  /** Stops the slot's worker for good (a spent budget, an abort, a crash); the next parse starts another. */
  function drop(slot: Slot) {
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = false;
    if (worker) track(worker.terminate());
  }

  function track(p: Promise<unknown>) {
    const settled: Promise<unknown> = p.then(
      () => ending.delete(settled),
      () => ending.delete(settled),
    );
    ending.add(settled);
  }

  function finish(slot: Slot, job: Job) {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = null;
    slot.worker?.unref();
    job.signal?.removeEventListener('abort', job.onAbort);
  }

  function pump() {
    if (closed) return;
    for (const slot of slots) {
      if (slot.job) continue;
      if (waiting.length === 0) {
        // Idle workers must not keep the process alive.
        slot.worker?.unref();
        continue;
      }
      if (!slot.worker) start(slot);
      // Held open while work waits on this worker (a bare `await parse()` in a script).
      slot.worker!.ref();
      if (!slot.ready) continue;
      const job = waiting.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        if (slot.job !== job) return;
        drop(slot);
        finish(slot, job);
        job.reject(new UnreadableMessage('timeout'));
        pump();
      }, limits.timeoutMs);
      const request: ParseRequest = { id: job.id, raw: job.raw };
      slot.worker!.postMessage(request, [job.raw.buffer as ArrayBuffer]);
    }
  }

  return {
    get started() {
      return started;
    },
    get live() {
      return live;
    },
    parse(raw, signal) {
      if (closed) return Promise.reject(new ParsePoolClosed());
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (waiting.length >= maxWaiting)
        return Promise.reject(new ParsePoolClosed(`more than ${maxWaiting} parses are waiting`));
      return new Promise<ParsedMessage>((resolve, reject) => {
        const job: Job = {
          id: nextId++,
          // A copy of its own, moved to the worker: never the caller's (maybe pooled) Buffer.
          raw: new Uint8Array(raw),
          signal,
          resolve,
          reject,
          onAbort: () => {
            const at = waiting.indexOf(job);
            if (at >= 0) waiting.splice(at, 1);
            const slot = slots.find((s) => s.job === job);
            if (slot) {
              drop(slot);
              finish(slot, job);
            }
            reject(signal?.reason);
            pump();
          },
        };
        signal?.addEventListener('abort', job.onAbort, { once: true });
        waiting.push(job);
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) {
        job.signal?.removeEventListener('abort', job.onAbort);
        job.reject(new ParsePoolClosed());
      }
      for (const slot of slots) {
        const job = slot.job;
        drop(slot);
        if (job) {
          finish(slot, job);
          job.reject(new ParsePoolClosed());
        }
      }
      await Promise.all([...ending]);
    },
  };
}

type UnreadableReason = UnreadableMessage['reason'];

/**
 * A `ParsedMessage` as the structured clone delivers it: Maps and Dates arrive as such, a
 * part's Buffer as a plain Uint8Array, made a Buffer again over the same memory.
 */
function revive(message: ParsedMessage): ParsedMessage {
  return {
    ...message,
    parts: message.parts.map((p) => ({
      ...p,
      content: Buffer.from(p.content.buffer, p.content.byteOffset, p.content.byteLength),
    })),
  };
}
