import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Response headers that belong to the inner reply's framing, not to the content. */
const FRAMING = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive', 'date']);

/**
 * A Fastify instance built on first use (docs, web UI: issue 12 item 2): `get()` builds it once
 * (a failed build is tried again on the next call) and `forward()` answers a request of the
 * outer app from it, status, headers and body, returning the inner status.
 */
export function innerApp(build: () => Promise<FastifyInstance>) {
  let inner: Promise<FastifyInstance> | null = null;
  const get = () => {
    inner ??= build().catch((err: unknown) => {
      inner = null;
      throw err;
    });
    return inner;
  };
  return {
    async forward(request: FastifyRequest, reply: FastifyReply, url = request.url): Promise<number> {
      const res = await (await get()).inject({
        method: request.method as 'GET' | 'HEAD',
        url,
        headers: request.headers,
      });
      if (res.statusCode === 404) return 404; // nothing sent: the caller decides
      reply.code(res.statusCode);
      for (const [name, value] of Object.entries(res.headers))
        if (value !== undefined && !FRAMING.has(name)) reply.header(name, value);
      reply.send(res.rawPayload);
      return res.statusCode;
    },
  };
}
