import { type Static, type TObject, type TSchema, Type } from 'typebox';
import type { Actor, Page } from '../../domain/actor.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams, PageQuery } from '../schemas/common.js';
import type { App } from './types.js';

/** The use-case surface a plain workspace resource offers (employees, groups, projects, contacts). */
export interface CrudService<Row, Create, Patch> {
  /** `exact: false` = `total` is a lower bound (the count stopped past the page; see cappedCount). */
  list(actor: Actor, page: Page): Promise<{ items: Row[]; total: number; exact?: boolean }>;
  get(actor: Actor, id: string): Promise<Row>;
  create(actor: Actor, input: Create): Promise<Row>;
  /** `caller`: the request's session (the employees' service keeps it on a password change). */
  update(actor: Actor, id: string, input: Patch, caller: { sessionToken: string | null }): Promise<Row>;
  remove(actor: Actor, id: string): Promise<void>;
}

/**
 * One page of a list. `totalExact: false` means `total` is a lower bound: counting stops a
 * thousand rows past the page, which is all a pager needs (large workspaces, issue #4).
 */
const ListPage = (item: TSchema) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    totalExact: Type.Boolean(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/**
 * The body Fastify already validated against `schema`. TypeScript cannot follow the type
 * provider through a generic schema, so this is the one place that states it; the service
 * signatures are checked against `Static<schema>` (decision 0009).
 */
const validated = <S extends TSchema>(body: unknown, _schema: S): Static<S> => body as Static<S>;

/**
 * List/create/read/update/delete routes for one resource at `/api/<name>`: schema → auth →
 * one use-case call → presenter. `item` must carry an `$id` (it is registered and referenced).
 */
export function crudRoutes<Row, CreateBody extends TSchema, PatchBody extends TSchema>(
  app: App,
  opts: {
    name: string;
    item: TObject;
    createBody: CreateBody;
    patchBody: PatchBody;
    present: (row: Row) => unknown;
    /** The service takes exactly what the body schemas let through (no casts at the boundary). */
    service: CrudService<Row, Static<CreateBody>, Static<PatchBody>>;
    /** Statuses writes can answer besides 400/401/404 (e.g. 403 admin-only, 409 conflicts). */
    writeErrors?: number[];
  },
) {
  const { name, service, present } = opts;
  const tags = [name];
  const id = (opts.item as { $id?: string }).$id;
  if (!id) throw new Error(`crudRoutes(${name}): the item schema needs an $id`);
  const ref = Type.Ref(id);
  const writeErrors = opts.writeErrors ?? [403];
  if (!app.getSchema(id)) app.addSchema(opts.item);
  const base = `/api/${name}`;

  app.get(
    base,
    {
      preHandler: requireAuth,
      schema: { tags, querystring: PageQuery, response: { 200: ListPage(ref), ...errors(400, 401) } },
    },
    async (req) => {
      const q = req.query;
      const r = await service.list(actorOf(req), q);
      return {
        items: r.items.map(present),
        total: r.total,
        totalExact: r.exact ?? true,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );
  app.post(
    base,
    {
      preHandler: requireAuth,
      schema: { tags, body: opts.createBody, response: { 201: ref, ...errors(400, 401, ...writeErrors) } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(present(await service.create(actorOf(req), validated(req.body, opts.createBody)))),
  );
  app.get(
    `${base}/:id`,
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ref, ...errors(401, 404) } },
    },
    async (req) => present(await service.get(actorOf(req), req.params.id)),
  );
  app.patch(
    `${base}/:id`,
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        body: opts.patchBody,
        response: { 200: ref, ...errors(400, 401, 404, ...writeErrors) },
      },
    },
    async (req) =>
      present(
        await service.update(actorOf(req), req.params.id, validated(req.body, opts.patchBody), {
          sessionToken: req.auth?.sessionToken ?? null,
        }),
      ),
  );
  app.delete(
    `${base}/:id`,
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(401, 404, ...writeErrors) } },
    },
    async (req, reply) => {
      await service.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
