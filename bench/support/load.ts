import { createRequire } from 'node:module';

/** What we read from an autocannon run. */
export interface LoadResult {
  url: string;
  /** Requests per second actually achieved (mean). */
  rate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  /** Non-2xx answers plus socket errors and timeouts: any of them spoils the figure. */
  failures: number;
}

interface AutocannonResult {
  latency: { p50: number; p90: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const require = createRequire(import.meta.url);

/**
 * A fixed-rate load with autocannon (coordinated omission corrected: a stalled server shows
 * in the latencies, not as a lower rate). Loopback only.
 */
export async function loadAt(input: {
  url: string;
  /** Requests per second over all connections; 0 = as fast as the server answers. */
  rate: number;
  durationS: number;
  connections?: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(input.url)) throw new Error(`not a loopback URL: ${input.url}`);
  const autocannon = require('autocannon') as Autocannon;
  const r = await autocannon({
    url: input.url,
    connections: input.connections ?? 10,
    ...(input.rate > 0 ? { overallRate: input.rate } : {}),
    duration: input.durationS,
    headers: input.headers ?? {},
  });
  return {
    url: input.url,
    rate: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

export const describeLoad = (r: LoadResult): string =>
  `${r.rate.toFixed(0)} req/s, p50 ${r.p50} / p90 ${r.p90} / p99 ${r.p99} / max ${r.max} ms, ${r.requests} requests, ${r.failures} failed`;
