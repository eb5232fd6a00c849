import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('smoke', () => {
  it('serves healthz and a session', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ws = await t.newWorkspace();
    const res = await ws.admin.request('GET', '/api/session');
    expect(res.statusCode).toBe(200);
    expect(res.json().employee.role).toBe('admin');
  });
});
