import { Type } from 'typebox';
import { testEmailState } from '../../domain/mailbox/test-email.js';
import type { TestEmailRecord, TestEmailService } from '../../services/mailbox/send-test-email.js';
import type { Lang } from '../i18n/language.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { requestLanguage } from '../plugins/error-handler.js';
import { errors, Uuid } from '../schemas/common.js';
import { TestEmail } from '../schemas/test-email.schema.js';
import { presentDirection } from './connection-test.presenter.js';
import type { App } from './types.js';

function present(r: TestEmailRecord, lang: Lang, now: Date) {
  const { row } = r;
  return {
    id: row.id,
    addressId: row.addressId,
    status: testEmailState(row, now),
    messageId: row.messageId,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    arrivedAt: row.arrivedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    deadlineAt: row.deadlineAt.toISOString(),
    checks: row.checks,
    arrivalMs: row.sentAt && row.arrivedAt ? row.arrivedAt.getTime() - row.sentAt.getTime() : null,
    send: r.send ? presentDirection(r.send, lang) : null,
    arrival: r.arrival ? presentDirection(r.arrival, lang) : null,
  };
}

/** "Send a test email" (M23) for any saved address the caller may manage. */
export function testEmailRoutes(app: App, service: TestEmailService, clock: () => Date = () => new Date()) {
  app.addSchema(TestEmail);
  const ref = Type.Ref('TestEmail');
  const tags = ['email-addresses'];
  const base = '/api/email-addresses/:id/test-emails';
  const params = Type.Object({ id: Uuid });

  app.post(
    base,
    {
      preHandler: requireAuth,
      schema: {
        tags,
        description:
          'Sends a test email from the saved address to itself and then checks its POP3/IMAP mailbox until it arrives (M23). Answers at once (202); poll the returned item. While one is running for the address, returns that one.',
        params,
        response: { 202: ref, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      const lang = requestLanguage(req);
      const r = await service.start(actorOf(req), req.params.id, lang);
      return reply.status(202).send(present(r, lang, clock()));
    },
  );
  app.get(
    base,
    {
      preHandler: requireAuth,
      schema: {
        tags,
        description: 'The latest test emails of the address, newest first.',
        params,
        response: { 200: Type.Object({ items: Type.Array(ref) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const lang = requestLanguage(req);
      const items = await service.recent(actorOf(req), req.params.id);
      return { items: items.map((r) => present(r, lang, clock())) };
    },
  );
  app.get(
    `${base}/:testEmailId`,
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: Type.Object({ id: Uuid, testEmailId: Uuid }),
        response: { 200: ref, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const lang = requestLanguage(req);
      return present(await service.get(actorOf(req), req.params.id, req.params.testEmailId), lang, clock());
    },
  );
}
