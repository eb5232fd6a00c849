import { describe, expect, it } from 'vitest';
import { findLeaks, registerSecret } from './leak-scan.js';

describe('leak scan', () => {
  it('finds a registered secret in plain and base64 form, and ignores unrelated text', () => {
    const s = registerSecret('  Sekret-żółć 123 ');
    expect(findLeaks('nothing here')).toEqual([]);
    expect(findLeaks(`{"note":"${s.trim()}"}`)).toHaveLength(1);
    expect(findLeaks(`AUTH PLAIN ${Buffer.from(s).toString('base64')}`)).toHaveLength(1);
  });

  it('finds a secret with quotes as JSON would escape it, and URL-encoded', () => {
    const s = registerSecret('pass "with" quotes\\ 42');
    expect(findLeaks(JSON.stringify({ body: s }))).not.toEqual([]);
    expect(findLeaks(`/callback?p=${encodeURIComponent(s)}`)).not.toEqual([]);
  });
});
