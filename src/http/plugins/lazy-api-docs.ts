import Fastify, { type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type { App } from '../routes/types.js';
import { innerApp } from './inner-app.js';

const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'mailroom API',
    version: '0.1.0',
    description:
      'JSON over HTTP. Authenticate with the session cookie (plus `x-csrf-token` on writes) or `Authorization: Bearer <API token>`. Errors: `{ error: { code, message, details }, requestId }`.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'mailroom_session' },
    },
  },
  security: [{ bearer: [] }, { cookie: [] }],
} as const;

/**
 * `/api/openapi.json` and the Swagger UI at `/api/docs`, built on their first request (issue 12
 * item 2): @fastify/swagger (with its YAML library) and the UI's static files cost every start
 * about 0.1 s of CPU and a hundred files, for pages few people open. Routes are recorded as
 * they are declared; the first docs request builds a separate Fastify instance with the same
 * shared schemas and the same route declarations (their handlers never run there, nothing is
 * validated) and every docs request is answered from it. Register before any route.
 */
export function registerLazyApiDocs(app: App) {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    // Hidden routes are not documented; HEAD routes Fastify adds itself beside each GET.
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    if (!hidden && route.method !== 'HEAD') routes.push(route);
  });

  const docs = innerApp(async () => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    const inner = Fastify();
    inner.setValidatorCompiler(() => () => true);
    inner.setSerializerCompiler(() => (data) => JSON.stringify(data));
    for (const schema of Object.values(app.getSchemas())) inner.addSchema(schema);
    await inner.register(swagger, { openapi: OPENAPI as never });
    await inner.register(swaggerUi, { routePrefix: '/api/docs' });
    inner.get('/api/openapi.json', { schema: { hide: true } }, async () => inner.swagger());
    const unused = async () => null;
    for (const r of routes) inner.route({ method: r.method, url: r.url, schema: r.schema, handler: unused });
    await inner.ready();
    return inner;
  });
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    if ((await docs.forward(request, reply)) === 404) reply.callNotFound();
    return reply;
  };
  const hide = { schema: { hide: true } } as const;
  app.get('/api/openapi.json', hide, forward);
  app.get('/api/docs', hide, forward);
  app.get('/api/docs/*', hide, forward);
}
