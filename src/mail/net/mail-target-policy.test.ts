import { describe, expect, it } from 'vitest';
import { parseAllowList } from './allow-list.js';
import { HOST_NOT_FOUND_MESSAGE, MailTargetError, TARGET_REFUSED_MESSAGE } from './mail-target-error.js';
import { createMailTargetResolver, type HostLookup } from './mail-target-policy.js';

type Answer = { address: string; family: number };

/** A stub resolver: answers per name (one list per call, the last one repeats); records calls. */
function stubLookup(answers: Record<string, Answer[][] | Error>) {
  const calls: string[] = [];
  const lookup: HostLookup = async (host) => {
    calls.push(host);
    const entry = answers[host];
    if (entry === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    if (entry instanceof Error) throw entry;
    const nth = calls.filter((c) => c === host).length - 1;
    return entry[Math.min(nth, entry.length - 1)] ?? [];
  };
  return { lookup, calls };
}

const v4 = (address: string): Answer => ({ address, family: 4 });
const v6 = (address: string): Answer => ({ address, family: 6 });

async function failureOf(p: Promise<unknown>): Promise<MailTargetError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MailTargetError) return err;
    throw err;
  }
  throw new Error('expected a MailTargetError, got success');
}

describe('mail target policy: refused targets (SECURITY.md §7 items 1-4, 8)', () => {
  const refusedLiteralsAndNames: Array<[string, number]> = [
    // 1: loopback spellings and names
    ['127.0.0.1', 587],
    ['localhost', 587],
    ['localhost.', 587],
    ['LOCALHOST', 587],
    ['mail.localhost', 587],
    ['0.0.0.0', 587],
    ['[::]', 587],
    ['[::1]', 587],
    ['::1', 587],
    // 2: encoded loopback
    ['2130706433', 587],
    ['0x7f000001', 587],
    ['0177.0.0.1', 587],
    ['127.1', 587],
    ['0', 587],
    ['127.0.0.1.', 587],
    // 3: IPv6 wrappers
    ['::ffff:127.0.0.1', 587],
    ['[::ffff:127.0.0.1]', 587],
    ['::ffff:7f00:1', 587],
    ['64:ff9b::7f00:1', 587],
    ['2002:7f00:1::', 587],
    ['::7f00:1', 587],
    ['fe80::1%eth0', 587],
    ['[fe80::1%eth0]', 587],
    // 4: private and special ranges
    ['10.0.0.5', 587],
    ['172.16.0.1', 587],
    ['192.168.1.1', 587],
    ['100.64.0.1', 587],
    ['169.254.169.254', 587],
    ['fd00:ec2::254', 587],
    ['198.18.0.1', 587],
    ['224.0.0.1', 587],
    ['168.63.129.16', 587],
    ['64:ff9b::808:808', 587],
    // special names
    ['printer.local', 587],
    ['metadata.google.internal', 587],
    ['METADATA.GOOGLE.INTERNAL.', 587],
    ['db.internal', 587],
    ['router.home.arpa', 587],
    ['mailserver', 587],
    // malformed or hostile host syntax
    ['', 587],
    ['mail.example.com\r\nRCPT TO:<x@y>', 587],
    ['mail.example.com ', 587],
    ['user@mail.example.com', 587],
    ['mail.example.com/smtp', 587],
    ['mail.example.com:25', 587],
    ['1.2.3.256', 587],
    ['08.0.0.1', 587],
    ['1.2.3.4.5', 587],
    [`${'a'.repeat(64)}.com`, 587],
    // 8: ports outside the allow list, on public literals and names
    ['8.8.8.8', 22],
    ['8.8.8.8', 6379],
    ['mail.example.com', 22],
    ['mail.example.com', 6379],
    ['mail.example.com', 11211],
    ['mail.example.com', 80],
    ['mail.example.com', 0],
    ['mail.example.com', 70000],
  ];

  it.each(refusedLiteralsAndNames)('%j:%i → generic refusal, no DNS lookup', async (host, port) => {
    const { lookup, calls } = stubLookup({ 'mail.example.com': [[v4('8.8.8.8')]] });
    const resolver = createMailTargetResolver({ allowList: [], lookup });
    const err = await failureOf(resolver.resolve(host, port, 'smtp'));
    expect(err.message).toBe(TARGET_REFUSED_MESSAGE);
    expect(err.failure).toMatchObject({ kind: 'policy', protocol: 'smtp', step: 'resolve' });
    expect(err.failure.detail).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it('gives every refusal the identical user-facing message (no oracle)', async () => {
    const { lookup } = stubLookup({ 'mixed.example.com': [[v4('8.8.8.8'), v4('10.0.0.1')]] });
    const resolver = createMailTargetResolver({ allowList: [], lookup });
    const messages = new Set<string>();
    for (const [host, port] of [
      ['127.0.0.1', 587],
      ['localhost', 587],
      ['8.8.8.8', 22],
      ['mixed.example.com', 587],
      ['a b', 587],
    ] as const) {
      const err = await failureOf(resolver.resolve(host, port, 'pop3'));
      messages.add(`${err.message}|${err.failure.kind}`);
    }
    expect([...messages]).toEqual([`${TARGET_REFUSED_MESSAGE}|policy`]);
  });
});

describe('mail target policy: names (SECURITY.md §7 items 5-7)', () => {
  it('5: refuses a name with mixed public and private answers, as a whole', async () => {
    for (const answers of [
      [v4('8.8.8.8'), v4('10.0.0.1')],
      [v4('10.0.0.1'), v4('8.8.8.8')],
      [v4('8.8.8.8'), v6('::1')],
      [v6('2606:4700::1111'), v6('fd00::1')],
      [v4('8.8.8.8'), v6('::ffff:127.0.0.1')],
    ]) {
      const { lookup } = stubLookup({ 'mixed.example.com': [answers] });
      const resolver = createMailTargetResolver({ allowList: [], lookup });
      const err = await failureOf(resolver.resolve('mixed.example.com', 465, 'smtp'));
      expect(err.failure.kind).toBe('policy');
      expect(err.message).toBe(TARGET_REFUSED_MESSAGE);
    }
  });

  it('6: DNS rebinding — looks up once and returns the validated address to dial', async () => {
    const { lookup, calls } = stubLookup({ 'rebind.example.com': [[v4('8.8.8.8')], [v4('127.0.0.1')]] });
    const resolver = createMailTargetResolver({ allowList: [], lookup });
    const target = await resolver.resolve('Rebind.Example.com.', 993, 'imap');
    expect(target).toEqual({ host: 'rebind.example.com', port: 993, address: '8.8.8.8', family: 4 });
    expect(calls).toEqual(['rebind.example.com']);
    // A second connect is a fresh check: the rebound answer is refused then.
    await expect(resolver.resolve('rebind.example.com', 993, 'imap')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    expect(calls).toHaveLength(2);
  });

  const dnsFailures: Array<[string, Answer[][] | Error, string]> = [
    ['unresolvable', Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), 'ENOTFOUND'],
    ['SERVFAIL', Object.assign(new Error('queryA ESERVFAIL x'), { code: 'ESERVFAIL' }), 'ESERVFAIL'],
    [
      'temporary failure',
      Object.assign(new Error('getaddrinfo EAI_AGAIN x'), { code: 'EAI_AGAIN' }),
      'EAI_AGAIN',
    ],
    ['empty answer', [[]], 'ENODATA'],
  ];
  it.each(dnsFailures)('7: %s fails closed as host-not-found', async (_label, answer, code) => {
    const { lookup, calls } = stubLookup({ 'gone.example.com': answer });
    const resolver = createMailTargetResolver({ allowList: [], lookup });
    const err = await failureOf(resolver.resolve('gone.example.com', 587, 'smtp'));
    expect(err.failure).toMatchObject({ kind: 'dns', code, host: 'gone.example.com' });
    expect(err.message).toBe(HOST_NOT_FOUND_MESSAGE);
    expect(calls).toHaveLength(1);
  });

  it('7: a lookup that never answers fails closed at the lookup deadline', async () => {
    const resolver = createMailTargetResolver({
      allowList: [],
      lookup: () => new Promise(() => {}),
      lookupTimeoutMs: 20,
    });
    const err = await failureOf(resolver.resolve('slow.example.com', 587, 'smtp'));
    expect(err.failure).toMatchObject({ kind: 'dns', code: 'ETIMEOUT' });
  });

  it('refuses a resolver answer that is not an address', async () => {
    const { lookup } = stubLookup({ 'odd.example.com': [[v4('not-an-ip')]] });
    const resolver = createMailTargetResolver({ allowList: [], lookup });
    expect((await failureOf(resolver.resolve('odd.example.com', 587, 'smtp'))).failure.kind).toBe('policy');
  });
});

describe('mail target policy: accepted targets', () => {
  const literals: Array<[string, number, string, 4 | 6]> = [
    ['8.8.8.8', 587, '8.8.8.8', 4],
    ['1.1.1.1', 465, '1.1.1.1', 4],
    ['134744072', 25, '8.8.8.8', 4],
    ['2606:4700::1111', 993, '2606:4700::1111', 6],
    ['[2606:4700:0:0:0:0:0:1111]', 995, '2606:4700::1111', 6],
    ['::ffff:8.8.8.8', 110, '8.8.8.8', 4],
  ];
  it.each(literals)(
    'public literal %s:%i is dialled as %s without DNS',
    async (host, port, address, family) => {
      const { lookup, calls } = stubLookup({});
      const resolver = createMailTargetResolver({ allowList: [], lookup });
      expect(await resolver.resolve(host, port, 'smtp')).toEqual({ host: address, port, address, family });
      expect(calls).toEqual([]);
    },
  );

  it('accepts every default mail port', async () => {
    const resolver = createMailTargetResolver({ allowList: [], lookup: stubLookup({}).lookup });
    for (const port of [25, 465, 587, 2525, 110, 995, 143, 993]) {
      await expect(resolver.resolve('8.8.8.8', port, 'smtp')).resolves.toMatchObject({ port });
    }
  });

  it('prefers the first IPv4 answer, else the first IPv6 answer', async () => {
    const { lookup } = stubLookup({
      'dual.example.com': [[v6('2606:4700::1111'), v4('1.1.1.1'), v4('8.8.8.8')]],
      'v6.example.com': [[v6('2606:4700::1111'), v6('2606:4700::1001')]],
      'mapped.example.com': [[v6('::ffff:8.8.4.4')]],
    });
    const resolver = createMailTargetResolver({ allowList: [], lookup });
    expect((await resolver.resolve('dual.example.com', 587, 'smtp')).address).toBe('1.1.1.1');
    expect(await resolver.resolve('v6.example.com', 587, 'smtp')).toMatchObject({
      address: '2606:4700::1111',
      family: 6,
    });
    expect((await resolver.resolve('mapped.example.com', 587, 'smtp')).address).toBe('8.8.4.4');
  });

  it('honours a custom port list', async () => {
    const resolver = createMailTargetResolver({
      allowList: [],
      allowedPorts: [465],
      lookup: stubLookup({}).lookup,
    });
    await expect(resolver.resolve('8.8.8.8', 465, 'smtp')).resolves.toMatchObject({ address: '8.8.8.8' });
    await expect(resolver.resolve('8.8.8.8', 25, 'smtp')).rejects.toBeInstanceOf(MailTargetError);
  });
});

describe('mail target policy: operator allow list (SECURITY.md §1.2 item 9)', () => {
  const allow = (spec: string) => {
    const { entries, errors } = parseAllowList(spec);
    expect(errors).toEqual([]);
    return entries;
  };

  it('lets 127.0.0.1:2525 through while 127.0.0.1:22 and 127.0.0.2:2525 stay refused', async () => {
    const resolver = createMailTargetResolver({
      allowList: allow('127.0.0.1:2525'),
      lookup: stubLookup({}).lookup,
    });
    expect(await resolver.resolve('127.0.0.1', 2525, 'smtp')).toEqual({
      host: '127.0.0.1',
      port: 2525,
      address: '127.0.0.1',
      family: 4,
    });
    await expect(resolver.resolve('127.0.0.1', 22, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    await expect(resolver.resolve('127.0.0.1', 587, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    await expect(resolver.resolve('127.0.0.2', 2525, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    // Name rules still apply to names; the operator listed an address, not `localhost`.
    await expect(resolver.resolve('localhost', 2525, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
  });

  it('a host:port entry lets the typed name resolve anywhere, on that port only', async () => {
    const { lookup, calls } = stubLookup({
      localhost: [[v4('127.0.0.1'), v6('::1')]],
      'mail.corp.example': [[v4('10.1.2.3')]],
    });
    const resolver = createMailTargetResolver({
      allowList: allow('localhost:2525 mail.corp.example'),
      lookup,
    });
    expect(await resolver.resolve('LocalHost.', 2525, 'smtp')).toEqual({
      host: 'localhost',
      port: 2525,
      address: '127.0.0.1',
      family: 4,
    });
    await expect(resolver.resolve('localhost', 22, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    expect(await resolver.resolve('mail.corp.example', 8025, 'pop3')).toMatchObject({ address: '10.1.2.3' });
    expect(calls).toEqual(['localhost', 'mail.corp.example']);
  });

  it('a CIDR entry allows dialled addresses inside it (IPv4 and IPv6)', async () => {
    const { lookup } = stubLookup({
      'mx.corp.example': [[v4('10.20.30.40')]],
      'half.corp.example': [[v4('10.20.30.40'), v4('192.168.0.1')]],
      'v6.corp.example': [[v6('fd00::25')]],
    });
    const resolver = createMailTargetResolver({ allowList: allow('10.0.0.0/8 [fd00::/8]:587'), lookup });
    expect(await resolver.resolve('mx.corp.example', 25, 'smtp')).toMatchObject({ address: '10.20.30.40' });
    expect(await resolver.resolve('10.9.9.9', 2525, 'smtp')).toMatchObject({ address: '10.9.9.9' });
    // Every answer must be allowed: one outside the CIDR refuses the name.
    await expect(resolver.resolve('half.corp.example', 25, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    expect(await resolver.resolve('v6.corp.example', 587, 'smtp')).toMatchObject({
      address: 'fd00::25',
      family: 6,
    });
    await expect(resolver.resolve('v6.corp.example', 25, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    await expect(resolver.resolve('[fd00::1]', 587, 'smtp')).resolves.toMatchObject({ address: 'fd00::1' });
  });

  it('a CIDR entry with a non-mail port lets that port pass the pre-DNS check only for its addresses', async () => {
    const { lookup, calls } = stubLookup({
      'mx.corp.example': [[v4('10.1.1.1')]],
      'public.example.com': [[v4('8.8.8.8')]],
    });
    const resolver = createMailTargetResolver({ allowList: allow('10.0.0.0/8:8025'), lookup });
    expect(await resolver.resolve('mx.corp.example', 8025, 'smtp')).toMatchObject({ address: '10.1.1.1' });
    await expect(resolver.resolve('public.example.com', 8025, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    await expect(resolver.resolve('mx.corp.example', 8026, 'smtp')).rejects.toMatchObject({
      failure: { kind: 'policy' },
    });
    expect(calls).toEqual(['mx.corp.example', 'public.example.com']);
  });
});
