import { describe, expect, it } from 'vitest';
import { findLeaks, registerSecret, registerSecretsIn } from './leak-scan.js';

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

describe('leak scan is on for every test app (issue 8 item 11)', () => {
  it('a secret sent in any request body is registered without the test doing anything', async () => {
    const { createTestApp, uniqueEmail } = await import('./test-app.js');
    const t = await createTestApp();
    const ws = await t.newWorkspace();
    const password = 'never-registered-by-hand 42';
    const res = await ws.admin.request('POST', '/api/employees', {
      name: 'Leak Probe',
      email: uniqueEmail('leak'),
      password,
    });
    expect(res.statusCode).toBe(201);
    expect(findLeaks(`{"echo":"${password}"}`)).not.toEqual([]);
    // A log line carrying it makes close() fail, as a real leak in the app would.
    t.logs.push(`{"msg":"oops ${password}"}`);
    await expect(t.close()).rejects.toThrow('secrets leaked into responses or logs');
  });

  it('registers nested secret-named fields only', () => {
    registerSecretsIn({
      smtp: { host: 'smtp.example.pl' },
      auth: { pass: 'nested pass 123' },
      testToken: 'tt1.x.y',
    });
    expect(findLeaks('nested pass 123')).not.toEqual([]);
    expect(findLeaks('smtp.example.pl tt1.x.y')).toEqual([]);
  });
});
