import { Type } from 'typebox';
import type { ReadingService } from '../../services/inbound/reading-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams } from '../schemas/common.js';
import { ReceivedCommentView } from '../schemas/received.schema.js';
import type { App } from './types.js';

type View = Awaited<ReturnType<ReadingService['received']>>;

export function presentReceived(v: View) {
  return {
    commentId: v.commentId,
    kind: v.kind,
    from: { email: v.received.fromEmail, name: v.received.fromName },
    subject: v.received.subject,
    text: v.bodyText,
    quotedText: v.received.quotedText,
    html: v.bodyHtml,
    remoteImages: v.received.remoteImages,
    unreadable: v.received.unreadable,
    autoReplyReason: v.received.autoReplyReason,
    omittedAttachments: v.received.omittedAttachments,
    inlineImages: v.inline.map((i) => ({ contentId: i.contentId, attachmentId: i.id })),
    originalHref: `/api/comments/${v.commentId}/original`,
  };
}

/** Reading received mail: the comment's reading view and the raw original (.eml download). */
export function inboundRoutes(app: App, service: ReadingService) {
  const tags = ['comments'];
  app.get(
    '/api/comments/:id/received',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ReceivedCommentView, ...errors(400, 401, 404) } },
    },
    async (req) => presentReceived(await service.received(actorOf(req), req.params.id)),
  );

  app.get(
    '/api/comments/:id/original',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (req, reply) => {
      const r = await service.original(actorOf(req), req.params.id);
      for (const [k, v] of Object.entries(r.headers)) reply.header(k, v);
      return reply.send(r.content);
    },
  );
}
