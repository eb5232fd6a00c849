import type { App } from '../routes/types.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // Mantine injects CSS variables at runtime
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Conservative browser security headers on every response (the API docs page needs its own CSP). */
export function registerSecurityHeaders(app: App, opts: { hsts: boolean }) {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!request.url.startsWith('/api/docs')) reply.header('content-security-policy', CSP);
    if (opts.hsts) reply.header('strict-transport-security', 'max-age=15552000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
