import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmails } from '../../src/db/schema/index.js';
import { startMailbox } from '../helpers/mail-servers.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

let t: TestApp;
let ws: TestWorkspace;
const boxes: Mailbox[] = [];

beforeAll(async () => {
  t = await createTestApp(
    { testRateLimit: '1000' },
    // Short check intervals; a deadline no loaded machine reaches by accident. Tests that want
    // "not arrived" end the wait themselves after the checks they expect (`expireAfterChecks`).
    { testEmailTiming: { arrivalTimeoutMs: 120_000, checkIntervalsMs: [50, 100, 200] } },
  );
  t.startWorker();
  ws = await t.newWorkspace();
});
afterAll(async () => {
  await t?.close();
  for (const box of boxes) await box.close();
});

async function mailbox(opts: Parameters<typeof startMailbox>[0] = {}): Promise<Mailbox> {
  const box = await startMailbox(opts);
  boxes.push(box);
  return box;
}

/** Tests and saves the mailbox as `c`'s own address; returns its id. */
async function saveAddress(c: Caller, box: Mailbox, url = `/api/employees/${c.employeeId}/email-addresses`) {
  const fields = box.fields();
  const test = await c.request('POST', '/api/email-addresses/test', fields);
  expect(test.json().ok, test.body).toBe(true);
  const created = await c.request('POST', url, { ...fields, testToken: test.json().testToken });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id as string;
}

/** Starts a test email and returns it once the background run has finished. */
async function roundTrip(
  c: Caller,
  addressId: string,
  headers: Record<string, string> = {},
  opts: { notArrivedAfterChecks?: number } = {},
) {
  const started = await c.request(
    'POST',
    `/api/email-addresses/${addressId}/test-emails`,
    undefined,
    headers,
  );
  expect(started.statusCode, started.body).toBe(202);
  if (opts.notArrivedAfterChecks) await expireAfterChecks(started.json().id, opts.notArrivedAfterChecks);
  await t.ctx.mailbox.testEmails.idle();
  const done = await c.request(
    'GET',
    `/api/email-addresses/${addressId}/test-emails/${started.json().id}`,
    undefined,
    headers,
  );
  expect(done.statusCode).toBe(200);
  return { started: started.json(), done: done.json() };
}

/**
 * Event-driven end of the arrival wait: once the worker has made `checks` arrival checks, the
 * deadline is moved into the past, so the next step reports "not arrived" (no timing window).
 */
async function expireAfterChecks(testEmailId: string, checks: number) {
  for (;;) {
    const [row] = await t.ctx.db.select().from(testEmails).where(eq(testEmails.id, testEmailId));
    if (!row || row.finishedAt) return;
    if (row.checks >= checks) {
      await t.ctx.db
        .update(testEmails)
        .set({ deadlineAt: new Date(Date.now() - 1000) })
        .where(eq(testEmails.id, testEmailId));
      return;
    }
    await t.ctx.mailbox.testEmails.afterStep();
  }
}

const stepIds = (direction: { steps: Array<{ id: string }> }) => direction.steps.map((s) => s.id);

describe('Send a test email (M23)', () => {
  it('sends from the address to itself and sees it arrive over POP3', async () => {
    const box = await mailbox({ deliver: true, deliveryDelayMs: 150 });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);

    const { started, done } = await roundTrip(emp, id, { 'accept-language': 'pl' });
    expect(started.status).toBe('sending');
    expect(done.status).toBe('arrived');
    expect(done.arrivalMs).toBeGreaterThanOrEqual(0);
    expect(done.checks).toBeGreaterThanOrEqual(1);
    expect(stepIds(done.send)).toEqual([
      'resolve',
      'connect',
      'tls',
      'greeting',
      'ehlo',
      'auth',
      'mail_from',
      'rcpt_to',
      'data',
      'quit',
    ]);
    expect(done.send.steps.find((s: { id: string }) => s.id === 'data').reply).toMatch(/^250 /);
    expect(stepIds(done.arrival).slice(-3)).toEqual(['uidl', 'find', 'quit']);

    // Exactly one message, from the address to itself, marked and findable by its Message-ID.
    expect(box.smtp.messages).toHaveLength(1);
    const sent = box.smtp.messages[0]!;
    expect(sent.from).toBe('anna@firma.example');
    expect(sent.to).toEqual(['anna@firma.example']);
    const raw = sent.raw.toString('utf8').replace(/\r\n[ \t]+/g, ' '); // unfolded headers
    expect(raw).toContain(`Message-ID: ${done.messageId}`);
    expect(raw).toContain(`X-Mailroom-Test: ${done.id}`);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated/m);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m); // Polish subject, encoded
    expect(done.messageId).toMatch(/^<mailroom-test\.[0-9a-f-]{36}@firma\.example>$/);
  });

  it('opens the arrival window when the server accepted the email, not when the test started', async () => {
    // The 250 comes after the whole arrival window (2 s here) has passed since the start.
    const box = await mailbox({ deliver: true, smtpScript: { dataReplyDelayMs: 2_500 } });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    const { done } = await roundTrip(emp, id);
    expect(done.status).toBe('arrived');
    expect(Date.parse(done.deadlineAt)).toBeGreaterThanOrEqual(Date.parse(done.sentAt) + 2_000);
  });

  it('looks at each older message only once across checks', async () => {
    const box = await mailbox({ deliver: true, deliveryDelayMs: 400 });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    const { done } = await roundTrip(emp, id);
    expect(done.status).toBe('arrived');
    expect(done.checks).toBeGreaterThanOrEqual(2);
    // The mailbox's one older message (uid-1) had its headers read once, not on every check.
    expect(box.pop3.commandLines().filter((l) => l === 'TOP 1 0')).toHaveLength(1);
  });

  it('reports a message that never arrives as not arrived, with the checks made', async () => {
    const box = await mailbox({ deliver: false });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    const { done } = await roundTrip(emp, id, {}, { notArrivedAfterChecks: 2 });
    expect(done.status).toBe('not_arrived');
    expect(done.checks).toBeGreaterThanOrEqual(2);
    expect(done.arrivedAt).toBeNull();
    expect(done.send.ok).toBe(true);
    expect(done.arrival.steps.find((s: { id: string }) => s.id === 'find').info).toMatchObject({
      found: false,
    });
  });

  it('explains a refused message from the catalogue and does not wait for it', async () => {
    const box = await mailbox({ deliver: true });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    box.smtp.setScript({ data: '554 5.7.1 Message rejected as spam' });
    const { done } = await roundTrip(emp, id, { 'accept-language': 'en' });
    expect(done.status).toBe('failed');
    expect(done.checks).toBe(0);
    expect(done.arrival).toBeNull();
    const data = done.send.steps.find((s: { id: string }) => s.id === 'data');
    expect(data.outcome).toBe('failed');
    expect(data.reply).toContain('554 5.7.1');
    expect(done.send.diagnosis).toMatchObject({ id: 'rejected-as-spam', title: 'Message rejected as spam' });
  });

  it('fails with the diagnosis when the mailbox can no longer be read', async () => {
    const box = await mailbox({ deliver: true });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    (box.pop3.options as { alwaysRefuseLogin?: boolean }).alwaysRefuseLogin = true;
    const { done } = await roundTrip(emp, id);
    expect(done.status).toBe('failed');
    expect(done.send.ok).toBe(true);
    expect(done.arrival.ok).toBe(false);
    expect(done.arrival.steps.find((s: { outcome: string }) => s.outcome === 'failed').id).toBe('auth');
    expect(done.arrival.diagnosis.id).toBeTruthy();
  });

  it('returns the running test email instead of starting a second one, lists recent ones and audits', async () => {
    const box = await mailbox({ deliver: true, deliveryDelayMs: 200 });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    const url = `/api/email-addresses/${id}/test-emails`;
    const first = await emp.request('POST', url);
    const second = await emp.request('POST', url);
    expect(second.json().id).toBe(first.json().id);
    await t.ctx.mailbox.testEmails.idle();
    expect(box.smtp.messages).toHaveLength(1);

    const list = await emp.request('GET', url);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([first.json().id]);
    const audit = await ws.admin.request(
      'GET',
      `/api/audit-log?targetId=${id}&action=email_address.test_email_sent`,
    );
    expect(audit.json().items).toHaveLength(1);
    expect(audit.json().items[0].details).toMatchObject({ testEmailId: first.json().id });
  });

  it('is a durable job: queued with no worker, continued by the next worker after a shutdown, sent once', async () => {
    const box = await mailbox({ deliver: false });
    const emp = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    await t.stopWorker();
    const started = await emp.request('POST', `/api/email-addresses/${id}/test-emails`);
    expect(started.statusCode).toBe(202);
    const url = `/api/email-addresses/${id}/test-emails/${started.json().id}`;
    const status = async () => (await emp.request('GET', url)).json().status as string;
    expect(await status()).toBe('sending');
    expect(box.smtp.messages).toHaveLength(0); // the web request sent nothing itself

    t.startWorker();
    while ((await status()) !== 'waiting') await t.ctx.mailbox.testEmails.afterStep();
    await t.stopWorker(); // shutdown in the middle of the wait
    const [row] = await t.ctx.db.select().from(testEmails).where(eq(testEmails.id, started.json().id));
    expect(row).toMatchObject({ status: 'waiting', leaseToken: null });

    t.startWorker();
    await expireAfterChecks(started.json().id, row!.checks + 1);
    await t.ctx.mailbox.testEmails.idle();
    expect(await status()).toBe('not_arrived');
    expect(box.smtp.messages).toHaveLength(1); // not sent again by the second worker
  });

  it('refuses disabled addresses, other people, and unknown ids', async () => {
    const box = await mailbox({ deliver: true });
    const emp = await ws.newEmployee();
    const other = await ws.newEmployee();
    const id = await saveAddress(emp, box);
    const url = `/api/email-addresses/${id}/test-emails`;

    expect((await other.request('POST', url)).statusCode).toBe(403);
    expect((await other.request('GET', url)).statusCode).toBe(403);
    expect((await emp.request('GET', `${url}/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect(
      (await emp.request('POST', `/api/email-addresses/${crypto.randomUUID()}/test-emails`)).statusCode,
    ).toBe(404);

    const foreign = await t.newWorkspace('Other company');
    expect((await foreign.admin.request('POST', url)).statusCode).toBe(404);

    // An admin may send one for an employee's address; a company address only by admins.
    const companyBox = await mailbox({ deliver: true });
    const companyId = await saveAddress(ws.admin, companyBox, '/api/company/email-addresses');
    expect((await emp.request('POST', `/api/email-addresses/${companyId}/test-emails`)).statusCode).toBe(403);

    await emp.request('PATCH', `/api/employees/${emp.employeeId}/email-addresses/${id}`, { active: false });
    const disabled = await emp.request('POST', url);
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error.code).toBe('ADDRESS_DISABLED');
    expect(box.smtp.messages).toHaveLength(0);
  });
});
