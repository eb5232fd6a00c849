import { MAX_DIAGNOSTIC, statusCode } from './bounce-dsn.js';
import type { BounceFormat, BounceRecipient } from './bounce-report.js';

/**
 * Non-standard bounces (SECURITY.md §5.3, STACK-NOTES "mailparser and bounces"): plain texts
 * from Exim, qmail, old Sendmail, Exchange's human part, Gmail, Yahoo and Polish providers.
 * Recognised by who sent them and what they say; read paragraph by paragraph: an address
 * starts a recipient, the first SMTP code after it is that recipient's diagnostic.
 */

const AUTOMATED_LOCAL =
  /^(?:mailer[-_]?daemon|postmaster|mail[-_]?daemon|maildelivery|mdaemon|noreply-dmarc|microsoftexchange[0-9a-f]{32})$/i;
const AUTOMATED_NAME =
  /mail delivery (?:subsystem|system|service)|mail administrator|postmaster|mailer[-_ ]daemon/i;

const BOUNCE_SUBJECT = new RegExp(
  [
    '^undeliver(?:ed|able)',
    'undelivered mail returned to sender',
    'mail delivery failed',
    'delivery status notification \\((?:failure|delay)\\)',
    '^failure notice',
    '^returned mail',
    'mail system error',
    'delivery (?:failure|has failed|notification)',
    'message (?:not delivered|delivery failure)',
    '^niedostarcz',
    'nie (?:dostarczono|można dostarczyć|udało się dostarczyć)',
    'wiadomość nie została dostarczona',
    'zwrot wiadomości',
    'błąd dostarczenia',
    '^warning: message .{0,80} delayed',
    '^delayed mail',
    // Exchange / Office 365 in the languages of our clients' clients.
    '^(?:unzustellbar|non remis|no se puede entregar|non recapitabile|onbestelbaar|nedoručitelné|nedoručiteľné|недоставляемое|не доставлено)\\s?:',
  ].join('|'),
  'i',
);

const BOUNCE_BODY = new RegExp(
  [
    'this is the mail system at host',
    'could not be delivered to one or more',
    'following address(?:\\(es\\)|es)? failed',
    'this is the qmail-send program',
    'permanent fatal errors',
    'transcript of session follows',
    'delivery has failed to these recipients',
    "your message (?:to .{1,200} )?(?:couldn't|could not|wasn't|was not) (?:be )?delivered",
    '\\*\\* (?:address not found|message not delivered|message blocked) \\*\\*',
    'unable to deliver your message',
    "i'm afraid i wasn't able to deliver",
    'remote server returned',
    'delivery to the following recipients? failed',
    'nie (?:udało się|można|mogliśmy) dostarczyć',
    'nie został[ao]? dostarczon',
    'wiadomość nie może zostać dostarczona',
    'adres(?:at)? nie istnieje',
    'has not yet been delivered',
    'was not delivered to',
    'dostarczenie do tych adresatów',
    'serwer zdalny zwrócił',
  ].join('|'),
  'i',
);

const COPY_MARKERS =
  /^.*(?:below this line is a copy of the message|this is a copy of the message|original message headers|----- original message -----|original message follows|returned message follows|header of the original message|treść oryginalnej wiadomości|kopia wiadomości|oryginalna wiadomość|nagłówki oryginalnej wiadomości|ursprüngliche nachrichtenkopfzeilen|en-têtes du message d'origine|encabezados del mensaje original|intestazioni del messaggio originale|oorspronkelijke berichtkoppen).*$/im;

const DELAY_MARKERS =
  /still (?:undelivered|not (?:been )?delivered)|has not yet been delivered|will (?:continue|keep) trying|delivery (?:status notification \(delay\)|delayed)|has been delayed|warning: message|temporarily (?:deferred|unable)|ponowi(?:my)? próbę|opóźnion/i;

const SMTP_LINE = /(?:^|[\s'"(#:])([45]\d\d)(?:[ -]+#?([245]\.\d{1,3}\.\d{1,3}))?\b[^\n]*/m;
const ENHANCED_ONLY = /(?:^|[\s'"(#])#?([45]\.\d{1,3}\.\d{1,3})\b[^\n]*/m;
// Letters of any script too: RFC 6531/6533 (SMTPUTF8) addresses such as `łukasz@przykład.pl`.
const ADDRESS = /<?([\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[\p{L}\p{N}-]{1,63}\.)+\p{L}{2,63})>?/giu;

/** The local part of our own Message-IDs (`mr.{token}.{random}`): an id, never a recipient. */
const OUR_ID_LOCAL = /^mr\.[a-z2-7]{16}\.[a-z2-7]{4,}$/i;

/** Words that carry a reason when a report gives no SMTP code (DNS errors, Domino, Sendmail's deferrals, Polish texts). */
const REASON_WORDS =
  /not (?:listed|found)|unknown|does ?n[o']t exist|no such|nie istnieje|rejected|refused|odrzuc|denied|disabled|blocked|timed out|deferred|zablokowan|quota|mailbox (?:is )?full|skrzynka .{0,40}pełna|dns error|nxdomain|domain name not found|błąd|error/i;

export interface BounceSignals {
  fromEmail: string;
  fromName: string;
  subject: string;
  returnPathEmpty: boolean;
  /**
   * Exchange / Office 365 stamp `X-MS-Exchange-Message-Is-Ndr` on their non-delivery reports;
   * anybody can add it to a reply, so it is only set when `mailSystemSender` holds.
   */
  exchangeNdr?: boolean;
  text: string;
}

/** Whether the From names a mail system (mailer-daemon, postmaster, "Mail Delivery System"). */
export const automatedAddress = (fromEmail: string, fromName: string) =>
  AUTOMATED_LOCAL.test(fromEmail.split('@')[0] ?? '') || AUTOMATED_NAME.test(fromName);

/**
 * Whether a mail system, not a person, sent this (decision 0003): a Return-Path, where the
 * delivering server wrote one, must be the null `<>` every report is sent with (RFC 5321
 * §4.5.5); without one, the From must be a mail system's (mailer-daemon, postmaster,
 * Exchange's MicrosoftExchange…, Courier's `<@>`). What only a mail system's report may do —
 * a delivery-status report, Exchange's NDR header — counts only from such a sender.
 */
export function mailSystemSender(returnPath: string, fromEmail: string, fromName: string): boolean {
  const rp = returnPath.trim();
  if (rp) return /^<\s*>$/.test(rp);
  return fromEmail.split('@')[0] === '' || automatedAddress(fromEmail, fromName);
}

const automatedSender = (s: Omit<BounceSignals, 'text'>) =>
  automatedAddress(s.fromEmail, s.fromName) || s.returnPathEmpty || s.exchangeNdr === true;

/**
 * A person answering or forwarding ("Odp: Wiadomość nie została dostarczona", "Re: Undelivered
 * Mail Returned to Sender"): mail systems never put a reply prefix first, so such a subject is
 * not a bounce's (the sender or Return-Path still can be).
 */
// `\s*(?:(?:[n])\s*)?:`, not `\s*(?:[n])?\s*:`: two `\s*` side by side split a run of spaces every
// way (quadratic: "Re" + 40,000 spaces took 6 s).
const PERSON_PREFIX =
  /^\s*(?:re|odp|aw|sv|antw|fw|fwd|pd|prz|przek|tr|wg|rv|vs)\s*(?:(?:\[\d+\]|\(\d+\))\s*)?:/i;
const bounceSubject = (subject: string) => BOUNCE_SUBJECT.test(subject) && !PERSON_PREFIX.test(subject);

/** Whether a message without a delivery-status part is still a bounce. */
export function looksLikeBounce(s: BounceSignals): boolean {
  const automated = automatedSender(s);
  const subject = bounceSubject(s.subject);
  // Exchange's own mark of an NDR ("Microsoft Outlook <MicrosoftExchange…@…>", any language).
  if (s.exchangeNdr) return true;
  // The wording alone never makes a bounce: skip scanning the body (the longest regex here,
  // run over every collected message) when neither signal is there (`bodyCouldMakeBounce`).
  if (!automated && !subject) return false;
  if (automated && subject) return true;
  // One signal and the wording. (A person's "Re: Nie dostarczono zamówienia" never gets here
  // without an automated sender: a reply-prefixed subject is no bounce subject.)
  return BOUNCE_BODY.test(s.text.slice(0, 20_000));
}

/**
 * Whether the body could still make this a bounce: `looksLikeBounce` needs an automated sender
 * or a bounce subject besides the wording, so without either no body text can.
 */
export function bodyCouldMakeBounce(s: Omit<BounceSignals, 'text'>): boolean {
  return automatedSender(s) || bounceSubject(s.subject);
}

/** Which MTA's wording the text has (for the record and the tests). */
export function textFormat(text: string, fromEmail: string): BounceFormat {
  const t = text.slice(0, 20_000);
  if (/this is the qmail-send program/i.test(t)) return 'qmail';
  if (/unable to deliver your message to the following address/i.test(t) || /yahoo/i.test(fromEmail))
    return 'yahoo';
  if (/created automatically by mail delivery software|following address\(es\) failed/i.test(t))
    return 'exim';
  if (/permanent fatal errors|transcript of session follows/i.test(t)) return 'sendmail';
  if (
    /delivery has failed to these recipients|remote server returned|diagnostic information for administrators|dostarczenie do tych adresatów|serwer zdalny zwrócił|informacje diagnostyczne dla administratorów|diagnoseinformationen für administratoren/i.test(
      t,
    )
  )
    return 'exchange';
  if (
    /\*\* (?:address not found|message not delivered|message blocked) \*\*|googlemail\.com|gmail\.com/i.test(
      t + fromEmail,
    )
  )
    return 'gmail';
  if (/this is the mail system at host/i.test(t)) return 'postfix';
  if (/[ąćęłńóśźż]/i.test(t) && /dostarcz/i.test(t)) return 'polish';
  return 'generic';
}

/** The report part of the text: everything before the returned copy of the original. */
export function reportRegion(text: string): { report: string; returned: string } {
  const t = text.slice(0, 200_000).replace(/\r\n/g, '\n');
  const m = COPY_MARKERS.exec(t);
  if (!m) return { report: t, returned: '' };
  return { report: t.slice(0, m.index), returned: t.slice(m.index) };
}

/** Failed recipients read from a non-standard report text. */
export function recipientsFromText(text: string, ignore: ReadonlySet<string>): BounceRecipient[] {
  const { report } = reportRegion(text);
  const delayed = DELAY_MARKERS.test(report);
  // The split's limit stops it there (a text of blank lines would otherwise make 100,000 of them).
  const paragraphs = report.split(/\n[ \t]*\n/, 400);
  const found = new Map<string, BounceRecipient>();
  let current: BounceRecipient | null = null;
  for (const paragraph of paragraphs) {
    const address = firstAddress(paragraph, ignore);
    if (address) {
      current = found.get(address) ?? null;
      if (!current) {
        if (found.size >= 100) break;
        current = {
          recipient: address,
          action: delayed ? 'delayed' : 'failed',
          status: '',
          diagnostic: '',
          remoteMta: '',
        };
        found.set(address, current);
      }
    }
    const diagnostic = diagnosticIn(paragraph);
    if (!diagnostic) continue;
    if (!current) {
      current = { recipient: '', action: 'failed', status: '', diagnostic: '', remoteMta: '' };
      found.set('', current);
    }
    if (!current.diagnostic) {
      current.diagnostic = diagnostic.text;
      current.status = diagnostic.status;
      if (diagnostic.status.startsWith('5')) current.action = 'failed';
      else if (diagnostic.status.startsWith('4')) current.action = 'delayed';
    }
  }
  // No SMTP code anywhere: the first line that gives a reason, so the catalogue can still explain it.
  const reason = reasonLines(report, 3).join(' ');
  for (const r of found.values()) if (!r.diagnostic && reason) r.diagnostic = reason.slice(0, MAX_DIAGNOSTIC);
  return [...found.values()];
}

/** The first `max` lines that give a reason, read line by line up to the last one needed. */
function reasonLines(report: string, max: number): string[] {
  const out: string[] = [];
  for (let start = 0; start <= report.length && out.length < max; ) {
    const end = report.indexOf('\n', start);
    const line = report.slice(start, end < 0 ? undefined : end).trim();
    if (line.length > 3 && REASON_WORDS.test(line) && !/^(?:subject|temat)\s*:/i.test(line)) out.push(line);
    if (end < 0) break;
    start = end + 1;
  }
  return out;
}

/** First address in a paragraph that is not ours to ignore (the bounce's sender, postmasters). */
function firstAddress(paragraph: string, ignore: ReadonlySet<string>): string | null {
  for (const m of paragraph.matchAll(ADDRESS)) {
    const email = m[1]!.toLowerCase();
    const local = email.split('@')[0]!;
    if (ignore.has(email) || AUTOMATED_LOCAL.test(local) || OUR_ID_LOCAL.test(local)) continue;
    return email;
  }
  return null;
}

/** Every address a report's text mentions (for matching against the original's recipients). */
export function addressesIn(text: string, max = 50): string[] {
  const out = new Set<string>();
  for (const m of text.slice(0, 100_000).matchAll(ADDRESS)) {
    if (OUR_ID_LOCAL.test(m[1]!.split('@')[0]!)) continue;
    out.add(m[1]!.toLowerCase());
    if (out.size >= max) break;
  }
  return [...out];
}

/** The SMTP reply line in a paragraph: `550 5.1.1 <a@b>: Recipient address rejected: …`. */
function diagnosticIn(paragraph: string): { text: string; status: string } | null {
  const flat = paragraph.replace(/\n[ \t]+/g, ' ');
  const smtp = SMTP_LINE.exec(flat);
  if (smtp && !/^\d{3}\.\d/.test(smtp[0].trim())) {
    const line = smtp[0].replace(/^[\s'"(#:]+/, '').replace(/['")]+\s*$/, '');
    const code = smtp[1]!;
    return {
      text: line.slice(0, MAX_DIAGNOSTIC).trim(),
      status: smtp[2] ?? (statusCode(line) || `${code[0]}.0.0`),
    };
  }
  const enhanced = ENHANCED_ONLY.exec(flat);
  if (enhanced) {
    // The whole line: qmail puts the words before the code (`Sorry, no mailbox here … (#5.1.1)`).
    const start = flat.lastIndexOf('\n', enhanced.index + 1) + 1;
    const end = flat.indexOf('\n', enhanced.index + 1);
    return {
      text: flat
        .slice(start, end < 0 ? undefined : end)
        .replace(/^[\s'"(#]+/, '')
        .slice(0, MAX_DIAGNOSTIC)
        .trim(),
      status: enhanced[1]!,
    };
  }
  return null;
}
