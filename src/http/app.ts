import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { AppContext } from '../context.js';
import { HTTP_TIMEOUTS } from './http-timeouts.js';
import { codeMessage } from './i18n/error-messages.js';
import { loggerOptions } from './logger.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandler, requestLanguage, sendError } from './plugins/error-handler.js';
import { registerLazyApiDocs } from './plugins/lazy-api-docs.js';
import { lazySchemaCompilers, type ValidatedPart } from './plugins/lazy-schema-compilers.js';
import { registerLazyWebUi } from './plugins/lazy-web-ui.js';
import { registerRequestMetrics } from './plugins/metrics.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { auditRoutes } from './routes/audit.routes.js';
import { contactRoutes } from './routes/contacts.routes.js';
import { emailAddressRoutes } from './routes/email-addresses.routes.js';
import { employeeRoutes } from './routes/employees.routes.js';
import { groupRoutes } from './routes/groups.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { mailReferenceRoutes } from './routes/mail-reference.routes.js';
import { projectRoutes } from './routes/projects.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import { testEmailRoutes } from './routes/test-emails.routes.js';
import type { App } from './routes/types.js';
import { workspaceRoutes } from './routes/workspace.routes.js';
import { ErrorBody } from './schemas/common.js';
import { Employee } from './schemas/resources.schema.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Builds the HTTP app over a ready context (STYLE: app as one plugin; tests use inject()). */
export async function buildApp(
  ctx: AppContext,
): Promise<App & { warmUpSchemas(): Promise<void>; validatedParts(): readonly ValidatedPart[] }> {
  const compilers = lazySchemaCompilers();
  const app = Fastify({
    schemaController: { compilersFactory: compilers.compilersFactory as never },
    loggerInstance: pino(
      loggerOptions(ctx.config.logLevel),
      (ctx.logDestination ?? process.stdout) as pino.DestinationStream,
    ) as FastifyBaseLogger,
    trustProxy: ctx.config.http.trustProxy,
    bodyLimit: 1024 * 1024,
    ...HTTP_TIMEOUTS,
    return503OnClosing: true,
    genReqId: () => crypto.randomUUID(),
    ajv: {
      // Request bodies are validated without coercion (lazy-schema-compilers.ts).
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorBody);
  app.addSchema(Employee);
  await app.register(fastifyCookie);
  registerLazyApiDocs(app);

  registerErrorHandler(app);
  registerSecurityHeaders(app, { hsts: ctx.config.http.secureCookies });
  registerRequestMetrics(app, ctx.metrics);
  registerAuth(app, ctx.services.auth);

  healthRoutes(app, { ready: ctx.ready, registry: ctx.metrics });
  sessionRoutes(app, ctx.services.auth, { secureCookies: ctx.config.http.secureCookies });
  employeeRoutes(app, ctx.services.employees);
  groupRoutes(app, ctx.services.groups);
  projectRoutes(app, ctx.services.projects);
  contactRoutes(app, ctx.services.contacts);
  auditRoutes(app, ctx.services.auditLog);
  workspaceRoutes(app, { settings: ctx.services.workspaceSettings });
  emailAddressRoutes(app, ctx.mailbox.emailAddresses, ctx.mailbox.addressTester);
  testEmailRoutes(app, ctx.mailbox.testEmails);
  mailReferenceRoutes(app, { presets: ctx.mailbox.presets, senders: ctx.mailbox.senders });
  for (const register of ctx.extraRoutes) register(app);

  await registerWebUi(app);
  return Object.assign(app, {
    warmUpSchemas: () => compilers.warmUp(),
    validatedParts: () => compilers.validatedParts(),
  });
}

/** Serves the built UI with a history-API fallback; /api stays JSON. */
async function registerWebUi(app: App) {
  const ui = existsSync(`${WEB_DIST}index.html`) ? registerLazyWebUi(app, WEB_DIST) : null;
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      request.headers.accept?.includes('text/html');
    if (isPage && ui) return ui.sendIndex(request, reply);
    return sendError(
      reply,
      request,
      404,
      'NOT_FOUND',
      codeMessage('NOT_FOUND', requestLanguage(request), { entity: 'route' }),
    );
  });
}
