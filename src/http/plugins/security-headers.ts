import type { App } from '../routes/types.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // Mantine injects CSS variables at runtime
  // Remote images only because a received message's sandboxed `srcdoc` frame inherits this
  // policy and its own meta CSP can only narrow it: that meta allows them after "Pokaż obrazy"
  // (M41, decision 0007 "Browser"); the app itself renders no remote image.
  "img-src 'self' data: https: http:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Conservative browser security headers on every response. A reply that set its own CSP keeps it
 * (attachment and `.eml` downloads: `default-src 'none'; sandbox`); the API docs page needs its own.
 */
export function registerSecurityHeaders(app: App, opts: { hsts: boolean }) {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!request.url.startsWith('/api/docs') && !reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', CSP);
    if (opts.hsts) reply.header('strict-transport-security', 'max-age=15552000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
