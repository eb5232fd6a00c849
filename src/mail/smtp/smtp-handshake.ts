import type { MailSecurity } from '../../domain/mailbox/connection.js';
import type { TranscriptEntry } from './smtp-session.js';

/** When one handshake step ran and what the server answered; `done` = the step completed. */
export interface HandshakeStepTiming {
  startedAt: number;
  endedAt: number;
  reply?: string;
  done: boolean;
}

/** Greeting, STARTTLS, TLS (after STARTTLS) and EHLO, as read from nodemailer's transcript. */
export interface HandshakeTimeline {
  greeting: HandshakeStepTiming;
  starttls?: HandshakeStepTiming & { advertised: boolean };
  tls?: HandshakeStepTiming;
  ehlo: HandshakeStepTiming;
  /** Which step was still running when the handshake stopped (null when it finished). */
  failedStep: 'greeting' | 'starttls' | 'tls' | 'ehlo' | null;
}

const HELLO_RE = /^(EHLO|HELO|LHLO)\b/i;

/**
 * nodemailer runs greeting → EHLO → STARTTLS → handshake → EHLO inside `connect()`; this
 * splits that into probe steps from the transcript timestamps (each client command is logged
 * as it is written, each reply as it is parsed). `finished` is true when `connect()` resolved.
 * `failedCommand` (the nodemailer error's `command`) pins an EHLO failure to the ehlo step.
 */
export function readHandshake(
  transcript: readonly TranscriptEntry[],
  security: MailSecurity,
  startedAt: number,
  finished: boolean,
  failedCommand?: string,
  now = Date.now(),
): HandshakeTimeline {
  const at = (i: number): TranscriptEntry | undefined => (i >= 0 ? transcript[i] : undefined);
  const replyAfter = (i: number): number =>
    i < 0 ? -1 : transcript.findIndex((e, j) => j > i && e.dir === 'S');
  const commandAfter = (i: number, re: RegExp): number =>
    transcript.findIndex((e, j) => j > i && e.dir === 'C' && re.test(e.text));

  const greetingIdx = transcript.findIndex((e) => e.dir === 'S');
  const greetingEntry = at(greetingIdx);
  const firstHello = commandAfter(greetingIdx, HELLO_RE);
  const greeting: HandshakeStepTiming = {
    startedAt,
    endedAt: greetingEntry?.at ?? now,
    done: greetingEntry?.text.startsWith('220') === true && firstHello >= 0,
  };
  if (greetingEntry) greeting.reply = greetingEntry.text;

  let lastHello = firstHello;
  let starttls: HandshakeTimeline['starttls'];
  let tls: HandshakeTimeline['tls'];
  if (security === 'starttls') {
    const plainEhloReply = at(replyAfter(firstHello));
    const startTlsIdx = commandAfter(firstHello, /^STARTTLS$/i);
    const startTlsReply = at(replyAfter(startTlsIdx));
    const secondHello = startTlsIdx >= 0 ? commandAfter(startTlsIdx, HELLO_RE) : -1;
    starttls = {
      startedAt: greeting.endedAt,
      endedAt: startTlsReply?.at ?? now,
      done: startTlsReply?.text.startsWith('2') === true,
      advertised: plainEhloReply ? /^\d{3}[ -]STARTTLS\b/im.test(plainEhloReply.text) : false,
    };
    if (startTlsReply) starttls.reply = startTlsReply.text;
    tls = { startedAt: starttls.endedAt, endedAt: at(secondHello)?.at ?? now, done: secondHello >= 0 };
    // Before the handshake the only EHLO is the plaintext one (its failure is the ehlo step's).
    if (secondHello >= 0) lastHello = secondHello;
  } else {
    // The last EHLO/HELO: nodemailer falls back to HELO when EHLO is refused.
    for (let i = transcript.length - 1; i > firstHello; i--) {
      const entry = transcript[i];
      if (entry?.dir === 'C' && HELLO_RE.test(entry.text)) {
        lastHello = i;
        break;
      }
    }
  }
  const helloReply = at(replyAfter(lastHello));
  const ehlo: HandshakeStepTiming = {
    startedAt: at(lastHello)?.at ?? now,
    endedAt: helloReply?.at ?? now,
    done: finished,
  };
  if (helloReply) ehlo.reply = helloReply.text;

  let failedStep: HandshakeTimeline['failedStep'] = null;
  if (!finished) {
    if (!greeting.done) failedStep = 'greeting';
    else if (failedCommand === 'EHLO' || failedCommand === 'HELO' || failedCommand === 'LHLO')
      failedStep = 'ehlo';
    else if (starttls && !starttls.done) failedStep = 'starttls';
    else if (tls && !tls.done) failedStep = 'tls';
    else failedStep = 'ehlo';
  }
  return { greeting, ...(starttls ? { starttls } : {}), ...(tls ? { tls } : {}), ehlo, failedStep };
}
