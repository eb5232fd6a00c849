import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './oauth-connect.js';

describe('safeReturnPath: only paths inside this app, after normalisation', () => {
  it.each([
    '/.//evil.example',
    '/x/..//evil.example/steal',
    '/./\\evil.example',
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'evil',
    '/\n',
    '',
  ])('%j → /', (p) => {
    expect(safeReturnPath(p)).toBe('/');
  });

  it('keeps ordinary paths, normalised', () => {
    expect(safeReturnPath('/company/addresses?x=1#a')).toBe('/company/addresses?x=1#a');
    expect(safeReturnPath('/company/./addresses')).toBe('/company/addresses');
  });
});
