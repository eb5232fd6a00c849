/**
 * Replies and bounces coming back into a task, in Polish (issue 10 item 8): an email sent from
 * a task to two contacts goes out through the address's SMTP server (an in-process sink); one
 * contact answers (Gmail-style, quoting our text), the other's server bounces it (a Postfix
 * DSN). Both land in the address's POP3 mailbox (an in-process fake); the real poller of
 * `mailroom serve` collects them after "check now", and the task shows the reply as the
 * contact's comment with the history folded, and our email to the other contact as bounced,
 * explained by the catalogue.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILBOX, startMailbox } from '../helpers/mail-servers.js';
import { serviceMissing } from '../helpers/require-service.js';
import {
  chromiumMissingReason,
  ensureBuilt,
  launchBrowser,
  ROOT,
  type RunningServer,
  SHOTS,
  startServer,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import {
  addTestedAddress,
  createContact,
  createProject,
  openPage,
  signInAdminInPolish,
} from './helpers/journey.js';
import { apiCall, screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());
const ZOFIA = { name: 'Zofia Klientka', email: 'zofia@klient.example' };
const PIOTR = { name: 'Piotr Stary', email: 'piotr@stary-adres.example' };

/** Zofia's answer as Gmail writes it: new text, Polish attribution line, our text quoted. */
const replyFrom = (messageId: string) =>
  Buffer.from(
    [
      'MIME-Version: 1.0',
      'Date: Fri, 4 Dec 2026 08:31:00 +0100',
      `References: ${messageId}`,
      `In-Reply-To: ${messageId}`,
      'Message-ID: <CAF3xZk9mN0pQrStUvWxYz1AbCdEfGhIjKlMnOpQ@mail.gmail.com>',
      'Subject: Re: Reklamacja zamówienia 1024',
      `From: ${ZOFIA.name} <${ZOFIA.email}>`,
      `To: Biuro Firmy <${MAILBOX.email}>`,
      'Content-Type: text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Dziękuję, czekam na kuriera w czwartek.',
      '',
      'Zofia',
      '',
      `pt., 4 gru 2026 o 08:15 Biuro Firmy <${MAILBOX.email}> napisał(a):`,
      '',
      '> Dzień dobry,',
      '> przyjęliśmy reklamację.',
      '',
    ].join('\r\n'),
  );

/** A Postfix delivery-status report for Piotr's copy, returning our headers. */
const bounceOf = (original: string, messageId: string) => {
  const headers = original.slice(0, original.search(/\r?\n\r?\n/));
  return Buffer.from(
    [
      'Return-Path: <>',
      'Date: Fri,  4 Dec 2026 08:15:04 +0100 (CET)',
      'From: MAILER-DAEMON@firma.example (Mail Delivery System)',
      'Subject: Undelivered Mail Returned to Sender',
      `To: ${MAILBOX.email}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UNCE"',
      'Message-Id: <20261204071504.AB12CD@firma.example>',
      '',
      '--B0UNCE',
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'This is the mail system at host firma.example.',
      '',
      `<${PIOTR.email}>: host mx.stary-adres.example[203.0.113.9] said: 550 5.1.1`,
      `    <${PIOTR.email}>: Recipient address rejected: User unknown (in reply to RCPT TO command)`,
      '',
      '--B0UNCE',
      'Content-Description: Delivery report',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; firma.example',
      '',
      `Final-Recipient: rfc822; ${PIOTR.email}`,
      'Action: failed',
      'Status: 5.1.1',
      'Remote-MTA: dns; mx.stary-adres.example',
      `Diagnostic-Code: smtp; 550 5.1.1 <${PIOTR.email}>: Recipient address rejected: User unknown`,
      '',
      '--B0UNCE',
      'Content-Description: Undelivered Message Headers',
      'Content-Type: text/rfc822-headers',
      '',
      headers.includes(messageId) ? headers : `${headers}\r\nMessage-ID: ${messageId}`,
      '',
      '--B0UNCE--',
      '',
    ].join('\r\n'),
  );
};

describe.skipIf(skip)('replies and bounces come back into the task (Polish UI)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let box: Awaited<ReturnType<typeof startMailbox>> | undefined;
  let page: Page;
  let addressId: string;
  let taskId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    box = await startMailbox();
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-replies-'));
    server = await startServer(workDir, {
      MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
      MAILROOM_EXTRA_CA_FILE: join(ROOT, 'test', 'fixtures', 'tls', 'ca.pem'),
    });
    browser = await launchBrowser();
    page = await openPage(browser, { pageErrors });
    await signInAdminInPolish(page, server);

    // Setup that is not what this journey is about: a collecting address, a project, a task
    // with two contacts.
    addressId = await addTestedAddress(page, '/api/company/email-addresses', box.fields(), 'Biuro Firmy');
    const projectId = await createProject(page, 'Sklep');
    const contactIds = [await createContact(page, ZOFIA), await createContact(page, PIOTR)];
    taskId = (
      await apiCall<{ id: string }>(page, 'POST', '/api/tasks', {
        projectId,
        title: 'Reklamacja zamówienia 1024',
        contactIds,
      })
    ).id;
    // The worker's first poll of a new address only records what is already there (M37):
    // wait for it, so the mail below counts as new.
    await page.waitForFunction(
      async (path) =>
        ((await (await fetch(path)).json()) as { lastSuccessAt: string | null }).lastSuccessAt !== null,
      `/api/email-addresses/${addressId}/collection`,
      { polling: 250, timeout: 30_000 },
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    await box?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('shows the contact’s reply with the history folded and the other email as bounced, explained', async () => {
    const shot = screenshots(page, 'replies');
    await page.goto(`${server!.url}/tasks/${taskId}`);
    await visible(page.getByRole('heading', { name: 'Reklamacja zamówienia 1024', level: 1 }));
    await page.getByRole('textbox', { name: 'Nowy komentarz' }).fill('Dzień dobry,\nprzyjęliśmy reklamację.');
    await page.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    for (const c of [ZOFIA, PIOTR])
      expect(await page.getByRole('checkbox', { name: `${c.name} <${c.email}>` }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Dodaj i wyślij e-mail' }).click();
    const ours = page.getByTestId('comment').filter({ hasText: 'przyjęliśmy reklamację.' });
    await visible(ours);
    const toZofia = ours.getByTestId('comment-email').filter({ hasText: `do: ${ZOFIA.name}` });
    const toPiotr = ours.getByTestId('comment-email').filter({ hasText: `do: ${PIOTR.name}` });
    await toZofia.getByText('Wysłano', { exact: true }).waitFor({ timeout: 45_000 });
    await toPiotr.getByText('Wysłano', { exact: true }).waitFor({ timeout: 45_000 });

    // What the SMTP server accepted, as the contacts' servers would get it.
    const sent = async (to: string) => {
      const m = box!.smtp.messages.find((x) => x.to.includes(to));
      expect(m, `an email to ${to}`).toBeDefined();
      const parsed = await simpleParser(m!.raw);
      return { raw: m!.raw.toString('utf8'), messageId: parsed.messageId! };
    };
    const zofiaMail = await sent(ZOFIA.email);
    const piotrMail = await sent(PIOTR.email);
    expect(zofiaMail.messageId).not.toBe(piotrMail.messageId);

    // Both arrive in the address's mailbox; "check now" (M36) makes the worker collect them.
    box!.pop3.messages.push({ raw: replyFrom(zofiaMail.messageId), uid: 'reply-1' });
    box!.pop3.messages.push({ raw: bounceOf(piotrMail.raw, piotrMail.messageId), uid: 'bounce-1' });
    await page.goto(`${server!.url}/email/company-addresses`);
    await (
      await visible(page.getByRole('button', { name: `Sprawdź teraz odpowiedzi w ${MAILBOX.email}` }))
    ).click();
    await visible(page.getByText(`Sprawdzanie odpowiedzi w ${MAILBOX.email}…`));
    await page.goto(`${server!.url}/tasks/${taskId}`);

    const reply = page.getByTestId('comment').filter({ hasText: 'z e-maila' });
    // The open thread refreshes itself (every 15 s when quiet): wait for both as the user would.
    await reply.first().waitFor({ state: 'visible', timeout: 45_000 });
    await toPiotr.and(page.locator('[data-status="bounced"]')).waitFor({ state: 'visible', timeout: 45_000 });

    // The reply: Zofia's comment, her new text first, our quoted text folded away.
    await visible(reply.getByText(ZOFIA.name));
    await visible(reply.getByText('Dziękuję, czekam na kuriera w czwartek.'));
    expect(await reply.getByText('> przyjęliśmy reklamację.').isVisible()).toBe(false);
    await reply.getByRole('button', { name: 'Pokaż cytowaną historię' }).click();
    await visible(reply.getByText(/> przyjęliśmy reklamację\./));
    await visible(reply.getByRole('link', { name: 'Pobierz oryginał (.eml)' }));
    expect(await page.getByTestId('comment').filter({ hasText: 'Undelivered Mail' }).count()).toBe(0);

    // The bounce: Piotr's email bounced, with the catalogue's plain-language cause and fix.
    await visible(toPiotr.getByText('Zwrócono – nie dostarczono'));
    await visible(toPiotr.getByText('Adres odbiorcy nie istnieje'));
    await visible(toPiotr.getByText(/Sprawdź pisownię adresu kontaktu/));
    expect(await toZofia.getAttribute('data-status')).toBe('sent');
    await shot.page('reply-and-bounce');
    expect(pageErrors).toEqual([]);
  });
});
