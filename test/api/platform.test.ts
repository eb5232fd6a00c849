import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../helpers/mail-servers.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp(
    {},
    { resolveMx: async (domain) => (domain === 'firma-na-google.pl' ? ['aspmx.l.google.com'] : []) },
  );
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

describe('OpenAPI, docs, health and metrics', () => {
  it('publishes an OpenAPI document covering the SPEC paths, and browsable docs', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/session',
      '/api/tokens',
      '/api/employees/{id}',
      '/api/groups/{id}',
      '/api/projects/{id}',
      '/api/contacts/{id}',
      '/api/mail-presets',
      '/api/mail-presets/detect',
      '/api/company/email-addresses/{id}',
      '/api/employees/{id}/email-addresses/{addressId}',
      '/api/email-addresses/test',
      '/api/senders',
      '/api/error-catalogue',
      '/api/audit-log',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });

  it('answers /readyz and exposes Prometheus metrics without secrets', async () => {
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    await ws.admin.request('GET', '/api/projects');
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('mailroom_http_requests_total');
    expect(metrics.body).toContain('route="/api/projects"');
    expect(metrics.body).not.toContain(ws.admin.password);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Remote images only for a received message's frame, which inherits this policy (M41).
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data: https: http:");
  });
});

describe('presets and autodetection (M15, M16)', () => {
  it('lists presets and detects by domain, then by MX, never failing', async () => {
    const list = (await ws.admin.request('GET', '/api/mail-presets')).json().items;
    expect(list.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['gmail', 'microsoft', 'icloud', 'wp', 'onet', 'interia', 'o2', 'other']),
    );
    const detect = async (email: string) =>
      (await ws.admin.request('GET', `/api/mail-presets/detect?email=${encodeURIComponent(email)}`)).json();
    expect(await detect('jan@gmail.com')).toMatchObject({ presetId: 'gmail', via: 'domain' });
    expect(await detect('jan@firma-na-google.pl')).toMatchObject({ presetId: 'gmail', via: 'mx' });
    expect(await detect('jan@unknown.example')).toMatchObject({ presetId: null, via: 'none' });
    expect(await detect('not an email')).toMatchObject({ presetId: null });
  });
});

describe('error catalogue (M44)', () => {
  it('lists every entry in the caller’s language', async () => {
    const pl = (
      await ws.admin.request('GET', '/api/error-catalogue', undefined, { 'accept-language': 'pl' })
    ).json().items;
    const en = (
      await ws.admin.request('GET', '/api/error-catalogue', undefined, { 'accept-language': 'en' })
    ).json().items;
    expect(pl.length).toBeGreaterThanOrEqual(40);
    expect(pl.length).toBe(en.length);
    const wrong = (items: { id: string; cause: string }[]) => items.find((e) => e.id === 'wrong-password')!;
    expect(wrong(pl).cause).not.toBe(wrong(en).cause);
  });
});

describe('workspace setting: employees manage their own addresses (M48)', () => {
  it('when turned off, employees can no longer test or add their own addresses; admins still can', async () => {
    const box = await startMailbox();
    try {
      const emp = await ws.newEmployee();
      expect(
        (await emp.request('PATCH', '/api/workspace', { employeesManageOwnAddresses: false })).statusCode,
      ).toBe(403);
      const off = await ws.admin.request('PATCH', '/api/workspace', { employeesManageOwnAddresses: false });
      expect(off.json().employeesManageOwnAddresses).toBe(false);
      expect((await emp.request('POST', '/api/email-addresses/test', box.fields())).statusCode).toBe(403);
      const asAdmin = await ws.admin.request('POST', '/api/email-addresses/test', {
        ...box.fields(),
        ownerEmployeeId: emp.employeeId,
      });
      expect(asAdmin.json().ok).toBe(true);
      const created = await ws.admin.request('POST', `/api/employees/${emp.employeeId}/email-addresses`, {
        ...box.fields(),
        testToken: asAdmin.json().testToken,
      });
      expect(created.statusCode).toBe(201);
      // The employee still sees their own address (read-only).
      expect(
        (await emp.request('GET', `/api/employees/${emp.employeeId}/email-addresses`)).json().items,
      ).toHaveLength(1);
      expect(
        (
          await emp.request(
            'PATCH',
            `/api/employees/${emp.employeeId}/email-addresses/${created.json().id}`,
            { displayName: 'x' },
          )
        ).statusCode,
      ).toBe(403);
      await ws.admin.request('PATCH', '/api/workspace', { employeesManageOwnAddresses: true });
    } finally {
      await box.close();
    }
  });
});
