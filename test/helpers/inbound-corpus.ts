import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { explainBounce } from '../../src/domain/inbound/bounce-explanation.js';
import { classifyInbound } from '../../src/domain/inbound/classify-inbound.js';
import type { ParsedMessage } from '../../src/domain/inbound/parsed-message.js';
import { parseMessage } from '../../src/services/inbound/process-parse.js';

/** One folder of the inbound corpus (test/fixtures/inbound/<folder>), read like collected mail. */
export function corpusFolder(folder: string) {
  const root = new URL(`../fixtures/inbound/${folder}`, import.meta.url).pathname;
  return {
    root,
    load: (dir: string, name: string) => parseMessage(readFileSync(join(root, dir, name))),
  };
}

/** One of our Message-IDs in the corpus (thread token `aaaabbbbccccdddd`). */
export const ours = (random: string) => `<mr.aaaabbbbccccdddd.${random}@firma.pl>`;

/** A bounce row: the file and what it must report for its one recipient. */
export type BounceRow = [
  file: string,
  recipient: string,
  action: 'failed' | 'delayed',
  status: string,
  entry: string,
  original: string,
];

/** Every file in the folder's bounces/auto-replies/replies (those it has) has a row (first column) and CRLF line ends, as mail has. */
export function expectEveryFileListed(
  root: string,
  rows: readonly (readonly [string, ...unknown[]])[],
): void {
  const listed = new Set(rows.map((r) => r[0]));
  const dirs = ['bounces', 'auto-replies', 'replies'].filter((d) => existsSync(join(root, d)));
  expect(dirs.length, root).toBeGreaterThan(0);
  for (const dir of dirs)
    for (const f of readdirSync(join(root, dir))) {
      expect(listed, `${dir}/${f}`).toContain(f);
      expect(readFileSync(join(root, dir, f), 'latin1'), f).not.toMatch(/[^\r]\n/);
    }
}

/**
 * The message is a bounce for exactly `recipient` with this action, status, catalogue entry and
 * original Message-ID; only a failure marks the email bounced. The remote server's words are
 * required, except on a delay report when `delayMayLackDiagnostic` (Exchange's has none).
 */
export function expectBounce(
  msg: ParsedMessage,
  [, recipient, action, status, entry, original]: BounceRow,
  options: { delayMayLackDiagnostic?: boolean } = {},
): void {
  const result = classifyInbound(msg);
  expect(result.kind).toBe('bounce');
  if (result.kind !== 'bounce') return;
  const { bounce } = result;
  expect(bounce.recipients.map((r) => r.recipient)).toEqual([recipient]);
  const r = bounce.recipients[0]!;
  expect(r.action).toBe(action);
  expect(r.status).toBe(status);
  if (action === 'failed' || !options.delayMayLackDiagnostic) expect(r.diagnostic.length).toBeGreaterThan(10);
  expect(explainBounce(r).catalogueId).toBe(entry);
  expect(bounce.originalMessageId).toBe(original);
  expect(bounce.permanent).toBe(action === 'failed');
}
