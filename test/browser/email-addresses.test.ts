/**
 * Browser journeys of the issue "External email addresses" (SPEC §2 M5–M23, §3 M28, §5
 * M43–M44, §7 M48–M50), in Polish, over the real server and the built UI. Loopback mail
 * servers in this process stand in for the providers: an SMTP sink with implicit TLS and
 * POP3 fakes (one with a self-signed certificate); the server is told to allow 127.0.0.1
 * and to trust the test CA. Screenshots land in test-output/browser/.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMissing } from '../helpers/require-service.js';
import { fixturePath } from '../helpers/tls-fixtures.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';
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
import { openPage, signInAdminInPolish } from './helpers/journey.js';
import { apiCall, pick, screenshots, scrollSettled } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());

/** The mailboxes the journeys add; each has its own POP3 fake, all share one SMTP sink. */
const BOX = {
  gmail: { email: 'anna.nowak@gmail.com', password: 'abcdefghijklmnop' },
  anna: { email: 'anna@firma.example', password: 'Firma-haslo-2024' },
  pomoc: { email: 'pomoc@firma.example', password: 'Pomoc-haslo-2024' },
  serwis: { email: 'serwis@firma.example', password: 'Serwis-haslo-2024' },
} as const;
const GMAIL_APP_PASSWORD_REPLY =
  '534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor gsmtp';

describe.skipIf(skip)('external email addresses journeys (Polish UI)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let smtp: SmtpSink | undefined;
  const pop3: Partial<Record<keyof typeof BOX, Pop3FakeServer>> = {};
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpSink({
      mode: 'tls',
      users: Object.values(BOX).map((box) => ({ user: box.email, password: box.password })),
      // Mail to one of the boxes lands in its POP3 mailbox, so a test email makes the round trip.
      onMessage: (message) => {
        for (const key of Object.keys(BOX) as (keyof typeof BOX)[]) {
          if (!message.to.includes(BOX[key].email)) continue;
          const box = pop3[key];
          box?.messages.push({ raw: message.raw, uid: `delivered-${box.messages.length + 1}` });
        }
      },
    });
    for (const key of Object.keys(BOX) as (keyof typeof BOX)[]) {
      pop3[key] = await Pop3FakeServer.start({
        implicitTls: true,
        user: BOX[key].email,
        pass: BOX[key].password,
        ...(key === 'serwis' ? { certs: ['self-signed' as const] } : {}),
        ...(key === 'gmail'
          ? {
              loginError:
                '[AUTH] Application-specific password required: https://support.google.com/accounts/answer/185833',
            }
          : {}),
      });
    }
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-addresses-'));
    server = await startServer(workDir, {
      MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
      MAILROOM_EXTRA_CA_FILE: join(ROOT, 'test', 'fixtures', 'tls', 'ca.pem'),
      MAILROOM_TEST_RATE_LIMIT: '1000',
    });
    browser = await launchBrowser();
    // The first-start admin, the browser and the account in Polish.
    page = await openPage(browser, { pageErrors });
    await signInAdminInPolish(page, server);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    await smtp?.close();
    for (const fake of Object.values(pop3)) await fake?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs a journey; on failure leaves a picture of the moment it broke. */
  async function journey(prefix: string, steps: (shots: ReturnType<typeof screenshots>) => Promise<void>) {
    const shots = screenshots(page, prefix);
    smtp!.setScript({});
    try {
      await steps(shots);
    } catch (error) {
      await shots.failure();
      // Leave a clean page (no open dialog) for the next journey.
      await page.goto(`${server!.url}/employees`).catch(() => undefined);
      throw error;
    }
    expect(pageErrors).toEqual([]);
  }

  const dialogNamed = (name: string | RegExp) => page.getByRole('dialog', { name });

  /** Types the loopback servers over whatever a preset filled in. */
  async function typeServers(dialog: Locator, box: keyof typeof BOX) {
    const outgoing = dialog.getByRole('group', { name: 'Poczta wychodząca (SMTP)' });
    await field(outgoing, 'Serwer').fill('127.0.0.1');
    await field(outgoing, 'Port').fill(String(smtp!.port));
    const incoming = dialog.getByRole('group', { name: 'Poczta przychodząca' });
    await field(incoming, 'Serwer').fill('127.0.0.1');
    await field(incoming, 'Port').fill(String(pop3[box]!.port));
  }

  async function runTest(dialog: Locator, expected: 'Test zaliczony' | 'Test nie powiódł się') {
    await dialog.getByRole('button', { name: 'Testuj konto' }).click();
    await visible(dialog.getByText(expected, { exact: true }));
  }

  /** Opens "Add external email address" and picks a service, typing the address first. */
  async function startAdding(email: string, service: string) {
    await page.getByRole('button', { name: 'Dodaj zewnętrzny adres e-mail' }).first().click();
    const dialog = dialogNamed('Dodaj zewnętrzny adres e-mail');
    await field(dialog, 'Adres e-mail').fill(email);
    await dialog.getByRole('button', { name: service, exact: true }).click();
    await visible(dialog.getByRole('group', { name: 'Konto' }));
    return dialog;
  }

  it('a: a new admin creates an employee and adds her Gmail address from the employee page', async () => {
    await journey('addresses-a', async (shots) => {
      await page.getByRole('link', { name: 'Pracownicy' }).click();
      await page.getByRole('button', { name: 'Dodaj pracownika' }).first().click();
      const employeeDialog = dialogNamed('Nowy pracownik');
      await field(employeeDialog, 'Imię i nazwisko').fill('Anna Nowak');
      await field(employeeDialog, 'E-mail').fill('anna.nowak@firma.example');
      await field(employeeDialog, 'Hasło').fill('correct-horse-battery-42');
      await employeeDialog.getByRole('button', { name: 'Utwórz' }).click();
      await hidden(employeeDialog);

      // Account management → Email → Outgoing messages → Employee external email addresses.
      await page.getByRole('link', { name: 'Zewnętrzne adresy e-mail pracownika' }).click();
      await visible(page.getByRole('heading', { name: 'Zewnętrzne adresy e-mail pracownika', level: 1 }));
      await pick(page, page, 'Pracownik', 'Anna', /^Anna Nowak/);
      await visible(page.getByText('Anna Nowak: brak zewnętrznych adresów e-mail'));
      await shots.page('employee-picked');

      // Step 1: the typed address points at Gmail; picking it fills the servers and shows its notes.
      await page.getByRole('button', { name: 'Dodaj zewnętrzny adres e-mail' }).first().click();
      const dialog = dialogNamed('Dodaj zewnętrzny adres e-mail');
      await field(dialog, 'Adres e-mail').fill(BOX.gmail.email);
      await visible(dialog.getByText('Pasuje do adresu'));
      await shots.dialog('preset-picker', dialog);
      await dialog.getByRole('button', { name: 'Gmail / Google Workspace', exact: true }).click();
      await visible(dialog.getByTestId('preset-notes').getByText(/utwórz hasło do aplikacji/));
      const outgoing = dialog.getByRole('group', { name: 'Poczta wychodząca (SMTP)' });
      expect(await field(outgoing, 'Serwer').inputValue()).toBe('smtp.gmail.com');
      expect(
        await field(dialog.getByRole('group', { name: 'Poczta przychodząca' }), 'Serwer').inputValue(),
      ).toBe('pop.gmail.com');
      expect(await field(dialog, 'Login').inputValue()).toBe(BOX.gmail.email);

      // Our loopback servers stand in for Google; the ordinary account password is refused.
      await typeServers(dialog, 'gmail');
      smtp!.setScript({ auth: GMAIL_APP_PASSWORD_REPLY });
      await field(dialog, 'Hasło aplikacji').fill('MojeZwykleHaslo2024');
      const save = dialog.getByRole('button', { name: 'Zapisz adres' });
      expect(await save.isDisabled()).toBe(true);
      await runTest(dialog, 'Test nie powiódł się');
      const smtpCard = dialog.getByTestId('test-smtp');
      await visible(smtpCard.getByText('Google wymaga hasła aplikacji'));
      await visible(smtpCard.getByText(/Utwórz hasło aplikacji w ustawieniach konta Google/));
      expect(await smtpCard.getByTestId('server-reply').textContent()).toContain(
        '5.7.9 Application-specific password required',
      );
      expect(await smtpCard.getByRole('link', { name: 'Częste przyczyny' }).getAttribute('href')).toBe(
        '/help/common-causes#gmail-app-password-required',
      );
      expect(await save.isDisabled()).toBe(true);
      await shots.dialog('test-failed', dialog);

      // The app password, pasted with Google's spaces: they are stripped, the test passes.
      smtp!.setScript({});
      await field(dialog, 'Hasło aplikacji').fill('abcd efgh ijkl mnop');
      await visible(dialog.getByText(/Usunęliśmy spacje/));
      await visible(dialog.getByText(/Ustawienia zmieniły się po tym teście/));
      await runTest(dialog, 'Test zaliczony');
      expect(await dialog.getByTestId('diagnosis').count()).toBe(0);
      await visible(dialog.getByText('Test zaliczony — możesz zapisać.'));
      await shots.dialog('test-passed', dialog);
      expect(await save.isEnabled()).toBe(true);
      await save.click();
      await hidden(dialog);

      const row = page.getByRole('row', { name: new RegExp(BOX.gmail.email.replace('.', '\\.')) });
      await visible(row.getByText('Działa'));
      expect(await row.getByTestId('last-test').textContent()).toMatch(/teraz|sekund|minut/);
      await shots.page('address-saved');
    });
  });

  it('b: the same list and dialog work from the employee card tab; edits without a new test', async () => {
    await journey('addresses-b', async (shots) => {
      await page.getByRole('link', { name: 'Pracownicy' }).click();
      await page.getByRole('link', { name: 'Anna Nowak' }).click();
      await page.getByRole('tab', { name: 'Zewnętrzne adresy e-mail' }).click();
      await visible(page.getByRole('row', { name: /anna\.nowak@gmail\.com/ }));

      const dialog = await startAdding(BOX.anna.email, 'Inny serwer (w tym serwer Twojej firmy)');
      await typeServers(dialog, 'anna');
      await field(dialog, 'Hasło').fill(BOX.anna.password);
      expect(await dialog.getByRole('button', { name: 'Zapisz adres' }).isDisabled()).toBe(true);
      await runTest(dialog, 'Test zaliczony');
      await dialog.getByRole('button', { name: 'Zapisz adres' }).click();
      await hidden(dialog);
      const row = page.getByRole('row', { name: /anna@firma\.example/ });
      await visible(row.getByText('Działa'));

      // A new sender name needs no test (M20)…
      await page.getByRole('button', { name: `Edytuj: ${BOX.anna.email}` }).click();
      const edit = dialogNamed(`Ustawienia adresu ${BOX.anna.email}`);
      await visible(edit.getByText('Hasło jest zapisane — zostaw puste, aby go nie zmieniać.'));
      await field(edit, 'Nazwa nadawcy').fill('Anna Nowak — Firma');
      await visible(edit.getByText(/nie wymagają nowego testu/));
      await edit.getByRole('button', { name: 'Zapisz zmiany' }).click();
      await hidden(edit);
      await visible(row.getByText('Anna Nowak — Firma'));

      // …while another port asks for the password again and a new test (M21).
      await page.getByRole('button', { name: `Edytuj: ${BOX.anna.email}` }).click();
      const outgoing = edit.getByRole('group', { name: 'Poczta wychodząca (SMTP)' });
      await field(outgoing, 'Port').fill('2525');
      await visible(edit.getByText(/Wpisz hasło ponownie: mailroom wysyła zapisane hasło wyłącznie/));
      expect(await edit.getByRole('button', { name: 'Zapisz zmiany' }).isDisabled()).toBe(true);
      await shots.dialog('password-again', edit);
      // Trying the test without it: the field says so, once (not the field and a banner too).
      await edit.getByRole('button', { name: 'Testuj konto' }).click();
      await visible(
        edit.getByText('Zmieniono adres, serwer, login lub zaufany certyfikat — wpisz hasło ponownie.'),
      );
      expect(await edit.getByText(/hasło ponownie/i).count()).toBe(1);
      await edit.getByRole('button', { name: 'Anuluj' }).click();
      await hidden(edit);

      // Disable, then test the saved Gmail settings from the list.
      await page.getByRole('button', { name: `Wyłącz: ${BOX.anna.email}` }).click();
      await visible(row.getByText('Wyłączony'));
      await page.getByRole('button', { name: `Testuj konto: ${BOX.gmail.email}` }).click();
      const testDialog = dialogNamed(`Test konta ${BOX.gmail.email}`);
      await visible(testDialog.getByText('Test zaliczony', { exact: true }));
      await shots.dialog('list-test', testDialog);
      await testDialog.getByRole('button', { name: 'Zamknij', exact: true }).click();
      await hidden(testDialog);
      await shots.page('card-tab');
    });
  });

  it('c: a company address for one group and project, explained by the sender preview', async () => {
    await journey('addresses-c', async (shots) => {
      const marta = await apiCall<{ id: string }>(page, 'POST', '/api/employees', {
        name: 'Marta Wiśniewska',
        email: 'marta@firma.example',
        role: 'employee',
      });
      await apiCall(page, 'POST', '/api/employees', {
        name: 'Piotr Zieliński',
        email: 'piotr@firma.example',
        role: 'employee',
      });
      await apiCall(page, 'POST', '/api/groups', { name: 'Obsługa klienta', memberIds: [marta.id] });
      await apiCall(page, 'POST', '/api/projects', { name: 'Sklep internetowy' });
      await page.reload(); // the UI's cached lists predate this setup
      await visible(page.getByRole('link', { name: 'Pracownicy' }));

      await page.getByRole('link', { name: 'Zewnętrzne adresy e-mail firmy' }).click();
      await visible(page.getByRole('heading', { name: 'Zewnętrzne adresy e-mail firmy', level: 1 }));
      const dialog = await startAdding(BOX.pomoc.email, 'Inny serwer (w tym serwer Twojej firmy)');
      await typeServers(dialog, 'pomoc');
      await field(dialog, 'Nazwa nadawcy').fill('Obsługa klienta Firma');
      await field(dialog, 'Hasło').fill(BOX.pomoc.password);
      await dialog.getByRole('button', { name: 'Dodatkowe opcje' }).click();
      await pick(page, dialog, 'Projekty', 'Sklep', 'Sklep internetowy');
      await pick(page, dialog, 'Grupy z dostępem', 'Obsł', 'Obsługa klienta');
      await page.keyboard.press('Escape');
      await runTest(dialog, 'Test zaliczony');
      await shots.dialog('company-options', dialog);
      await dialog.getByRole('button', { name: 'Zapisz adres' }).click();
      await hidden(dialog);
      const row = page.getByRole('row', { name: /pomoc@firma\.example/ });
      await visible(row.getByText('Sklep internetowy'));
      await visible(row.getByText('Obsługa klienta', { exact: true }));

      // Optional after saving (M23): a test email to the address itself, seen arriving over POP3.
      const offer = page.getByTestId('test-email-offer');
      await visible(offer.getByText('Zapisano pomoc@firma.example'));
      await offer.getByRole('button', { name: 'Wyślij e-mail testowy' }).click();
      const roundTrip = dialogNamed('E-mail testowy z pomoc@firma.example');
      await visible(roundTrip.getByText('Wysyłanie i odbieranie działają'));
      await visible(roundTrip.getByText(/Wiadomość dotarła .* po przyjęciu przez serwer/));
      await shots.dialog('test-email-arrived', roundTrip);
      await roundTrip.getByRole('button', { name: 'Zamknij', exact: true }).click();
      await hidden(roundTrip);
      expect(smtp!.messages.filter((m) => m.to.includes(BOX.pomoc.email))).toHaveLength(1);

      // Marta is in the group: in the project the company address is her default, and why.
      const preview = page.getByRole('region', { name: 'Podgląd nadawcy' });
      await pick(page, preview, 'Pracownik', 'Marta', /^Marta Wiśniewska/);
      await pick(page, preview, 'Projekt', 'Sklep', 'Sklep internetowy');
      const result = preview.getByTestId('sender-preview');
      await visible(result.getByText(/Marta Wiśniewska.*pomoc@firma\.example/));
      const choice = result.getByRole('row', { name: /pomoc@firma\.example/ });
      await visible(choice.getByText('Domyślny'));
      await visible(choice.getByText('Adres firmy przypisany do projektu'));
      await shots.page('preview-member');

      // Piotr is not: the address is left out with the reason.
      await pick(page, preview, 'Pracownik', 'Piotr', /^Piotr Zieliński/);
      const excluded = result.getByRole('table', { name: 'Pominięte adresy' });
      await visible(excluded.getByRole('row', { name: /pomoc@firma\.example/ }).getByText('brak dostępu'));
      // Said once: the excluded address is in its table, not repeated as a sentence.
      expect(await result.getByText(/pomoc@firma\.example/).count()).toBe(1);
      await shots.page('preview-non-member');
    });
  });

  it('d: a self-signed certificate is shown with its fingerprint, trusted, tested and saved', async () => {
    await journey('addresses-d', async (shots) => {
      const fingerprint = new X509Certificate(readFileSync(fixturePath('self-signed.pem'))).fingerprint256;
      const dialog = await startAdding(BOX.serwis.email, 'Inny serwer (w tym serwer Twojej firmy)');
      await typeServers(dialog, 'serwis');
      await field(dialog, 'Hasło').fill(BOX.serwis.password);
      await runTest(dialog, 'Test nie powiódł się');
      const incoming = dialog.getByTestId('test-incoming');
      await visible(incoming.getByText('Certyfikat serwera nie jest zaufany'));
      const shown = await incoming.getByTestId('certificate-fingerprint').textContent();
      expect(shown?.replace(/[\s:]/g, '')).toBe(fingerprint.replace(/:/g, ''));
      expect(await dialog.getByRole('button', { name: 'Zapisz adres' }).isDisabled()).toBe(true);
      await shots.dialog('certificate', dialog);

      await incoming.getByLabel('Ufam temu certyfikatowi').check();
      await visible(dialog.getByText(/Zaufany certyfikat/));
      await incoming.getByRole('button', { name: 'Testuj ponownie' }).click();
      await visible(dialog.getByText('Test zaliczony', { exact: true }));
      await dialog.getByRole('button', { name: 'Zapisz adres' }).click();
      await hidden(dialog);
      const row = page.getByRole('row', { name: /serwis@firma\.example/ });
      await visible(row.getByLabel('Zaufany certyfikat'));
      await visible(row.getByText('Działa'));
      await shots.page('pinned-saved');
    });
  });

  it('e: every error links to Common causes, and the audit log records the tests', async () => {
    await journey('addresses-e', async (shots) => {
      await page.goto(`${server!.url}/help/common-causes#gmail-app-password-required`);
      const entry = page.locator('article[data-highlighted]');
      await visible(entry.getByRole('heading', { name: 'Google wymaga hasła aplikacji' }));
      await scrollSettled(page); // the picture once the scroll to the anchor has come to rest
      await shots.viewport('common-causes');

      await page.getByRole('link', { name: 'Dziennik zdarzeń' }).click();
      await visible(page.getByRole('heading', { name: 'Dziennik zdarzeń', level: 1 }));
      await pick(page, page, 'Zdarzenie', 'Przetest', 'Przetestowano konto');
      await expect
        .poll(() => new URL(page.url()).searchParams.get('action'), { timeout: STEP_TIMEOUT })
        .toBe('email_address.tested');
      const table = page.getByRole('table', { name: 'Dziennik zdarzeń' });
      await hidden(table.getByText('Dodano pracownika'));
      await visible(table.getByText('Google wymaga hasła aplikacji'));
      await visible(table.getByText('Certyfikat serwera nie jest zaufany'));
      await shots.page('audit-log');
    });
  });

  it('g: the same mailbox twice on the company list is refused with a link that opens the existing entry', async () => {
    await journey('addresses-g', async (shots) => {
      await page.goto(`${server!.url}/email/company-addresses`);
      await visible(page.getByRole('heading', { name: 'Zewnętrzne adresy e-mail firmy', level: 1 }));
      const dialog = await startAdding(BOX.pomoc.email, 'Inny serwer (w tym serwer Twojej firmy)');
      // The dialog says the same mailbox may also be someone's own address.
      await visible(dialog.getByTestId('both-scopes-note'));
      await typeServers(dialog, 'pomoc');
      await field(dialog, 'Hasło').fill(BOX.pomoc.password);
      await runTest(dialog, 'Test zaliczony');
      await dialog.getByRole('button', { name: 'Zapisz adres' }).click();
      await visible(
        dialog.getByText('Skrzynka pomoc@firma.example jest już na tej liście.', { exact: false }),
      );
      await shots.dialog('duplicate', dialog);
      await dialog.getByRole('link', { name: 'Otwórz istniejący wpis' }).click();
      await visible(dialogNamed('Ustawienia adresu pomoc@firma.example'));
      await page.keyboard.press('Escape');
    });
  });

  it('f: on a phone (390 px) the address lists and the audit log are cards, with nothing scrolling sideways', async () => {
    await journey('addresses-f', async (shots) => {
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        for (const path of ['/email/company-addresses', '/audit-log']) {
          await page.goto(`${server!.url}${path}`);
          await page.waitForLoadState('networkidle');
          const { scrollWidth, clientWidth } = (await page.evaluate(
            '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
          )) as { scrollWidth: number; clientWidth: number };
          expect(scrollWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
          await shots.page(path.slice(1).replaceAll('/', '-'));
        }
        await page.goto(`${server!.url}/email/company-addresses`);
        // The row's status and its actions are on screen without scrolling sideways.
        const card = page.getByRole('row', { name: /serwis@firma\.example/ });
        const status = await visible(card.getByText('Działa'));
        const edit = await visible(card.getByRole('button', { name: 'Edytuj: serwis@firma.example' }));
        for (const el of [status, edit]) {
          const box = (await el.boundingBox())!;
          expect(box.x + box.width).toBeLessThanOrEqual(390);
        }
      } finally {
        await page.setViewportSize({ width: 1366, height: 900 });
      }
    });
  });
});
