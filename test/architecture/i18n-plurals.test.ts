import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 8 item 7: no ungrammatical plurals on Polish screens ("co najmniej 1 znaków"). Every
 * text with a `{{count}}` is an i18next plural with all four Polish forms (one, few, many,
 * other), and English has the same keys as Polish.
 */
const dir = join(import.meta.dirname, '../../web/src/i18n');
const PAIRS = [
  ['pl.json', 'en.json'],
  ['pl-delivery.json', 'en-delivery.json'],
  ['pl-inbound.json', 'en-inbound.json'],
  ['pl-ingest.json', 'en-ingest.json'],
] as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flat(o: unknown, prefix = ''): [string, string][] {
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? flat(v, `${prefix}${k}.`)
      : [[`${prefix}${k}`, String(v)] as [string, string]],
  );
}
const read = (f: string) => new Map(flat(JSON.parse(readFileSync(join(dir, f), 'utf8'))));

describe.each(PAIRS)('%s / %s', (plFile, enFile) => {
  const pl = read(plFile);
  const en = read(enFile);

  it('every {{count}} text is a plural with the four Polish forms', () => {
    const bad: string[] = [];
    for (const [key, text] of pl) {
      if (!text.includes('{{count}}')) continue;
      const base = key.replace(PLURAL, '');
      if (!PLURAL.test(key)) bad.push(`${key}: not a plural key`);
      for (const form of ['one', 'few', 'many', 'other'])
        if (!pl.has(`${base}_${form}`)) bad.push(`${base}_${form} missing`);
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  it('English has the same keys (plural forms aside)', () => {
    const bases = (m: Map<string, string>) =>
      [...new Set([...m.keys()].map((k) => k.replace(PLURAL, '')))].sort();
    expect(bases(en)).toEqual(bases(pl));
  });
});
