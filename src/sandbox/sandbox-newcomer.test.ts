import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxPop3Messages, sandboxSmtp } from '../../test/helpers/sandbox-clients.js';
import { type Sandbox, startSandbox } from './sandbox.js';
import { SANDBOX_MAX_NEWCOMERS } from './sandbox-store.js';
import { SANDBOX_PERSONAS } from './sandbox-world.js';

/**
 * A newcomer's own address on the sandbox (issue 12 item 1): the first sign-in of an unknown
 * mailbox in the company domain with the newcomer password creates it — on any of the three
 * servers — and from then on it is a mailbox like the seeded ones. Nothing else is ever created.
 */
const katarzyna = 'katarzyna.wojcik@firma-demo.test';
const client = SANDBOX_PERSONAS.find((p) => p.behaviour === 'replies')!;

let dir: string;
let sandbox: Sandbox;
let password: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailroom-sandbox-newcomer-'));
  sandbox = await startSandbox({ dir, replyDelayMs: 50, bounceDelayMs: 20 });
  password = sandbox.store.newcomerPassword();
});
afterEach(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const smtp = (user: string, pass: string) => sandboxSmtp(sandbox, user, pass);
const pop3Messages = async (user: string, pass: string) =>
  (await sandboxPop3Messages(sandbox, user, pass)).messages;
/** A message from `user` that the sandbox must refuse at AUTH. */
const refusedAt535 = (user: string, pass: string) =>
  expect(smtp(user, pass).sendMail({ from: user, to: client.email, text: 'x' })).rejects.toThrow(/535/);

async function imapLogin(user: string, pass: string) {
  const imap = new ImapFlow({
    host: '127.0.0.1',
    port: sandbox.imapPort,
    secure: false,
    auth: { user, pass },
    logger: false,
  });
  await imap.connect();
  await imap.logout();
}

describe('a newcomer mailbox on the sandbox', () => {
  it('one readable password per data dir, kept in the account file across restarts', async () => {
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const file = JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')) as { newcomerPassword: string };
    expect(file.newcomerPassword).toBe(password);
    await sandbox.close();
    sandbox = await startSandbox({ dir });
    expect(sandbox.store.newcomerPassword()).toBe(password);
  });

  it('SMTP AUTH creates it; then it sends, gets Jan’s reply and reads it over POP3', async () => {
    expect(sandbox.store.hasAccount(katarzyna)).toBe(false);
    await smtp(katarzyna, password).sendMail({
      from: katarzyna,
      to: client.email,
      subject: 'Pierwszy e-mail',
      text: 'Dzień dobry.',
    });
    expect(sandbox.store.hasAccount(katarzyna)).toBe(true);
    // Stored as a salted hash like every account, never as the password itself.
    const accounts = readFileSync(join(dir, 'accounts.json'), 'utf8');
    expect(JSON.parse(accounts).accounts[katarzyna]).toMatch(/^[0-9a-f]{32}:[0-9a-f]{64}$/);
    await sandbox.settled();
    const [reply] = await pop3Messages(katarzyna, password);
    expect(reply!.toString()).toContain('Subject: Re: Pierwszy e-mail');
  });

  it('POP3 and IMAP sign-ins create it too; once created, it keeps its password', async () => {
    expect(await pop3Messages('nowy.pop3@firma-demo.test', password)).toEqual([]);
    await imapLogin('Nowy.Imap@Firma-Demo.test', password);
    expect(sandbox.store.hasAccount('nowy.pop3@firma-demo.test')).toBe(true);
    expect(sandbox.store.hasAccount('nowy.imap@firma-demo.test')).toBe(true);
    await imapLogin('nowy.pop3@firma-demo.test', password);
  });

  it('a wrong password fails like any wrong password and creates nothing', async () => {
    await refusedAt535(katarzyna, 'zle-haslo');
    await expect(pop3Messages(katarzyna, `${password}x`)).rejects.toThrow();
    await expect(imapLogin(katarzyna, password.toUpperCase())).rejects.toThrow();
    expect(sandbox.store.hasAccount(katarzyna)).toBe(false);
  });

  it('never outside the company domain, never over an existing mailbox', async () => {
    sandbox.store.setAccount('anna.nowak@firma-demo.test', 'annas-password');
    for (const user of [
      'ktos@klient-demo.test',
      'ktos@example.com',
      'ktos@firma-demo.test.example.com',
      'ktos@sub.firma-demo.test',
      '"a b"@firma-demo.test',
      'firma-demo.test',
      client.email,
    ]) {
      expect(sandbox.store.signIn(user, password), user).toBe(false);
      expect(sandbox.store.hasAccount(user), user).toBe(false);
    }
    await refusedAt535('ktos@klient-demo.test', password);
    // Anna's mailbox is hers: the newcomer password does not open it.
    expect(sandbox.store.signIn('anna.nowak@firma-demo.test', password)).toBe(false);
    expect(sandbox.store.signIn('anna.nowak@firma-demo.test', 'annas-password')).toBe(true);
  });

  it(`creates at most ${SANDBOX_MAX_NEWCOMERS} mailboxes, across restarts`, async () => {
    for (let i = 0; i < SANDBOX_MAX_NEWCOMERS - 1; i++)
      expect(sandbox.store.signIn(`nowy${i}@firma-demo.test`, password)).toBe(true);
    await sandbox.close();
    sandbox = await startSandbox({ dir });
    expect(sandbox.store.signIn('ostatni@firma-demo.test', password)).toBe(true);
    await refusedAt535('jeden.za.duzo@firma-demo.test', password);
    expect(sandbox.store.hasAccount('jeden.za.duzo@firma-demo.test')).toBe(false);
    // Those already created keep working.
    expect(sandbox.store.signIn('nowy0@firma-demo.test', password)).toBe(true);
  });
});
