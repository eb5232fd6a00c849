import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../routes/types.js';
import { registerLazyWebUi } from './lazy-web-ui.js';

/** The web UI served through the lazily built @fastify/static instance, with app.ts's fallback. */
let root: string;
let app: App;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mailroom-web-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>mailroom</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
  app = Fastify() as unknown as App;
  app.get('/api/known', async () => ({ ok: true }));
  const ui = registerLazyWebUi(app, root);
  app.setNotFoundHandler((request, reply) => {
    if (!request.url.startsWith('/api/') && request.headers.accept?.includes('text/html'))
      return ui.sendIndex(request, reply);
    return reply.code(404).send({ error: 'not found' });
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('lazy web UI (issue 12 item 2)', () => {
  it('serves files and the index, with their types and validators', async () => {
    const js = await app.inject({ url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).toBe('console.log(1);');
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>mailroom</title>');
    const again = await app.inject({ url: '/assets/app.js', headers: { 'if-none-match': js.headers.etag } });
    expect(again.statusCode).toBe(304);
    const head = await app.inject({ method: 'HEAD', url: '/assets/app.js' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('falls through to the not-found handler: page URLs get the index, the rest and /api a 404', async () => {
    const page = await app.inject({ url: '/tasks/42', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
    expect(page.body).toContain('<title>mailroom</title>');
    const missing = await app.inject({ url: '/assets/missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not found' });
    const api = await app.inject({ url: '/api/unknown', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/known' })).json()).toEqual({ ok: true });
  });
});
