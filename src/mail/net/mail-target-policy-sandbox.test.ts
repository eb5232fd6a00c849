import { describe, expect, it } from 'vitest';
import { parseAllowList } from './allow-list.js';
import { MailTargetError, TARGET_REFUSED_MESSAGE } from './mail-target-error.js';
import { createMailTargetResolver } from './mail-target-policy.js';

/**
 * The built-in sandbox's ports are allowed for the demo workspace's connections only (decision
 * 0010): any other connection to them is refused exactly as any other loopback address is.
 */
const allow = (spec: string) => parseAllowList(spec).entries;
const SMTP = 40125;
const resolver = createMailTargetResolver({
  allowList: allow('mail.corp.example:2526'),
  sandboxAllowList: allow(`127.0.0.1:${SMTP},127.0.0.1:40126`),
  lookup: async (host) => (host === 'mail.corp.example' ? [{ address: '10.1.2.3', family: 4 }] : []),
});

async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailTargetError);
  const { failure, message } = err as MailTargetError;
  return { kind: failure.kind, message };
}

describe('mail target policy: the sandbox entries', () => {
  it('let a demo-workspace connection dial exactly the sandbox ports on 127.0.0.1', async () => {
    expect(await resolver.resolve('127.0.0.1', SMTP, 'smtp', { sandbox: true })).toEqual({
      host: '127.0.0.1',
      port: SMTP,
      address: '127.0.0.1',
      family: 4,
    });
    for (const [host, port] of [
      ['127.0.0.1', 40127],
      ['127.0.0.2', SMTP],
      ['localhost', SMTP],
      ['[::1]', SMTP],
    ] as const)
      expect(await refusal(resolver.resolve(host, port, 'smtp', { sandbox: true }))).toEqual({
        kind: 'policy',
        message: TARGET_REFUSED_MESSAGE,
      });
  });

  it('refuse any other workspace as they refuse 127.0.0.1 on a mail port', async () => {
    const loopback = await refusal(resolver.resolve('127.0.0.1', 587, 'smtp'));
    expect(loopback).toEqual({ kind: 'policy', message: TARGET_REFUSED_MESSAGE });
    for (const scope of [undefined, {}, { sandbox: false }])
      for (const protocol of ['smtp', 'pop3', 'imap'] as const)
        expect(await refusal(resolver.resolve('127.0.0.1', SMTP, protocol, scope))).toEqual(loopback);
  });

  it('leave the operator’s entries to every workspace', async () => {
    for (const scope of [undefined, { sandbox: true }])
      expect((await resolver.resolve('mail.corp.example', 2526, 'smtp', scope)).address).toBe('10.1.2.3');
  });
});
