import { pop3Error } from './pop3-errors.js';

/** One LIST entry: message number in this session and size in octets (as the server says). */
export interface Pop3ListEntry {
  number: number;
  size: number;
}

/**
 * One UIDL entry. `uid` is null when the server sent none or one RFC 1939 forbids
 * (longer than 70 octets, outside 0x21–0x7E): such text never leaves the client.
 * `valid` is false also for an id that appears twice in the listing.
 */
export interface Pop3UidEntry {
  number: number;
  uid: string | null;
  valid: boolean;
}

export interface Pop3UidListing {
  entries: Pop3UidEntry[];
  /** Every entry valid and unique: callers may dedupe by UID; otherwise fall back to content hashes. */
  valid: boolean;
}

/** What CAPA (RFC 2449) said. Names are upper-cased; `sasl` lists the AUTH mechanisms. */
export interface Pop3Capabilities {
  names: ReadonlySet<string>;
  sasl: readonly string[];
  /** The capability lines as sent (printable ASCII only), for probe reports. */
  lines: readonly string[];
}

const MAX_UID_LENGTH = 70;
const UID_PATTERN = /^[\x21-\x7e]+$/;

export function parseStat(text: string): { count: number; size: number } {
  const m = /^(\d{1,15}) (\d{1,18})(?:\s|$)/.exec(text);
  if (!m) throw pop3Error('protocol', { step: 'stat', detail: 'malformed STAT reply' });
  return { count: Number(m[1]), size: Number(m[2]) };
}

/** Parses one scan listing line (`LIST` reply or listing entry): "n size". */
export function parseListLine(line: string, step = 'list'): Pop3ListEntry {
  const m = /^(\d{1,15}) +(\d{1,20})(?:\s|$)/.exec(line);
  if (!m) throw pop3Error('protocol', { step, detail: 'malformed LIST line' });
  const number = Number(m[1]);
  // An absurd size stays absurd (Infinity) so the size cap still refuses it.
  const size = m[2] && m[2].length > 15 ? Number.POSITIVE_INFINITY : Number(m[2]);
  if (number < 1) throw pop3Error('protocol', { step, detail: 'message number 0 in LIST' });
  return { number, size };
}

export function parseListing(lines: readonly Buffer[]): Pop3ListEntry[] {
  const entries = lines.map((l) => parseListLine(l.toString('latin1')));
  assertIncreasing(entries, 'list');
  return entries;
}

/** Parses "n uid" (a UIDL listing line or single reply), validating the id per RFC 1939 §7. */
export function parseUidLine(line: Buffer): Pop3UidEntry {
  const text = line.toString('latin1');
  const m = /^(\d{1,15}) (.*)$/s.exec(text);
  if (!m?.[1] || Number(m[1]) < 1)
    throw pop3Error('protocol', { step: 'uidl', detail: 'malformed UIDL line' });
  const uid = m[2] ?? '';
  const valid = uid.length > 0 && uid.length <= MAX_UID_LENGTH && UID_PATTERN.test(uid);
  return { number: Number(m[1]), uid: valid ? uid : null, valid };
}

export function parseUidListing(lines: readonly Buffer[]): Pop3UidListing {
  const entries = lines.map(parseUidLine);
  assertIncreasing(entries, 'uidl');
  const seen = new Map<string, Pop3UidEntry>();
  for (const e of entries) {
    if (e.uid === null) continue;
    const first = seen.get(e.uid);
    if (first) {
      first.valid = false;
      e.valid = false;
    } else seen.set(e.uid, e);
  }
  return { entries, valid: entries.every((e) => e.valid) };
}

export function parseCapabilities(lines: readonly Buffer[]): Pop3Capabilities {
  const names = new Set<string>();
  let sasl: string[] = [];
  const shown: string[] = [];
  for (const raw of lines) {
    const text = raw
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '')
      .trim();
    if (!text) continue;
    shown.push(text.slice(0, 200));
    const [name = '', ...args] = text.split(/\s+/);
    const upper = name.toUpperCase();
    names.add(upper);
    if (upper === 'SASL') sasl = args.map((a) => a.toUpperCase());
  }
  return { names, sasl, lines: shown };
}

// Message numbers must increase: a repeated or shuffled number means the listing is garbage.
function assertIncreasing(entries: readonly { number: number }[], step: string): void {
  let last = 0;
  for (const e of entries) {
    if (e.number <= last)
      throw pop3Error('protocol', { step, detail: 'message numbers out of order in listing' });
    last = e.number;
  }
}
