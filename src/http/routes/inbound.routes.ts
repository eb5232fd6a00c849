import { Type } from 'typebox';
import type { ReadingService } from '../../services/inbound/reading-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, IdParams, Uuid } from '../schemas/common.js';
import type { App } from './types.js';

/** A received comment as the thread's ReceivedComment shows it (issue 10 item 4). */
export const ReceivedCommentView = Type.Object({
  commentId: Uuid,
  kind: Type.Union([Type.Literal('comment'), Type.Literal('reply'), Type.Literal('auto_reply')]),
  from: Type.Object({ email: Type.String({ maxLength: 320 }), name: Type.String({ maxLength: 300 }) }),
  subject: Type.String({ maxLength: 1000 }),
  /** The new text; the quoted history separately, folded by the UI. */
  text: Type.String({ maxLength: 10_000_000 }),
  quotedText: Type.String({ maxLength: 10_000_000 }),
  /** Sanitized server-side; remote images have no src (data-mr-src) until the user asks. */
  html: Type.String({ maxLength: 10_000_000 }),
  remoteImages: Type.Integer({ minimum: 0 }),
  unreadable: Type.Boolean(),
  autoReplyReason: Type.Union([Type.String({ maxLength: 50 }), Type.Null()]),
  omittedAttachments: Type.Array(
    Type.Object({ filename: Type.String({ maxLength: 300 }), size: Type.Integer({ minimum: 0 }) }),
    { maxItems: 1000 },
  ),
  /** `cid:` images of the HTML and the attachment serving each. */
  inlineImages: Type.Array(Type.Object({ contentId: Type.String({ maxLength: 300 }), attachmentId: Uuid }), {
    maxItems: 1000,
  }),
  originalHref: Type.String({ maxLength: 200 }),
});

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
