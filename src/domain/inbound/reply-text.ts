import EmailReplyParser from 'email-reply-parser';
import { forLibrary, parsedLength, restoreLines } from './reply-text-bounds.js';

/**
 * The new text of a reply with the quoted history split off (issue 10 item 4). Uses
 * email-reply-parser (crisp-oss, maintained; knows "On … wrote:", Polish "W dniu … pisze:",
 * Outlook's "From: …" blocks and `>` quoting). Its regexes are not linear-time without the
 * optional re2, so it reads a bounded, normalised copy (`reply-text-bounds.ts`); our own quote
 * starts (linear) are looked for in the first MAX_SCANNED characters, and the rest of a huge
 * text counts as quoted history.
 */
const MAX_SCANNED = 64 * 1024;

export interface ReplyText {
  visible: string;
  quoted: string;
}

/**
 * Labels of the header block Outlook (desktop, web, Mac, mobile) puts above the quoted email, in
 * the languages of our clients' clients (decision 0007). A label may have a space (French: also a
 * no-break space) before its colon and be bold (`*Von:*`) in text made from HTML.
 */
const FROM = 'from|od|von|de|da|van|от|від|från|fra|feladó|kimden|lähettäjä';
/**
 * When it was sent (Outlook desktop/web: "Sent"; Mac and the new Outlook: "Date"). People write
 * such lines too ("Od: poniedziałku… / Data: dostawy…", "From: our warehouse / Sent: 20
 * pallets"): a block counts only with From, then this, then the Subject label.
 */
const SENT =
  'sent|wysłano|wysłane|gesendet|envoyé|enviado(?: el)?|inviato|verzonden|odesláno|odoslané|отправлено|надіслано|skickat|sendt|elküldve|gönderildi|lähetetty|date|data|datum|fecha|дата';
const SUBJECT =
  'subject|temat|betreff|objet|asunto|oggetto|onderwerp|předmět|predmet|тема|ämne|emne|tárgy|konu|aihe';
const label = (words: string) => `[ \\t]*\\*?(?:${words})[ \\t\\u00a0\\u202f]?:\\*?`;
const LINE = '[^\\n]{0,300}\\n';
const SEPARATORS = [
  'oryginalna wiadomość|wiadomość oryginalna|original message|ursprüngliche nachricht',
  "message d['’]origine|mensaje original|messaggio originale|oorspronkelijk bericht",
  'původní zpráva|pôvodná správa|исходное сообщение|оригінальне повідомлення',
].join('|');

/** Quote starts the library does not know (or knows only with the sender's address on the line). */
const QUOTE_START = new RegExp(
  [
    `^-{2,}\\s*(?:${SEPARATORS})\\s*-{2,}\\s*$`,
    `^_{10,}[ \\t]*\\n${label(FROM)}`,
    `^${label(FROM)}[ \\t]${LINE}(?:${LINE}){0,2}?${label(SENT)}[ \\t]${LINE}(?:${LINE}){0,4}?${label(SUBJECT)}`,
  ].join('|'),
  'imu',
);

const FORWARD_MARKER = new RegExp(
  `(?:${[
    'forwarded message|begin forwarded message|przekazana wiadomość|wiadomość przekazana',
    'weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato',
    'doorgestuurd bericht|přeposlaná zpráva|пересылаемое сообщение|переслане повідомлення',
  ].join('|')})[^\\n]*\\n\\s*$`,
  'iu',
);

export function splitReplyText(text: string): ReplyText {
  const normal = text.replace(/\r\n?/g, '\n');
  let cut = QUOTE_START.exec(normal.slice(0, MAX_SCANNED));
  // A forward's header block is the message itself, not history to fold.
  if (cut && FORWARD_MARKER.test(normal.slice(Math.max(0, cut.index - 300), cut.index))) cut = null;
  const head = cut ? normal.slice(0, cut.index) : normal.slice(0, MAX_SCANNED);
  const tail = cut ? `${normal.slice(cut.index)}` : normal.slice(MAX_SCANNED);
  // Past what the library reads: more new text when it found no quote, else more history.
  const unread = head.slice(parsedLength(head));
  let visible = head;
  let quoted = '';
  try {
    const email = new EmailReplyParser().read(forLibrary(head));
    visible = restoreLines(email.getVisibleText());
    quoted = restoreLines(email.getQuotedText());
    if (quoted.trim() === '') visible += unread;
    else quoted += unread;
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
 * Words of the line that introduces a quote ("… wrote:", "Am … schrieb …:", "Le … a écrit :",
 * "… napsal(a):", "… пишет:", Apple's "Wiadomość napisana przez … w dniu …:").
 */
const ATTRIBUTION_VERB =
  /\b(?:napisał(?:\(a\)|a)?|napisana przez|pisze|wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|napsal(?:\(a\)|a)?|napísal(?:\(a\)|a)?|skrev|kirjoitti|escreveu)|(?:пишет|написал(?:\(а\)|а)?|написав(?:\(ла\)|ла)?|пише)/iu;
const ADDRESS = /[^\s<>()]{1,64}@[^\s<>()]{1,253}\.[a-z]{2,63}/i;
const WHEN = /\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b/;

/** Whether `block` (one line, or a wrapped attribution of up to three) introduces a quote. */
function isAttribution(block: string): boolean {
  if (block.length > 400 || !/:\s*$/.test(block)) return false;
  // Gmail in Russian writes no verb: "чт, 3 дек. 2026 г. в 10:15, Имя <a@b>:".
  return ATTRIBUTION_VERB.test(block) || (ADDRESS.test(block) && WHEN.test(block));
}

/**
 * The library leaves an attribution it does not know above the `>` quote: a last paragraph of up
 * to three lines that starts with the date (Gmail wraps long ones; no line but the last ends a
 * sentence), or else a last line, that introduces the quote belongs to the history.
 */
function moveAttribution(visible: string): { visible: string; line: string } {
  const paragraphStart = visible.lastIndexOf('\n\n') + 1;
  const lines = visible.slice(paragraphStart).trim().split('\n');
  const wrapped =
    lines.length <= 3 &&
    WHEN.test(lines[0]!) &&
    lines.slice(0, -1).every((l) => !/[.!?]\s*$/.test(l)) &&
    isAttribution(lines.join('\n'));
  const lastLineStart = visible.lastIndexOf('\n') + 1;
  const start = wrapped ? paragraphStart : isAttribution(visible.slice(lastLineStart)) ? lastLineStart : -1;
  if (start < 0) return { visible, line: '' };
  return { visible: visible.slice(0, start).trim(), line: `${visible.slice(start).trim()}\n` };
}
