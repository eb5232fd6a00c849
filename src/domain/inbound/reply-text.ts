import EmailReplyParser from 'email-reply-parser';

/**
 * The new text of a reply with the quoted history split off (issue 10 item 4). Uses
 * email-reply-parser (crisp-oss, maintained; knows "On … wrote:", Polish "W dniu … pisze:",
 * Outlook's "From: …" blocks and `>` quoting). Its regexes are not linear-time without the
 * optional re2, so the input is capped; the rest of a huge text counts as quoted history.
 */
const MAX_PARSED = 64 * 1024;

export interface ReplyText {
  visible: string;
  quoted: string;
}

/**
 * Quote starts the library does not know: Outlook's header block in Polish ("Od: … / Wysłano: …"),
 * in any language after an underscore rule, and "Oryginalna wiadomość" separators.
 */
const QUOTE_START = new RegExp(
  [
    '^-{2,}\\s*(?:oryginalna wiadomość|wiadomość oryginalna|original message)\\s*-{2,}\\s*$',
    '^_{10,}\\s*\\n\\s*(?:od|from|de|von)\\s*:',
    '^\\*?(?:od|from)\\s*:\\*?\\s.{1,300}\\n(?:.{0,300}\\n){0,2}\\*?(?:wysłano|wysłane|data|sent|date)\\s*:',
  ].join('|'),
  'imu',
);

const FORWARD_MARKER =
  /(?:forwarded message|przekazana wiadomość|wiadomość przekazana|begin forwarded message)[^\n]*\n\s*$/i;

export function splitReplyText(text: string): ReplyText {
  const normal = text.replace(/\r\n?/g, '\n');
  let cut = QUOTE_START.exec(normal.slice(0, MAX_PARSED));
  // A forward's header block is the message itself, not history to fold.
  if (cut && FORWARD_MARKER.test(normal.slice(Math.max(0, cut.index - 300), cut.index))) cut = null;
  const head = cut ? normal.slice(0, cut.index) : normal.slice(0, MAX_PARSED);
  const tail = cut ? `${normal.slice(cut.index)}` : normal.slice(MAX_PARSED);
  let visible = head;
  let quoted = '';
  try {
    const email = new EmailReplyParser().read(head);
    visible = email.getVisibleText();
    quoted = email.getQuotedText();
  } catch {
    // A parser failure must never lose the message: show everything as new text.
  }
  if (visible.trim() === '' && quoted.trim() !== '') {
    // Nothing new above the quote (a forward, or a reply written below the quote): show it all.
    return { visible: head.trim(), quoted: tail };
  }
  const moved =
    quoted.trim() || tail ? moveAttribution(visible.trim()) : { visible: visible.trim(), line: '' };
  return { visible: moved.visible, quoted: `${moved.line}${quoted}${tail}`.trim() };
}

/**
 * Gmail's Polish attribution ("czw., 3 gru 2026 o 10:15 Jan <j@x> napisał(a):") is not among
 * the library's patterns: a last line that introduces the quote belongs to the history.
 */
const ATTRIBUTION = /\n([^\n]{0,300}\b(?:napisał(?:\(a\)|a)?|pisze|wrote|writes|schrieb|a écrit)\s*:)\s*$/iu;

function moveAttribution(visible: string): { visible: string; line: string } {
  const m = ATTRIBUTION.exec(`\n${visible}`);
  if (!m) return { visible, line: '' };
  return { visible: `\n${visible}`.slice(0, m.index).trim(), line: `${m[1]}\n` };
}
