// The parse worker's entry when the pool runs from TypeScript sources (vitest, tsx): registers
// tsx's loader in this thread, then loads the .ts entry. Built code (dist/, the bundle) starts
// parse-worker.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
