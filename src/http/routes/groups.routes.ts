import { Type } from 'typebox';
import type { GroupWithMembers } from '../../db/repositories/group.repository.js';
import type { GroupService } from '../../services/groups/group-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams, Line, PageOf, PageQuery, Text, Timestamp, Uuid } from '../schemas/common.js';
import type { App } from './types.js';

const Group = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    memberIds: Type.Array(Uuid),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Group' },
);
const present = (g: GroupWithMembers) => ({
  id: g.id,
  name: g.name,
  description: g.description,
  memberIds: g.memberIds,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});
const fields = {
  name: Line(200, 1),
  description: Text(2000),
  memberIds: Type.Array(Uuid, { maxItems: 10_000 }),
};
const CreateBody = Type.Object(
  {
    name: fields.name,
    description: Type.Optional(fields.description),
    memberIds: Type.Optional(fields.memberIds),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

export function groupRoutes(app: App, service: GroupService) {
  app.addSchema(Group);
  const tags = ['groups'];
  const ref = Type.Ref('Group');
  app.get(
    '/api/groups',
    {
      preHandler: requireAuth,
      schema: { tags, querystring: PageQuery, response: { 200: PageOf(ref), ...errors(400, 401) } },
    },
    async (req) => {
      const r = await service.list(actorOf(req), req.query);
      return {
        items: r.items.map(present),
        total: r.total,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  );
  app.post(
    '/api/groups',
    {
      preHandler: requireAuth,
      schema: { tags, body: CreateBody, response: { 201: ref, ...errors(400, 401, 403) } },
    },
    async (req, reply) => reply.status(201).send(present(await service.create(actorOf(req), req.body))),
  );
  app.get(
    '/api/groups/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ref, ...errors(401, 404) } },
    },
    async (req) => present(await service.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/api/groups/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        body: PatchBody,
        response: { 200: ref, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => present(await service.update(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/groups/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
    },
    async (req, reply) => {
      await service.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
