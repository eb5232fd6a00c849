import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../helpers/mail-servers.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let box: Awaited<ReturnType<typeof startMailbox>>;
beforeAll(async () => {
  t = await createTestApp({ testRateLimit: '1000' });
  ws = await t.newWorkspace();
  box = await startMailbox();
});
afterAll(async () => {
  await box?.close();
  await t?.close();
});

describe('refusals under the right step (issue 8 item 4)', () => {
  it.each([
    ['loopback name', 'localhost', 465],
    ['private address', '192.168.1.10', 465],
    ['cloud metadata', '169.254.169.254', 465],
    ['public address on a non-mail port', '8.8.8.8', 6379],
  ])(
    '%s: "Adres serwera niedozwolony" as its own step, not DNS, and no connection',
    async (_, host, port) => {
      const before = box.smtp.connections();
      const res = await ws.admin.request(
        'POST',
        '/api/email-addresses/test',
        box.fields({ smtp: { host, port, security: 'tls' } }),
        { 'accept-language': 'pl' },
      );
      expect(res.statusCode).toBe(200);
      const smtp = res.json().smtp;
      expect(smtp.ok).toBe(false);
      const failed = smtp.steps.filter((s: { outcome: string }) => s.outcome === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ id: 'address_allowed', failure: { kind: 'policy' } });
      expect(
        smtp.steps.some((s: { id: string; outcome: string }) => s.id === 'resolve' && s.outcome === 'failed'),
      ).toBe(false);
      expect(failed[0].diagnosis.title).toBe('Ten adres serwera jest niedozwolony');
      expect(box.smtp.connections()).toBe(before);
    },
  );

  it('a DNS failure stays a DNS failure', async () => {
    const res = await ws.admin.request(
      'POST',
      '/api/email-addresses/test',
      box.fields({ smtp: { host: 'no-such-host.invalid', port: 465, security: 'tls' } }),
    );
    const failed = res.json().smtp.steps.find((s: { outcome: string }) => s.outcome === 'failed');
    expect(failed).toMatchObject({ id: 'resolve', failure: { kind: 'dns' } });
  });

  it.each([0, 65536, 70000, -1])('port %i is a field error, never clamped', async (port) => {
    const res = await ws.admin.request(
      'POST',
      '/api/email-addresses/test',
      box.fields({ smtp: { host: 'smtp.example.com', port, security: 'tls' } }),
      { 'accept-language': 'pl' },
    );
    expect(res.statusCode).toBe(400);
    const field = res.json().error.details.fields.find((f: { path: string }) => f.path === '/body/smtp/port');
    expect(field.code).toMatch(/^(minimum|maximum)$/);
    expect(field.message).toMatch(/co najmniej 1|najwyżej 65535/);
  });
});
