import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from './lazy-schema-compilers.js';

function appWith(compilers: ReturnType<typeof lazySchemaCompilers>) {
  const app = Fastify({ schemaController: { compilersFactory: compilers.compilersFactory as never } });
  app.post(
    '/items',
    {
      schema: {
        body: Type.Object({ name: Type.String({ maxLength: 5 }), n: Type.Optional(Type.Integer()) }),
        response: { 200: Type.Object({ name: Type.String() }) },
      },
    },
    async (req) => ({ name: (req.body as { name: string }).name, secret: 'not declared' }),
  );
  return app;
}

describe('lazy schema compilers', () => {
  it('compiles nothing before listening, validates and serializes exactly as Fastify does on first use', async () => {
    const compilers = lazySchemaCompilers();
    const app = appWith(compilers);
    await app.ready();
    expect(compilers.pendingCount()).toBe(2); // body validator + 200 serializer
    const bad = await app.inject({ method: 'POST', url: '/items', payload: { name: 'toolong' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\/name must NOT have more than 5 characters/);
    const good = await app.inject({ method: 'POST', url: '/items', payload: { name: 'ok', n: 7 } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ name: 'ok' }); // undeclared fields are not serialized
    expect(compilers.pendingCount()).toBe(0);
    await app.close();
  });

  it('coerces query strings but never a JSON body: "7" is not the number 7 there', async () => {
    const compilers = lazySchemaCompilers();
    const app = appWith(compilers);
    const Query = Type.Object({ n: Type.Integer(), ids: Type.Array(Type.String()) });
    app.get('/q', { schema: { querystring: Query } }, async (req) => req.query);
    await app.ready();
    const body = await app.inject({ method: 'POST', url: '/items', payload: { name: 'ok', n: '7' } });
    expect(body.statusCode).toBe(400);
    expect((await app.inject('/q?n=7&ids=a')).json()).toEqual({ n: 7, ids: ['a'] });
    const parts = compilers.validatedParts().filter((p) => p.method !== 'HEAD'); // Fastify's own
    expect(parts.map((p) => [p.method, p.url, p.httpPart])).toEqual([
      ['POST', '/items', 'body'],
      ['GET', '/q', 'querystring'],
    ]);
    await app.close();
  });

  it('warms up every pending schema, and a schema that cannot compile fails the warm-up', async () => {
    const compilers = lazySchemaCompilers();
    const app = appWith(compilers);
    app.get(
      '/broken',
      { schema: { querystring: { type: 'object', properties: { a: { type: 'nope' } } } } },
      async () => 'x',
    );
    await app.ready();
    await expect(compilers.warmUp()).rejects.toThrow();
    await app.close();
  });

  it('builds one serializer per schema object: routes sharing a response schema share it', async () => {
    const compilers = lazySchemaCompilers();
    const app = Fastify({ schemaController: { compilersFactory: compilers.compilersFactory as never } });
    const shared = Type.Object({ name: Type.String() });
    for (const path of ['/a', '/b'])
      app.get(path, { schema: { response: { 200: shared, 404: shared } } }, async (req, reply) =>
        reply.status(req.url === '/a' ? 200 : 404).send({ name: path, secret: 'not declared' }),
      );
    app.get('/c', { schema: { response: { 200: Type.Object({ n: Type.Integer() }) } } }, async () => ({
      n: 1,
      secret: 'x',
    }));
    await app.ready();
    await compilers.warmUp();
    expect(compilers.serializersBuilt()).toBe(2);
    expect((await app.inject('/a')).json()).toEqual({ name: '/a' });
    const b = await app.inject('/b');
    expect([b.statusCode, b.json()]).toEqual([404, { name: '/b' }]);
    expect((await app.inject('/c')).json()).toEqual({ n: 1 });
    await app.close();
  });
});
