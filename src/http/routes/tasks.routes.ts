import { Type } from 'typebox';
import type { TaskService } from '../../services/tasks/task-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams } from '../schemas/common.js';
import { presentTask } from '../schemas/task.presenter.js';
import { Task, TaskCreateBody, TaskListQuery, TaskPatchBody } from '../schemas/task.schema.js';
import type { App } from './types.js';

/** Tasks (SPEC §9): list per project, create, read, change title/status/participants. */
export function taskRoutes(app: App, service: TaskService) {
  const tags = ['tasks'];
  if (!app.getSchema('Task')) app.addSchema(Task);
  const ref = Type.Ref('Task');

  app.get(
    '/api/tasks',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        querystring: TaskListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(ref),
            total: Type.Integer(),
            totalExact: Type.Boolean(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await service.list(
        actorOf(req),
        { projectId: q.projectId, status: q.status },
        { limit: q.limit, offset: q.offset, q: q.q },
      );
      return {
        items: r.items.map(presentTask),
        total: r.total,
        totalExact: r.exact,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );
  app.post(
    '/api/tasks',
    {
      preHandler: requireAuth,
      schema: { tags, body: TaskCreateBody, response: { 201: ref, ...errors(400, 401, 403) } },
    },
    async (req, reply) => reply.status(201).send(presentTask(await service.create(actorOf(req), req.body))),
  );
  app.get(
    '/api/tasks/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ref, ...errors(401, 404) } },
    },
    async (req) => presentTask(await service.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/api/tasks/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        body: TaskPatchBody,
        response: { 200: ref, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => presentTask(await service.update(actorOf(req), req.params.id, req.body)),
  );
}
