import { Type } from 'typebox';
import type { ProjectRow } from '../../db/repositories/project.repository.js';
import type { ProjectService } from '../../services/projects/project-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams, Line, PageOf, PageQuery, Text, Timestamp, Uuid } from '../schemas/common.js';
import type { App } from './types.js';

const Project = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    archived: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Project' },
);
const present = (p: ProjectRow) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  archived: p.archived,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
const fields = { name: Line(200, 1), description: Text(5000), archived: Type.Boolean() };
const CreateBody = Type.Object(
  {
    name: fields.name,
    description: Type.Optional(fields.description),
    archived: Type.Optional(fields.archived),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

export function projectRoutes(app: App, service: ProjectService) {
  app.addSchema(Project);
  const tags = ['projects'];
  const ref = Type.Ref('Project');
  app.get(
    '/api/projects',
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
    '/api/projects',
    {
      preHandler: requireAuth,
      schema: { tags, body: CreateBody, response: { 201: ref, ...errors(400, 401, 403) } },
    },
    async (req, reply) => reply.status(201).send(present(await service.create(actorOf(req), req.body))),
  );
  app.get(
    '/api/projects/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ref, ...errors(401, 404) } },
    },
    async (req) => present(await service.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/api/projects/:id',
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
    '/api/projects/:id',
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
