import { type HeaderBag, headerValue } from './header-block.js';

/**
 * Automatic replies (M39, RFC 3834): attached quietly to their task, never notifying anyone.
 * Headers first (they are what RFC 3834 and the big providers set), then out-of-office
 * subjects in Polish and English (and Outlook's automatic-reply subject in other languages)
 * at the start of the subject, also as a tag ("[Auto-Reply] …"; so that a client's
 * "Re: Nieobecność w piątek" stays a reply).
 */
const subjectStart = (phrases: string[]) =>
  new RegExp(`^\\s*(?:\\[[^\\]]{0,40}\\]\\s*)?[[(]?\\s*(?:${phrases.join('|')})`, 'i');

/** Phrases only an autoresponder puts first in a subject. */
const AUTOMATIC_SUBJECT = subjectStart([
  'auto(?:matic|matyczna)?[ -]?(?:reply|response|answer|odpowiedź)',
  'autoreply',
  'autorespon(?:se|der)',
  'autoodpowiedź',
  'automatyczna odpowied[źz]',
  'odpowied[źz] automatyczna',
  'out of (?:the )?office',
  'vacation reply',
  'abwesenheitsnotiz',
  'réponse automatique',
  // Outlook's automatic-reply subject in the languages of our clients' clients.
  'automatische antwort',
  'respuesta automática',
  'risposta automatica',
  'automatisch antwoord',
  'automatick[áa] odpov[ěe][ďd]',
  'автоматический ответ',
  'автоматична відповідь',
]);

/**
 * Words a person may also start a new message with ("Urlop w Zakopanem — rezerwacja",
 * "Nieobecność pracownika"): they mark an automatic reply only on a message that answers
 * another one (In-Reply-To or References). Taking a client's new message for an automatic
 * reply would lose it (no task, nobody told); the opposite mistake costs one extra task.
 */
const ABSENCE_SUBJECT = subjectStart([
  'ooo\\b',
  'away from (?:the )?office',
  'on vacation',
  'on holiday',
  'nieobecno[śs][ćc]',
  'jestem nieobecn[ya]',
  'poza biurem',
  'jestem na urlopie',
  'urlop\\b',
]);

function outOfOfficeSubject(headers: HeaderBag, subject: string): boolean {
  const start = subject.slice(0, 300);
  if (AUTOMATIC_SUBJECT.test(start)) return true;
  const answers = headers.has('in-reply-to') || headers.has('references');
  return answers && ABSENCE_SUBJECT.test(start);
}

export type AutoReplyReason =
  | 'auto-submitted'
  | 'x-autoreply'
  | 'x-autorespond'
  | 'precedence'
  | 'out-of-office-subject'
  | 'read-receipt';

/** Why a message is an automatic reply, or null for a person's message. */
export function autoReplyReason(
  headers: HeaderBag,
  subject: string,
  contentType: string,
): AutoReplyReason | null {
  const autoSubmitted =
    headerValue(headers, 'auto-submitted')
      .toLowerCase()
      .split(/[\s;(]/)[0] ?? '';
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-submitted';
  if (headers.has('x-autoreply') || headers.has('x-autoreply-from') || headers.has('x-mail-autoreply'))
    return 'x-autoreply';
  if (headers.has('x-autorespond') || headers.has('x-autoresponder')) return 'x-autorespond';
  const precedence = headerValue(headers, 'precedence').trim().toLowerCase();
  if (precedence === 'auto_reply' || precedence === 'bulk' || precedence === 'junk') return 'precedence';
  if (/^multipart\/report\b/.test(contentType) && /disposition-notification/.test(contentType))
    return 'read-receipt';
  if (outOfOfficeSubject(headers, subject)) return 'out-of-office-subject';
  return null;
}

/** A reply's subject prefix (`Re:`, `Odp:`, `AW:`, `Fwd:` …). */
const REPLY_PREFIX = /^\s*(?:re|odp|aw|sv|antw|fwd?|pd|tr|wg)\s*(?:\[\d+\]\s*)?:/i;

/**
 * What marks a person's automatic reply beyond doubt: an X-Autoreply/X-Autorespond header, an
 * out-of-office subject, or `Auto-Submitted` on a `Re:` subject (bounces never use these).
 * `Auto-Submitted` alone is not enough: RFC 3834 asks delivery reports to carry it too.
 */
export function personalAutoReply(headers: HeaderBag, subject: string): boolean {
  const autoSubmitted =
    headerValue(headers, 'auto-submitted')
      .trim()
      .toLowerCase()
      .split(/[\s;(]/)[0] ?? '';
  return (
    (autoSubmitted !== '' && autoSubmitted !== 'no' && REPLY_PREFIX.test(subject)) ||
    headers.has('x-autoreply') ||
    headers.has('x-autorespond') ||
    headers.has('x-autoresponder') ||
    outOfOfficeSubject(headers, subject)
  );
}
