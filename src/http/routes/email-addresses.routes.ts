import { type Static, type TObject, Type } from 'typebox';
import type { Actor } from '../../domain/actor.js';
import type { EmailAddressService } from '../../services/mailbox/email-address-service.js';
import type { EmailAddressTester } from '../../services/mailbox/test-email-address.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { requestLanguage } from '../plugins/error-handler.js';
import { errors, IdParams, PageQuery, Uuid } from '../schemas/common.js';
import { ConnectionTestView } from '../schemas/connection-test.schema.js';
import { AddressInputBody, TestBody } from '../schemas/email-address-input.schema.js';
import { presentDirection } from './connection-test.presenter.js';
import { EmailAddress, presentAddress } from './email-address.presenter.js';
import type { App } from './types.js';

const NoParams = Type.Object({}, { additionalProperties: false });
const EmployeeParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const EmployeeItemParams = Type.Object({ id: Uuid, addressId: Uuid }, { additionalProperties: false });

const COMPANY = '/api/company/email-addresses';
const EMPLOYEE = '/api/employees/:id/email-addresses';

/**
 * Company addresses and an employee's addresses share one model and one set of handlers (M3).
 * Each route names its own params schema so the type provider types `req.params` (no casts);
 * the handlers below take the owner (null = company) and the address id as plain values.
 */
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
  const auth = { preHandler: requireAuth };
  const listSchema = <P extends TObject>(params: P) => ({
    tags,
    params,
    querystring: PageQuery,
    response: { 200: list, ...errors(400, 401, 403, 404) },
  });
  const createSchema = <P extends TObject>(params: P) => ({
    tags,
    params,
    body: AddressInputBody,
    response: { 201: ref, ...errors(400, 401, 403, 404, 409) },
  });
  const getSchema = <P extends TObject>(params: P) => ({
    tags,
    params,
    response: { 200: ref, ...errors(401, 403, 404) },
  });
  const patchSchema = <P extends TObject>(params: P) => ({
    tags,
    params,
    body: AddressInputBody,
    response: { 200: ref, ...errors(400, 401, 403, 404, 409) },
  });
  const deleteSchema = <P extends TObject>(params: P) => ({
    tags,
    params,
    response: { 204: Type.Null(), ...errors(401, 403, 404) },
  });

  const handlers = {
    list: async (actor: Actor, owner: string | null, page: Static<typeof PageQuery>) => {
      const r = await service.list(actor, owner, page);
      return {
        items: r.items.map(presentAddress),
        total: r.total,
        totalExact: r.exact,
        limit: page.limit,
        offset: page.offset,
      };
    },
    get: async (actor: Actor, owner: string | null, id: string) =>
      presentAddress(await service.get(actor, owner, id)),
    remove: (actor: Actor, owner: string | null, id: string) => service.remove(actor, owner, id),
  };

  app.get(COMPANY, { ...auth, schema: listSchema(NoParams) }, (req) =>
    handlers.list(actorOf(req), null, req.query),
  );
  app.get(EMPLOYEE, { ...auth, schema: listSchema(EmployeeParams) }, (req) =>
    handlers.list(actorOf(req), req.params.id, req.query),
  );
  app.post(COMPANY, { ...auth, schema: createSchema(NoParams) }, async (req, reply) =>
    reply.status(201).send(presentAddress(await service.create(actorOf(req), null, req.body))),
  );
  app.post(EMPLOYEE, { ...auth, schema: createSchema(EmployeeParams) }, async (req, reply) =>
    reply.status(201).send(presentAddress(await service.create(actorOf(req), req.params.id, req.body))),
  );
  app.get(`${COMPANY}/:id`, { ...auth, schema: getSchema(IdParams) }, (req) =>
    handlers.get(actorOf(req), null, req.params.id),
  );
  app.get(`${EMPLOYEE}/:addressId`, { ...auth, schema: getSchema(EmployeeItemParams) }, (req) =>
    handlers.get(actorOf(req), req.params.id, req.params.addressId),
  );
  app.patch(`${COMPANY}/:id`, { ...auth, schema: patchSchema(IdParams) }, async (req) =>
    presentAddress(await service.update(actorOf(req), null, req.params.id, req.body)),
  );
  app.patch(`${EMPLOYEE}/:addressId`, { ...auth, schema: patchSchema(EmployeeItemParams) }, async (req) =>
    presentAddress(await service.update(actorOf(req), req.params.id, req.params.addressId, req.body)),
  );
  app.delete(`${COMPANY}/:id`, { ...auth, schema: deleteSchema(IdParams) }, async (req, reply) => {
    await handlers.remove(actorOf(req), null, req.params.id);
    return reply.status(204).send(null);
  });
  app.delete(
    `${EMPLOYEE}/:addressId`,
    { ...auth, schema: deleteSchema(EmployeeItemParams) },
    async (req, reply) => {
      await handlers.remove(actorOf(req), req.params.id, req.params.addressId);
      return reply.status(204).send(null);
    },
  );
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
