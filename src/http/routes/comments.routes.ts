import { Type } from 'typebox';
import type { CommentService } from '../../services/tasks/comment-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { requestLanguage } from '../plugins/error-handler.js';
import { errors, IdParams } from '../schemas/common.js';
import { presentComment } from '../schemas/task.presenter.js';
import {
  COMMENT_BODY_LIMIT,
  Comment,
  CommentCreateBody,
  CommentListQuery,
  IdempotencyHeaders,
} from '../schemas/task.schema.js';
import type { App } from './types.js';

/**
 * A task's comments (SPEC §9, M29–M31) and attachment downloads. POST carries attachments as
 * base64 in the JSON body (bounded: per-file and total caps, a route body limit sized for
 * them) and an optional `Idempotency-Key` header: a repeat answers the first comment, 201.
 */
export function commentRoutes(app: App, service: CommentService) {
  const tags = ['comments'];
  if (!app.getSchema('Comment')) app.addSchema(Comment);
  const ref = Type.Ref('Comment');

  app.get(
    '/api/tasks/:id/comments',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        querystring: CommentListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(ref),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await service.list(actorOf(req), req.params.id, q);
      return {
        items: r.items.map((c) => presentComment(c, requestLanguage(req))),
        total: r.total,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );

  app.post(
    '/api/tasks/:id/comments',
    {
      preHandler: requireAuth,
      bodyLimit: COMMENT_BODY_LIMIT,
      schema: {
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CommentCreateBody,
        response: { 201: ref, ...errors(400, 401, 403, 404, 413, 422) },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const r = await service.post(
        actorOf(req),
        req.params.id,
        req.body,
        typeof key === 'string' ? key : null,
      );
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(presentComment(r.comment, requestLanguage(req)));
    },
  );

  app.get(
    '/api/attachments/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      const r = await service.attachment(actorOf(req), req.params.id);
      for (const [k, v] of Object.entries(r.headers)) reply.header(k, v);
      return reply.send(r.content);
    },
  );
}
