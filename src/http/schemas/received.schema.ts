import { type Static, Type } from 'typebox';
import { Uuid } from './common.js';

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

export type ReceivedView = Static<typeof ReceivedCommentView>;
