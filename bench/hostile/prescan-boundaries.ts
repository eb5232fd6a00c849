/**
 * The inbound pre-scan against a 40 MB message of nothing but `boundary=`: prints how long the
 * refusal took and the process's peak RSS (one run per process: maxRSS is a peak).
 *   node --import tsx bench/hostile/prescan-boundaries.ts
 * Before the pre-scan stopped counting at its caps (9a64ea4): 2,062 ms, peak 489 MB.
 */
import { prescan, READ_LIMITS, UnreadableMessage } from '../../src/services/inbound/process-parse.js';

const raw = Buffer.from('boundary='.repeat(Math.floor(READ_LIMITS.maxBytes / 9)));
const started = performance.now();
let outcome = 'accepted';
try {
  prescan(raw);
} catch (err) {
  outcome = err instanceof UnreadableMessage ? err.reason : String(err);
}
const ms = Math.round(performance.now() - started);
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(
  `${(raw.length / 1e6).toFixed(1)} MB of boundary=: ${outcome} in ${ms} ms, peak RSS ${peakMb} MB`,
);
