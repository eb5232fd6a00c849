import { randomBytes } from 'node:crypto';
import { SANDBOX_HOST_NAME, type SandboxPersona } from './sandbox-world.js';

/** What the simulated people need to know about the email they answer. */
export interface OriginalEmail {
  messageId: string | null;
  references: string[];
  subject: string;
  /** Where an answer goes: Reply-To, else From. */
  replyTo: { email: string; name: string } | null;
  fromEmail: string | null;
  text: string;
  date: Date;
  /** The header block as received (returned inside a bounce). */
  rawHeaders: string;
}

const CRLF = '\r\n';

/** RFC 2047 encoded-word when needed (Polish names and subjects). */
function encodeWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function mailbox(email: string, name?: string): string {
  return name ? `${/^[\w .-]*$/.test(name) ? `"${name}"` : encodeWord(name)} <${email}>` : `<${email}>`;
}

const newMessageId = () =>
  `<sandbox.${Date.now().toString(36)}.${randomBytes(6).toString('hex')}@${SANDBOX_HOST_NAME}>`;

function base64Lines(text: string): string {
  return (
    Buffer.from(text.replace(/\r?\n/g, CRLF), 'utf8')
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join(CRLF) ?? ''
  );
}

function textMessage(headers: [string, string][], body: string): Buffer {
  const lines = [
    ...headers.map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(body),
    '',
  ];
  return Buffer.from(lines.join(CRLF), 'utf8');
}

const quoted = (text: string) =>
  text
    .trim()
    .split(/\r?\n/)
    .slice(0, 40)
    .map((l) => `> ${l}`)
    .join('\n');

const reSubject = (subject: string) =>
  /^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`;

/** Thread headers of an answer: In-Reply-To the original, References its chain plus it. */
function threadHeaders(original: OriginalEmail): [string, string][] {
  if (!original.messageId) return [];
  const refs = [...original.references.filter((r) => r !== original.messageId), original.messageId].slice(
    -10,
  );
  return [
    ['In-Reply-To', original.messageId],
    ['References', refs.join(' ')],
  ];
}

/** A person's real reply (what a mail program sends), quoting the original below the answer. */
export function composeReply(persona: SandboxPersona, original: OriginalEmail, now: Date): Buffer | null {
  if (!original.replyTo) return null;
  const body = [
    'Dzień dobry,',
    '',
    'dziękuję za wiadomość — wszystko jasne, potwierdzam. Odezwę się, gdy będę mieć więcej informacji.',
    '',
    'Pozdrawiam',
    persona.name,
    persona.company,
    '',
    `W dniu ${original.date.toISOString().slice(0, 16).replace('T', ' ')} ${original.replyTo.email} napisał(a):`,
    quoted(original.text),
  ].join('\n');
  return textMessage(
    [
      ['From', mailbox(persona.email, persona.name)],
      ['To', mailbox(original.replyTo.email, original.replyTo.name)],
      ['Subject', encodeWord(reSubject(original.subject))],
      ['Date', now.toUTCString().replace('GMT', '+0000')],
      ['Message-ID', newMessageId()],
      ...threadHeaders(original),
    ],
    body,
  );
}

/** An out-of-office notice (RFC 3834: Auto-Submitted, sent to the envelope sender's address). */
export function composeOutOfOffice(
  persona: SandboxPersona,
  original: OriginalEmail,
  now: Date,
): Buffer | null {
  if (!original.replyTo) return null;
  const body = [
    'Dzień dobry,',
    '',
    'jestem na urlopie do końca miesiąca, bez dostępu do poczty. Odpowiem po powrocie.',
    'W pilnych sprawach proszę o kontakt z biurem Klient Demo S.A.',
    '',
    persona.name,
  ].join('\n');
  return textMessage(
    [
      ['From', mailbox(persona.email, persona.name)],
      ['To', mailbox(original.replyTo.email, original.replyTo.name)],
      ['Subject', encodeWord(`Nieobecność: ${original.subject.trim()}`)],
      ['Date', now.toUTCString().replace('GMT', '+0000')],
      ['Message-ID', newMessageId()],
      ['Auto-Submitted', 'auto-replied'],
      ['X-Autoreply', 'yes'],
      ...threadHeaders(original),
    ],
    body,
  );
}

/**
 * A delivery status notification (RFC 3464: multipart/report with a human part, a
 * message/delivery-status part and the original's headers) for recipients that do not exist,
 * from MAILER-DAEMON to the envelope sender.
 */
export function composeBounce(
  envelopeFrom: string,
  recipients: string[],
  original: OriginalEmail,
  now: Date,
): Buffer {
  const boundary = `sandbox-dsn-${randomBytes(8).toString('hex')}`;
  const date = now.toUTCString().replace('GMT', '+0000');
  const human = [
    'This is the mail system at host piaskownica.mailroom.test (the mailroom sandbox).',
    '',
    "I'm sorry to have to inform you that your message could not be delivered to one or more",
    'recipients: the address does not exist.',
    '',
    ...recipients.map(
      (r) =>
        `<${r}>: host ${SANDBOX_HOST_NAME} said: 550 5.1.1 <${r}>: Recipient address rejected: User unknown in local recipient table`,
    ),
    '',
  ].join(CRLF);
  const status = [
    `Reporting-MTA: dns; ${SANDBOX_HOST_NAME}`,
    `Arrival-Date: ${date}`,
    '',
    ...recipients.flatMap((r) => [
      `Final-Recipient: rfc822; ${r}`,
      `Original-Recipient: rfc822; ${r}`,
      'Action: failed',
      'Status: 5.1.1',
      `Remote-MTA: dns; ${SANDBOX_HOST_NAME}`,
      `Diagnostic-Code: smtp; 550 5.1.1 <${r}>: Recipient address rejected: User unknown in local recipient table`,
      '',
    ]),
  ].join(CRLF);
  const lines = [
    `From: ${mailbox(`MAILER-DAEMON@${SANDBOX_HOST_NAME}`, 'Mail Delivery System')}`,
    `To: <${envelopeFrom}>`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${date}`,
    `Message-ID: ${newMessageId()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Description: Notification',
    '',
    human,
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    status,
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    'Content-Description: Undelivered Message Headers',
    '',
    original.rawHeaders.replace(/\r?\n/g, CRLF).trimEnd(),
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join(CRLF), 'utf8');
}
