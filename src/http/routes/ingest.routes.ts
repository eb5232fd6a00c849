import { Type } from 'typebox';
import type { CheckNowService, CollectionState } from '../../services/inbound/collect-check-now.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams } from '../schemas/common.js';
import { MailboxCollection } from '../schemas/ingest.schema.js';
import type { App } from './types.js';

const present = (s: CollectionState) => ({
  addressId: s.addressId,
  collecting: s.collecting,
  checking: s.checking,
  nextPollAt: s.nextPollAt?.toISOString() ?? null,
  lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
  failureStreak: s.failureStreak,
  lastError: s.lastError
    ? {
        kind: String(s.lastError.kind ?? 'internal').slice(0, 40),
        step: typeof s.lastError.step === 'string' ? s.lastError.step.slice(0, 40) : null,
        at: typeof s.lastError.at === 'string' ? s.lastError.at : null,
      }
    : null,
});

/** Collecting replies (M36): status and "check now" of one address. */
export function ingestRoutes(app: App, service: CheckNowService) {
  app.addSchema(MailboxCollection);
  const ref = Type.Ref('MailboxCollection');
  const tags = ['email-addresses'];

  app.get(
    '/api/email-addresses/:id/collection',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        description:
          'When replies were last collected from the address, and when the next check is due (M36).',
        params: IdParams,
        response: { 200: ref, ...errors(401, 403, 404) },
      },
    },
    async (req) => present(await service.status(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/email-addresses/:id/check-now',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        description:
          'Checks the mailbox for replies now instead of at the next scheduled poll (M36). Answers at once (202); the worker collects within seconds.',
        params: IdParams,
        response: { 202: ref, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) =>
      reply.status(202).send(present(await service.checkNow(actorOf(req), req.params.id))),
  );
}
