import type { DeliveryService } from '../../services/delivery/delivery-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { requestLanguage } from '../plugins/error-handler.js';
import { errors, IdParams } from '../schemas/common.js';
import { DeliveryLogPage, DeliveryLogQuery } from '../schemas/delivery-log.schema.js';
import { presentOutgoingMessage } from '../schemas/outgoing-message.presenter.js';
import { OutgoingMessage } from '../schemas/outgoing-message.schema.js';
import type { App } from './types.js';

/**
 * The Delivery log (issue 9 item 6, M43): admins see every email of the workspace, employees
 * their own; Retry for failed and deferred emails, Send again for uncertain ones.
 */
export function messageRoutes(app: App, delivery: DeliveryService) {
  app.get(
    '/api/messages',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['messages'],
        summary: 'Delivery log: outgoing emails, newest first',
        querystring: DeliveryLogQuery,
        response: { 200: DeliveryLogPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
      const lang = requestLanguage(req);
      const r = await delivery.list(actorOf(req), {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return {
        items: r.items.map((m) => ({
          ...presentOutgoingMessage(m, r.recipients.get(m.id) ?? [], lang),
          author: { employeeId: m.authorEmployeeId, name: m.authorName ?? '' },
          taskTitle: m.taskTitle,
          projectId: m.projectId,
        })),
        total: r.total.total,
        totalExact: r.total.exact,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );

  app.get(
    '/api/messages/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['messages'],
        params: IdParams,
        response: { 200: OutgoingMessage, ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      const r = await delivery.get(actorOf(req), req.params.id);
      return presentOutgoingMessage(r.message, r.recipients, requestLanguage(req));
    },
  );

  app.post(
    '/api/messages/:id/retry',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['messages'],
        summary: 'Queue a failed email again, or try a deferred one now (repeatable)',
        params: IdParams,
        response: { 200: OutgoingMessage, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const r = await delivery.retry(actorOf(req), req.params.id);
      return presentOutgoingMessage(r.message, r.recipients, requestLanguage(req));
    },
  );

  app.post(
    '/api/messages/:id/send-again',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['messages'],
        summary:
          'Send an uncertain email once more as a new email with the same Message-ID (201; a repeat returns the first resend with 200)',
        params: IdParams,
        response: { 200: OutgoingMessage, 201: OutgoingMessage, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const r = await delivery.sendAgain(actorOf(req), req.params.id);
      reply.code(r.created ? 201 : 200);
      return presentOutgoingMessage(r.message, r.recipients, requestLanguage(req));
    },
  );
}
