import { afterEach, describe, expect, it } from 'vitest';
import { type Pop3FakeOptions, Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import { dialFake, openFake } from '../../../test/servers/pop3-test-helpers.js';
import type { MailAuth } from '../../domain/mailbox/connection.js';
import type { Pop3Client } from './pop3-client.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Pop3FakeOptions = {}): Promise<Pop3FakeServer> {
  const s = await Pop3FakeServer.start(options);
  servers.push(s);
  return s;
}

/** Dial, greeting, CAPA: ready for `login`. */
async function ready(server: Pop3FakeServer): Promise<Pop3Client> {
  const client = await dialFake(server);
  await client.readGreeting();
  await client.capa();
  return client;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('Pop3Client.login', () => {
  it('USER/PASS by default', async () => {
    const server = await fake();
    const client = await ready(server);
    expect(await client.login({ type: 'password', user: 'user', pass: 'secret' })).toEqual({
      mechanism: 'user',
      reply: 'logged in',
    });
    expect(server.received().toString('latin1')).toBe('CAPA\r\nUSER user\r\nPASS secret\r\n');
    await client.quit();
  });

  it('AUTH PLAIN with an initial response; chosen automatically when USER is not offered', async () => {
    const server = await fake({ capabilities: ['SASL PLAIN', 'UIDL'] });
    const client = await ready(server);
    expect((await client.login({ type: 'password', user: 'user', pass: 'secret' })).mechanism).toBe('plain');
    expect(server.commandLines()).toEqual(['CAPA', `AUTH PLAIN ${b64('\u0000user\u0000secret')}`]);
    await client.quit();
  });

  it('AUTH XOAUTH2 with an initial response', async () => {
    const server = await fake({ accessToken: 'ya29.token' });
    const client = await ready(server);
    await client.login({ type: 'oauth2', user: 'user', accessToken: 'ya29.token' });
    expect(server.commandLines()[1]).toBe(
      `AUTH XOAUTH2 ${b64('user=user\u0001auth=Bearer ya29.token\u0001\u0001')}`,
    );
    await client.quit();
  });

  it('sends a long XOAUTH2 response after the "+" continuation (255-octet command limit)', async () => {
    const token = `ya29.${'a'.repeat(400)}`;
    const server = await fake({ accessToken: token });
    const client = await ready(server);
    await client.login({ type: 'oauth2', user: 'user', accessToken: token });
    const lines = server.commandLines();
    expect(lines[1]).toBe('AUTH XOAUTH2');
    expect(lines[2]).toBe(b64(`user=user\u0001auth=Bearer ${token}\u0001\u0001`));
    await client.quit();
  });

  it('answers an XOAUTH2 error challenge with an empty line and reports kind auth with its JSON', async () => {
    const server = await fake({ accessToken: 'right', loginError: '[AUTH] Invalid credentials' });
    const client = await ready(server);
    const err = await client
      .login({ type: 'oauth2', user: 'user', accessToken: 'wrong-token' })
      .catch((e) => e);
    expect(err.failure).toMatchObject({
      kind: 'auth',
      code: 'AUTH',
      response: '-ERR [AUTH] Invalid credentials',
    });
    expect(err.failure.detail).toContain('"status":"401"');
    expect(server.commandLines()[2]).toBe('');
    expect(JSON.stringify(err.failure)).not.toContain('wrong-token');
  });

  it.each([
    ['[AUTH] Web login required: https://support.google.com/mail/answer/78754', 'auth', 'AUTH'],
    ['[AUTH] Application-specific password required', 'auth', 'AUTH'],
    ['Authentication failed.', 'auth', undefined],
    ['[SYS/TEMP] Try again later', 'reply', 'SYS/TEMP'],
    ['[IN-USE] Mailbox locked by another session', 'reply', 'IN-USE'],
    ['[LOGIN-DELAY] Wait 300 seconds', 'reply', 'LOGIN-DELAY'],
  ])('-ERR %s on PASS → kind %s, code %s', async (text, kind, code) => {
    const server = await fake({ alwaysRefuseLogin: true, loginError: text });
    const client = await ready(server);
    const err = await client.login({ type: 'password', user: 'user', pass: 'secret' }).catch((e) => e);
    expect(err.failure).toMatchObject({ kind, protocol: 'pop3', step: 'auth', response: `-ERR ${text}` });
    expect(err.failure.code).toBe(code);
    client.destroy();
  });

  it('never echoes the password, even when the server repeats it', async () => {
    const pass = 'hunter2-Secret';
    const server = await fake({
      alwaysRefuseLogin: true,
      loginError: `[AUTH] bad password ${pass} (${b64(pass)}) \u001b[31m<script>`,
    });
    const client = await ready(server);
    const err = await client.login({ type: 'password', user: 'user', pass }).catch((e) => e);
    const shown = `${err.message} ${JSON.stringify(err.failure)}`;
    expect(shown).not.toContain(pass);
    expect(shown).not.toContain(b64(pass));
    expect(err.failure.response).toBe('-ERR [AUTH] bad password *** (***) [31m<script>');
    client.destroy();
  });

  it('a server without XOAUTH2 in its SASL list gets no token (kind unsupported)', async () => {
    const server = await fake({ capabilities: ['USER', 'SASL PLAIN'] });
    const client = await ready(server);
    const err = await client.login({ type: 'oauth2', user: 'user', accessToken: 'tok' }).catch((e) => e);
    expect(err.failure.kind).toBe('unsupported');
    expect(server.commandLines()).toEqual(['CAPA']);
    client.destroy();
  });
});

describe('Pop3Client: no CR/LF from any argument reaches the wire (case 35)', () => {
  const hostile: Array<[string, MailAuth]> = [
    ['CRLF in the password', { type: 'password', user: 'user', pass: 'secret\r\nDELE 1' }],
    ['LF in the password', { type: 'password', user: 'user', pass: 'secret\nDELE 1' }],
    ['CR in the password', { type: 'password', user: 'user', pass: 'secret\rDELE 1' }],
    ['CRLF in the user name', { type: 'password', user: 'user\r\nDELE 1', pass: 'secret' }],
    ['NUL in the user name', { type: 'password', user: 'user\u0000x', pass: 'secret' }],
    ['CRLF in an OAuth user', { type: 'oauth2', user: 'user\r\nDELE 1', accessToken: 'tok' }],
    ['^A in an OAuth token', { type: 'oauth2', user: 'user', accessToken: 'tok\u0001auth=x' }],
  ];

  it.each(hostile)('%s: refused before anything is sent', async (_label, auth) => {
    const server = await fake({ messages: [Buffer.from('Subject: x\r\n\r\nx\r\n')] });
    const client = await ready(server);
    await expect(client.login(auth)).rejects.toMatchObject({
      failure: { kind: 'auth', code: 'EBADCREDENTIALS' },
    });
    for (const mechanism of ['user', 'plain'] as const) {
      if (auth.type === 'password') await expect(client.login(auth, { mechanism })).rejects.toThrow();
    }
    client.destroy();
    const wire = server.received().toString('latin1');
    expect(wire).toBe('CAPA\r\n');
    expect(wire).not.toContain('DELE');
    expect(server.messages).toHaveLength(1);
  });

  it('a valid password with spaces and Unicode is sent exactly once, as one UTF-8 line', async () => {
    const pass = ' pässwörd пароль "quoted" ';
    const server = await fake({ pass });
    const client = await ready(server);
    await client.login({ type: 'password', user: 'user', pass });
    expect(server.commandLines()).toEqual(['CAPA', 'USER user', `PASS ${pass}`]);
    expect(server.received().includes(Buffer.from(pass, 'utf8'))).toBe(true);
    await client.quit();
  });
});

describe('Pop3Client: credentials only over TLS in tls/starttls modes', () => {
  it('refuses to log in before STLS in starttls mode, sending nothing', async () => {
    const server = await fake();
    const client = await dialFake(server, { security: 'starttls' });
    await client.readGreeting();
    await client.capa();
    await expect(client.login({ type: 'password', user: 'user', pass: 'secret' })).rejects.toMatchObject({
      failure: { kind: 'starttls_unavailable' },
    });
    expect(server.receivedInPlaintext().toString('latin1')).toBe('CAPA\r\n');
  });

  it('logs in over STLS (PLAIN) with nothing secret in plaintext', async () => {
    const server = await fake();
    const client = await openFake(server, { security: 'starttls' });
    await client.quit();
    const plain = server.receivedInPlaintext().toString('latin1');
    expect(plain).toBe('CAPA\r\nSTLS\r\n');
    expect(server.connections[0]?.commands.filter((c) => c.secure).map((c) => c.line)).toEqual([
      'CAPA',
      'USER user',
      'PASS secret',
      'QUIT',
    ]);
  });
});
