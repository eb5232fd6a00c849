import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from '../routes/types.js';
import { innerApp } from './inner-app.js';

/**
 * The built web UI (`root`), served by @fastify/static loaded on the first page request (issue
 * 12 item 2): the plugin and its file-serving libraries, and the walk of `root` to declare one
 * route per file, cost every start ~0.1 s of CPU before `/healthz` could answer. A separate
 * Fastify instance holds the plugin exactly as before; this app forwards GET/HEAD outside
 * /api to it and falls through to the not-found handler where no file answers.
 */
export function registerLazyWebUi(app: App, root: string) {
  const ui = innerApp(async () => {
    const { default: fastifyStatic } = await import('@fastify/static');
    const inner = Fastify();
    await inner.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
    await inner.ready();
    return inner;
  });

  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      if (request.url.startsWith('/api/') || (await ui.forward(request, reply)) === 404) reply.callNotFound();
      return reply;
    },
  });
  return {
    /** The UI's index page (the history-API fallback for a page URL). */
    sendIndex: async (request: FastifyRequest, reply: FastifyReply) => {
      if ((await ui.forward(request, reply, '/index.html')) === 404)
        throw new Error('web UI: index.html is missing');
      return reply;
    },
  };
}
