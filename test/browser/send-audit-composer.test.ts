/**
 * send-audit (issue 9, "the composer in the browser as a new employee would use it"): a new
 * employee, Polish UI, writes to a contact. The From picker shows the default (their own
 * address) and the company address, each with its reason; the chosen address's health is shown
 * before sending; attachments over the 10 MB cap are refused before anything is uploaded; their
 * own address's server drops the connection after the final dot, so the email is "Nie wiadomo,
 * czy wysłano" and "Wyślij ponownie" asks first with the duplicate warning; all on a phone too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILBOX, startMailbox } from '../helpers/mail-servers.js';
import { serviceMissing } from '../helpers/require-service.js';
import { fixtureCert } from '../helpers/tls-fixtures.js';
import {
  chromiumMissingReason,
  ensureBuilt,
  field,
  hidden,
  launchBrowser,
  ROOT,
  type RunningServer,
  SHOTS,
  STEP_TIMEOUT,
  startServer,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import { addTestedAddress, createContact, createProject, openPage, signIn } from './helpers/journey.js';
import { apiCall, pick, screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());

/** Implicit-TLS SMTP that accepts login and data, then drops the connection instead of a reply. */
async function startDroppingSmtp() {
  const sockets = new Set<Socket>();
  let dots = 0;
  const server = new SMTPServer({
    secure: true,
    ...fixtureCert('localhost'),
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === MAILBOX.login && auth.password === MAILBOX.password)
        cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, _session, _cb) {
      stream.resume();
      stream.on('end', () => {
        dots++;
        for (const s of sockets) s.destroy();
      });
    },
  });
  server.on('error', () => {});
  // smtp-server keeps its TLS sockets private: track the raw ones to cut them after the dot.
  (server as unknown as { server: import('node:net').Server }).server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    dots: () => dots,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(skip)('send-audit: the composer as a new employee (Polish UI)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let company: Awaited<ReturnType<typeof startMailbox>> | undefined;
  let own: Awaited<ReturnType<typeof startMailbox>> | undefined;
  let dropping: Awaited<ReturnType<typeof startDroppingSmtp>> | undefined;
  let page: Page;
  let admin: Page;
  let zofiaId = '';
  const pageErrors: string[] = [];
  const employee = { email: 'ewa.nowa@firma.example', password: 'nowa pracownica 2026!' };

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    company = await startMailbox();
    own = await startMailbox();
    dropping = await startDroppingSmtp();
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-send-audit-'));
    server = await startServer(workDir, {
      MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
      MAILROOM_EXTRA_CA_FILE: join(ROOT, 'test', 'fixtures', 'tls', 'ca.pem'),
    });
    browser = await launchBrowser();
    // Setup as the admin, through the API: not what this journey is about.
    admin = await openPage(browser);
    await signIn(admin, server.url, server);
    const ewa = await apiCall<{ id: string }>(admin, 'POST', '/api/employees', {
      name: 'Ewa Nowa',
      email: employee.email,
      password: employee.password,
      language: 'pl',
    });
    await addTestedAddress(admin, '/api/company/email-addresses', company.fields(), 'Biuro Firmy');
    const ownFields = own.fields({
      email: 'ewa@firma.example',
      smtp: { host: '127.0.0.1', port: dropping.port, security: 'tls' },
    });
    await addTestedAddress(admin, `/api/employees/${ewa.id}/email-addresses`, ownFields, 'Ewa Nowa');
    await createProject(admin, 'Sklep internetowy');
    zofiaId = await createContact(admin, { name: 'Zofia Klientka', email: 'zofia@klient.example' });

    page = await openPage(browser, { pageErrors });
    await signIn(page, server.url, employee, { landing: (p) => p.getByRole('link', { name: 'Projekty' }) });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    await company?.close();
    await own?.close();
    await dropping?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('From picker with reasons and health, attachments over the cap refused, uncertain → send again warns', async () => {
    const shot = screenshots(page, 'send-audit');
    await page.getByRole('link', { name: 'Projekty' }).click();
    await page.getByRole('link', { name: 'Zadania projektu Sklep internetowy' }).click();
    await page.getByRole('button', { name: 'Nowe zadanie' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nowe zadanie' });
    await field(dialog, 'Tytuł').fill('Pytanie o fakturę');
    await dialog.getByRole('button', { name: 'Utwórz' }).click();
    await visible(page.getByRole('heading', { name: 'Pytanie o fakturę', level: 1 }));
    await pick(page, page, 'Dodaj kontakt do zadania', 'Zofia', /Zofia Klientka/);

    await page.getByRole('textbox', { name: 'Nowy komentarz' }).fill('Dzień dobry, w załączniku faktura.');
    await page.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    // M25–M27: their own address is the default, the company one a choice; each says why.
    const from = page.getByTestId('sender-picker');
    await visible(from);
    expect(await from.inputValue()).toBe('Ewa Nowa <ewa@firma.example> (domyślny)');
    await visible(page.getByText('Własny adres dla wszystkich projektów'));
    await from.click();
    const companyOption = page.getByRole('option', { name: 'Biuro Firmy <anna@firma.example>' });
    await visible(companyOption);
    await companyOption.hover();
    // The preview's reason on hover (the option's title; Mantine's tooltip shows the same text).
    expect(await companyOption.locator('[title]').getAttribute('title')).toBe(
      'Adres firmy dla wszystkich projektów',
    );
    const own = page.getByRole('option', { name: 'Ewa Nowa <ewa@firma.example> (domyślny)' });
    expect(await own.locator('[title]').getAttribute('title')).toBe('Własny adres dla wszystkich projektów');
    await shot.page('from-picker');
    await page.keyboard.press('Escape');
    // M50: the chosen address's health before sending.
    // The state is said once: the label, then one badge (not "Stan adresu: Działa [DZIAŁA]").
    await visible(page.getByTestId('sender-health').locator('.mantine-Badge-root'));
    expect(await page.getByTestId('sender-health').textContent()).toBe('Stan adresu:Działa');

    // Attachments over the 10 MB cap: refused in the composer, nothing is uploaded.
    const big = join(workDir, 'skan-faktury.pdf');
    writeFileSync(big, Buffer.alloc(10 * 1024 * 1024 + 1, 0x25));
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/comments')) requests.push(r.url());
    });
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Dołącz pliki' }).click();
    await (await chooser).setFiles(big);
    await visible(page.getByText(/Załączniki razem przekraczają 10 MB/));
    const submit = page.getByRole('button', { name: 'Dodaj i wyślij e-mail' });
    expect(await submit.isDisabled()).toBe(true);
    await shot.page('too-large');
    expect(requests).toEqual([]);
    await page.getByRole('button', { name: 'Usuń plik skan-faktury.pdf' }).click();

    await submit.click();
    const comment = page.getByTestId('comment').filter({ hasText: 'w załączniku faktura.' });
    await visible(comment);
    const email = comment.getByTestId('comment-email');
    // The server took the data and hung up without a reply: possibly delivered (M32).
    await email.getByText('Nie wiadomo, czy wysłano', { exact: true }).waitFor({ timeout: 45_000 });
    expect(await email.getAttribute('data-status')).toBe('uncertain');
    expect(dropping!.dots()).toBe(1);
    await email.getByRole('button', { name: 'Wyślij ponownie' }).click();
    const confirm = page.getByRole('dialog', { name: 'Wysłać wiadomość ponownie?' });
    await visible(confirm.getByTestId('duplicate-warning'));
    await visible(confirm.getByText(/może dostać tę wiadomość dwa razy/));
    await shot.page('send-again-warning');
    const resends: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/send-again')) resends.push(r.url());
    });
    await confirm.getByRole('button', { name: 'Anuluj' }).click();
    // Cancelled: the dialog closes and no "send again" request left the page (the only way a
    // second copy could go out), so the server saw the data once.
    await hidden(confirm);
    expect(resends).toEqual([]);
    expect(dropping!.dots()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('the composer with the From picker and the email state works on a phone', async () => {
    const url = page.url();
    const phone = await browser!.newContext({ locale: 'pl-PL', viewport: { width: 360, height: 740 } });
    await phone.addCookies(await page.context().cookies());
    const p = await phone.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT);
    await p.goto(url);
    await visible(p.getByRole('heading', { name: 'Pytanie o fakturę', level: 1 }));
    await visible(p.getByText('Nie wiadomo, czy wysłano', { exact: true }));
    await p.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    await visible(p.getByTestId('sender-picker'));
    await visible(p.getByTestId('sender-health'));
    // The chosen address is readable in full in the input (not clipped), and in the list too.
    const picker = p.getByTestId('sender-picker');
    expect(await picker.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await picker.inputValue()).toContain('@');
    const { scrollWidth, clientWidth } = (await p.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
    )) as { scrollWidth: number; clientWidth: number };
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await screenshots(p, 'send-audit-phone').page('task');
    await phone.close();
  }, 60_000);

  it('a refusal by the server names the problem, not only "some fields are wrong"', async () => {
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Pytanie o fakturę', level: 1 }));
    await page.getByRole('textbox', { name: 'Nowy komentarz' }).fill('Jeszcze jedno pytanie.');
    await page.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    await visible(page.getByTestId('sender-picker'));
    // Meanwhile an admin deletes the contact: the page still offers it.
    // (apiCall always sends a JSON content type, which an empty DELETE body must not carry.)
    const status = await admin.evaluate(async (id) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      return (
        await fetch(`/api/contacts/${id}`, {
          method: 'DELETE',
          headers: { 'x-csrf-token': session.csrfToken },
        })
      ).status;
    }, zofiaId);
    expect(status).toBe(204);
    await page.getByRole('button', { name: 'Dodaj i wyślij e-mail' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Niektóre pola są niepoprawne' });
    await visible(alert);
    // The server's own wording for the refused field, in Polish.
    await visible(alert.getByText('Wskazuje na obiekt, który nie istnieje.'));
    await screenshots(page, 'send-audit').page('server-refusal');
  }, 60_000);
});
