import type { BounceRecipient } from './bounce-report.js';
import { addressIn, headerValue, parseHeaderBlock } from './header-block.js';

const ACTIONS = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);
const MAX_RECIPIENTS = 100;
export const MAX_DIAGNOSTIC = 1000;

/**
 * The per-recipient blocks of an RFC 3464 `message/delivery-status` body (also RFC 6533's
 * `message/global-delivery-status`): field groups separated by empty lines, the first one
 * per-message (Reporting-MTA, Arrival-Date), the others per-recipient.
 */
export function parseDeliveryStatus(body: string): BounceRecipient[] {
  const blocks = body
    .slice(0, 200_000)
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .filter((b) => b.trim() !== '');
  const out: BounceRecipient[] = [];
  for (const block of blocks) {
    const fields = parseHeaderBlock(block);
    // Original-Recipient is the address as the sender gave it (RFC 3464 §2.3.1): ours, where
    // Final-Recipient may be what an alias or group turned it into (Google Workspace, Postfix).
    const original = addressIn(
      unescapeUtf8Address(stripAddressType(headerValue(fields, 'original-recipient'))),
    );
    const final = headerValue(fields, 'final-recipient');
    const action =
      headerValue(fields, 'action')
        .toLowerCase()
        .split(/[\s(;]/)[0] ?? '';
    if (!final && !original && !action) continue; // the per-message block
    // Exchange 2010+ may give the remote server's words only in X-Supplementary-Info.
    const diagnostic = joinContinuations(
      stripAddressType(headerValue(fields, 'diagnostic-code')) ||
        supplementaryInfo(headerValue(fields, 'x-supplementary-info')),
    ).slice(0, MAX_DIAGNOSTIC);
    out.push({
      recipient: original || addressIn(unescapeUtf8Address(stripAddressType(final))),
      action: (ACTIONS.has(action) ? action : 'failed') as BounceRecipient['action'],
      status: refinedStatus(statusCode(headerValue(fields, 'status')), diagnostic),
      diagnostic,
      remoteMta: stripAddressType(headerValue(fields, 'remote-mta')).slice(0, 255),
    });
    if (out.length >= MAX_RECIPIENTS) break;
  }
  return out;
}

/**
 * `< #5.0.0 smtp; 550 5.1.1 <a@b>: … >` (Exchange 2010) or `<[{LRT=};{LED=550 5.1.1 …};{FQDN=…};{IP=…}]>`
 * (Exchange 2013+) → the remote server's reply.
 */
function supplementaryInfo(value: string): string {
  const led = /\{LED=([^}]*)\}/i.exec(value)?.[1]?.trim();
  if (led) return led;
  return value
    .replace(/^\s*<\s*/, '')
    .replace(/\s*>\s*$/, '')
    .replace(/^#?[245]\.\d{1,3}\.\d{1,3}\s+/, '')
    .replace(/^smtp\s*;\s*/i, '')
    .trim();
}

/**
 * A reporting MTA's catch-all `5.0.0` gives way to the remote server's own code of the same
 * class in the diagnostic (`550 5.1.1 … User unknown` → `5.1.1`).
 */
function refinedStatus(status: string, diagnostic: string): string {
  if (!/^[245]\.0\.0$/.test(status)) return status;
  const remote = /^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(diagnostic)?.[1];
  return remote && remote[0] === status[0] ? remote : status;
}

/** RFC 6533 §3: a `utf-8` address may spell characters as `\x{HEX}` (`\x{142}ukasz@…` → `łukasz@…`). */
function unescapeUtf8Address(value: string): string {
  return value.replace(/\\x\{([0-9a-f]{1,6})\}/gi, (all, hex: string) => {
    const code = Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** `rfc822; a@b` → `a@b`, `smtp; 550 …` → `550 …`, `dns; mx.example` → `mx.example`. */
function stripAddressType(value: string): string {
  return value.replace(/^\s*[a-z0-9-]{1,20}\s*;\s*/i, '').trim();
}

/** `5.1.1 (bad destination mailbox)` → `5.1.1`; anything else → ''. */
export function statusCode(value: string): string {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(value)?.[1] ?? '';
}

/** A multi-line reply unfolded into one (`550-5.1.1 a 550-5.1.1 b 550 5.1.1 c` → `550 5.1.1 a b c`). */
export function joinContinuations(diagnostic: string): string {
  const first = /^([245]\d\d)[- ](?:([245]\.\d{1,3}\.\d{1,3})\s+)?/.exec(diagnostic);
  if (!first || !diagnostic.startsWith(`${first[1]}-`)) return diagnostic;
  const rest = diagnostic
    .slice(first[0].length)
    .replace(new RegExp(`\\s${first[1]}[- ](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s+)?`, 'g'), ' ');
  return `${first[1]} ${first[2] ? `${first[2]} ` : ''}${rest}`.replace(/\s+/g, ' ').trim();
}
