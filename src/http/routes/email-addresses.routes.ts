import { Type } from 'typebox';
import type { Page } from '../../domain/actor.js';
import type { EmailAddressService } from '../../services/mailbox/email-address-service.js';
import type { EmailAddressTester } from '../../services/mailbox/test-email-address.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { requestLanguage } from '../plugins/error-handler.js';
import { errors, PageQuery, Uuid } from '../schemas/common.js';
import { ConnectionTestView } from '../schemas/connection-test.schema.js';
import { presentDirection } from './connection-test.presenter.js';
import { AddressInputBody, EmailAddress, presentAddress, TestBody } from './email-addresses.schema.js';
import type { App } from './types.js';

/** Company addresses and an employee's addresses share one model and one set of handlers (M3). */
export function emailAddressRoutes(app: App, service: EmailAddressService, tester: EmailAddressTester) {
  app.addSchema(EmailAddress);
  const ref = Type.Ref('EmailAddress');
  const tags = ['email-addresses'];
  // Paginated like the other lists (issue #4: 300 company addresses were one 300 KiB answer).
  const list = Type.Object({
    items: Type.Array(ref),
    total: Type.Integer(),
    totalExact: Type.Boolean(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

  const scopes = [
    { base: '/api/company/email-addresses', idParam: 'id', owner: (_p: Record<string, string>) => null },
    {
      base: '/api/employees/:id/email-addresses',
      idParam: 'addressId',
      owner: (p: Record<string, string>) => p.id!,
    },
  ] as const;

  for (const s of scopes) {
    const listParams = s.idParam === 'id' ? Type.Object({}) : Type.Object({ id: Uuid });
    const itemParams =
      s.idParam === 'id' ? Type.Object({ id: Uuid }) : Type.Object({ id: Uuid, addressId: Uuid });
    const item = `${s.base}/:${s.idParam}`;
    const idOf = (p: Record<string, string>) => p[s.idParam]!;

    app.get(
      s.base,
      {
        preHandler: requireAuth,
        schema: {
          tags,
          params: listParams,
          querystring: PageQuery,
          response: { 200: list, ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => {
        const page = req.query as Page & { limit: number; offset: number };
        const r = await service.list(actorOf(req), s.owner(req.params as Record<string, string>), page);
        return {
          items: r.items.map(presentAddress),
          total: r.total,
          totalExact: r.exact,
          limit: page.limit,
          offset: page.offset,
        };
      },
    );
    app.post(
      s.base,
      {
        preHandler: requireAuth,
        schema: {
          tags,
          params: listParams,
          body: AddressInputBody,
          response: { 201: ref, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            presentAddress(
              await service.create(actorOf(req), s.owner(req.params as Record<string, string>), req.body),
            ),
          ),
    );
    app.get(
      item,
      {
        preHandler: requireAuth,
        schema: { tags, params: itemParams, response: { 200: ref, ...errors(401, 403, 404) } },
      },
      async (req) => {
        const p = req.params as Record<string, string>;
        return presentAddress(await service.get(actorOf(req), s.owner(p), idOf(p)));
      },
    );
    app.patch(
      item,
      {
        preHandler: requireAuth,
        schema: {
          tags,
          params: itemParams,
          body: AddressInputBody,
          response: { 200: ref, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req) => {
        const p = req.params as Record<string, string>;
        return presentAddress(await service.update(actorOf(req), s.owner(p), idOf(p), req.body));
      },
    );
    app.delete(
      item,
      {
        preHandler: requireAuth,
        schema: { tags, params: itemParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
      },
      async (req, reply) => {
        const p = req.params as Record<string, string>;
        await service.remove(actorOf(req), s.owner(p), idOf(p));
        return reply.status(204).send(null);
      },
    );
  }

  app.post(
    '/api/email-addresses/test',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        description:
          'Runs "Test account" (SMTP and POP3/IMAP in parallel, ≤ 30 s). On success returns a testToken required to save these exact settings.',
        body: TestBody,
        response: {
          200: ConnectionTestView,
          ...errors(400, 401, 403, 404, 409, 429),
        },
      },
    },
    async (req) => {
      const lang = requestLanguage(req);
      const r = await tester.test(actorOf(req), req.body);
      return {
        ok: r.ok,
        durationMs: r.durationMs,
        smtp: presentDirection(r.smtp, lang),
        incoming: presentDirection(r.incoming, lang),
        ...(r.testToken ? { testToken: r.testToken } : {}),
      };
    },
  );
}
