import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { App } from '../routes/types.js';

/**
 * Prometheus registry for the per-route request counters/latency and the worker loops. The
 * process metrics (CPU, memory, event loop, GC) join it with `collectProcessMetrics`, which
 * `serve` calls once the process listens: setting them up is ~0.1 s of CPU (issue 12 item 2).
 */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

const collecting = new WeakSet<Registry>();

/** Adds Node's process metrics (prefix `mailroom_`) to the registry, once. */
export function collectProcessMetrics(registry: Registry) {
  if (collecting.has(registry)) return;
  collecting.add(registry);
  collectDefaultMetrics({ register: registry, prefix: 'mailroom_' });
}

export function registerRequestMetrics(app: App, registry: Registry) {
  const requests = new Counter({
    name: 'mailroom_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mailroom_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids and query strings would explode label cardinality.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
