import type { Registry } from 'prom-client';
import type { App } from './types.js';

/** Liveness, readiness (database reachable, not shutting down) and Prometheus metrics. */
export function healthRoutes(app: App, deps: { ready(): Promise<boolean>; registry: Registry }) {
  const hide = { hide: true } as const;
  app.get('/healthz', { schema: hide, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hide, logLevel: 'warn' }, async (_req, reply) => {
    const ok = await deps.ready().catch(() => false);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable' });
  });
  app.get('/metrics', { schema: hide, logLevel: 'warn' }, async (_req, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
}
