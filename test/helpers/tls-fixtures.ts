import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));

export type FixtureCert =
  | 'localhost'
  | 'other-localhost'
  | 'self-signed'
  | 'self-signed-2'
  | 'wrong-name'
  | 'expired';

/** PEM key + certificate of a committed test fixture (see test/fixtures/tls/generate.sh). */
export function fixtureCert(name: FixtureCert): { key: string; cert: string } {
  return { key: readFileSync(`${dir}${name}.key`, 'utf8'), cert: readFileSync(`${dir}${name}.pem`, 'utf8') };
}

/** The test CA certificate: pass it as an extra trusted CA to the code under test. */
export const testCaPem = (): string => readFileSync(`${dir}ca.pem`, 'utf8');
export const fixturePath = (file: string): string => `${dir}${file}`;
