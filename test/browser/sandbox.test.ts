/**
 * The sandbox out of the box, in Polish (issue 12 item 8): `mailroom serve` on a fresh data dir
 * (as `npm start` runs it, no mail server of the test's own, no allow-list) prints a demo login
 * beside the admin's; signed in with it, the demo workspace is labelled as the sandbox, a
 * comment to the simulated client from a task is "Wysłano", his reply lands in the task within
 * seconds, and an email to the address that does not exist comes back explained.
 * Screenshots in test-output/browser/sandbox-*.png (a few are copied to docs/screenshots/).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMissing } from '../helpers/require-service.js';
import {
  chromiumMissingReason,
  ensureBuilt,
  field,
  hidden,
  launchBrowser,
  type RunningServer,
  SHOTS,
  startServer,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import { openPage, signIn } from './helpers/journey.js';
import { pick, screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());
const JAN = 'Jan Kowalski <jan.kowalski@klient-demo.test>';
const TOMASZ = 'Tomasz Nieobecny <nieznany.adres@klient-demo.test>';
const KATARZYNA = 'katarzyna.wojcik@firma-demo.test';
const ZOFIA = 'Zofia Zajęta <zofia.zajeta@klient-demo.test>';

describe.skipIf(skip)('sandbox: a newcomer writes to the simulated client (Polish UI)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let demo = { email: '', password: '' };
  let taskUrl = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-sandbox-'));
    server = await startServer(workDir);
    // The demo login is printed in the same framed block, after the admin's.
    const printed = async (label: string) => {
      const pattern = new RegExp(`^\\s+${label}:\\s+(\\S+)\\s*$`);
      return pattern.exec(await server!.waitForOutput(pattern))?.[1] ?? '';
    };
    demo = { email: await printed('demo email'), password: await printed('demo password') };
    expect(demo.email).toBe('anna.nowak@firma-demo.test');
    browser = await launchBrowser();
    page = await openPage(browser, { pageErrors });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('signs in with the printed demo login and sees the sandbox labelled', async () => {
    const shot = screenshots(page, 'sandbox');
    // The first load of the app on a cold server: more time than a step on a busy machine.
    await signIn(page, server!.url, demo, {
      loadTimeout: 60_000,
      landing: (p) => p.getByRole('heading', { name: 'Pracownicy', level: 1 }),
    });
    const banner = page.getByTestId('sandbox-banner');
    await visible(banner.getByText('Piaskownica — e-maile nie opuszczają tego komputera'));
    // The demo account lands on the employees' list: the banner says where the walk starts.
    await visible(banner.getByText(/Od czego zacząć: zadanie „Harmonogram wdrożenia”/));
    await visible(banner.getByRole('link', { name: 'Otwórz projekty' }));
    await page.goto(`${server!.url}/email/company-addresses`);
    await visible(page.getByText('biuro@firma-demo.test'));
    await visible(page.getByText('Piaskownica', { exact: true }).filter({ visible: true }));
    await shot.page('company-addresses');
    // A task link cut short when pasted is a page that does not exist, not a form to correct.
    await page.goto(`${server!.url}/tasks/harmonogram`);
    await visible(page.getByText('Nie znaleziono', { exact: true }));
    await visible(page.getByText(/Adres tej strony jest niepełny albo błędny/));
    expect(await page.getByRole('button', { name: 'Spróbuj ponownie' }).count()).toBe(0);
  });

  it('writes to the client from a task: Wysłano, then his reply lands in the task', async () => {
    const shot = screenshots(page, 'sandbox-task');
    await page.getByTestId('sandbox-banner').getByRole('link', { name: 'Otwórz projekty' }).click();
    await visible(page.getByRole('heading', { name: 'Projekty', level: 1 }));
    await page.getByRole('link', { name: 'Zadania projektu Wdrożenie — Klient Demo' }).click();
    await page.getByRole('link', { name: 'Harmonogram wdrożenia' }).click();
    await visible(page.getByRole('heading', { name: 'Harmonogram wdrożenia', level: 1 }));
    await visible(page.getByText(JAN));
    taskUrl = page.url();

    await page
      .getByRole('textbox', { name: 'Nowy komentarz' })
      .fill('Dzień dobry,\nprzesyłam harmonogram wdrożenia. Czy termin 15 września pasuje?');
    await page.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    expect(await page.getByRole('checkbox', { name: JAN }).isChecked()).toBe(true);
    await shot.page('composer');
    await page.getByRole('button', { name: 'Dodaj i wyślij e-mail' }).click();
    // The toast that confirms it has a named close button, not a bare "button".
    await visible(page.getByRole('button', { name: 'Zamknij powiadomienie' }));

    const ours = page.getByTestId('comment').filter({ hasText: 'przesyłam harmonogram wdrożenia' });
    const email = ours.getByTestId('comment-email');
    await email.getByText('Wysłano', { exact: true }).waitFor({ timeout: 45_000 });
    expect(await email.getAttribute('data-status')).toBe('sent');
    // From the top: a full-page picture of a scrolled page draws the fixed header mid-page.
    await page.evaluate('window.scrollTo(0, 0)');
    await shot.page('sent');

    // Jan answers after a few seconds; the sandbox wakes the poller, reading threads it here.
    const reply = page.getByTestId('comment').filter({ hasText: 'dziękuję za wiadomość' });
    // The open thread refreshes itself (every 15 s when quiet): wait for it as the user would.
    await reply.first().waitFor({ state: 'visible', timeout: 60_000 });
    await visible(reply.getByText('Jan Kowalski'));
    expect(await reply.getByText(/> przesyłam harmonogram/).isVisible()).toBe(false);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot.page('reply');
    expect(pageErrors).toEqual([]);
  });

  /** Adds a contact to the task and writes a comment emailed to that contact only. */
  async function writeOnlyTo(search: string, who: string, text: string, others: string[]) {
    await pick(page, page, 'Dodaj kontakt do zadania', search, new RegExp(search));
    await visible(page.getByText(who));
    await page.getByRole('textbox', { name: 'Nowy komentarz' }).fill(text);
    await page.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    for (const other of others) await page.getByRole('checkbox', { name: other }).uncheck({ force: true });
    expect(await page.getByRole('checkbox', { name: who }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Dodaj i wyślij e-mail' }).click();
  }

  it('writes to an address that does not exist and sees the bounce explained', async () => {
    const shot = screenshots(page, 'sandbox-bounce');
    await writeOnlyTo('Tomasz', TOMASZ, 'Panie Tomaszu, proszę o potwierdzenie.', [JAN]);

    const ours = page.getByTestId('comment').filter({ hasText: 'proszę o potwierdzenie' });
    const email = ours.getByTestId('comment-email');
    await visible(email.getByText('do: Tomasz Nieobecny'));
    await email.and(page.locator('[data-status="bounced"]')).waitFor({ state: 'visible', timeout: 60_000 });
    await visible(email.getByText('Zwrócono – nie dostarczono'));
    await visible(email.getByText('Adres odbiorcy nie istnieje'));
    await page.evaluate('window.scrollTo(0, 0)');
    await shot.page('explained');
    expect(pageErrors).toEqual([]);
  });

  it('writes to Zofia, whose server puts the first try off: deferred and why, then "Spróbuj teraz" sends it', async () => {
    const shot = screenshots(page, 'sandbox-deferred');
    await writeOnlyTo('Zofia', ZOFIA, 'Pani Zofio, proszę o termin spotkania.', [JAN, TOMASZ]);

    const email = page
      .getByTestId('comment')
      .filter({ hasText: 'proszę o termin spotkania' })
      .getByTestId('comment-email');
    await email.and(page.locator('[data-status="deferred"]')).waitFor({ state: 'visible', timeout: 45_000 });
    await visible(email.getByText('Wysyłka odłożona'));
    await visible(email.getByText(/451 4\.3\.0/));
    await page.evaluate('window.scrollTo(0, 0)');
    await shot.page('deferred');
    await email.getByRole('button', { name: 'Spróbuj teraz' }).click();
    await email.getByText('Wysłano', { exact: true }).waitFor({ timeout: 45_000 });
    expect(pageErrors).toEqual([]);
  });

  it('adds an address of her own: the preset fills the sandbox, the shown password passes the test', async () => {
    const shot = screenshots(page, 'sandbox-own-address');
    const banner = page.getByTestId('sandbox-banner');
    await visible(banner.getByText(/Własny adres: dodaj np\. katarzyna\.wojcik@firma-demo\.test/));
    const password = (await banner.getByTestId('sandbox-newcomer-password').textContent()) ?? '';
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await banner.getByRole('link', { name: 'Dodaj adres' }).click();
    await visible(page.getByRole('heading', { name: 'Zewnętrzne adresy e-mail pracownika', level: 1 }));
    await pick(page, page, 'Pracownik', 'Katarzyna', /^Katarzyna Wójcik/);
    // Her list, not Anna's still on screen: a dialog opened on the old list would close with it.
    await visible(page.getByText('Katarzyna Wójcik: brak zewnętrznych adresów e-mail'));
    await page.getByRole('button', { name: 'Dodaj zewnętrzny adres e-mail' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Dodaj zewnętrzny adres e-mail' });
    await field(dialog, 'Adres e-mail').fill(KATARZYNA);
    // The sandbox's domain is recognised (in the demo workspace only): no "Nie rozpoznajemy".
    const selected = dialog.getByTestId('preset-selected');
    await visible(selected.getByText(/Piaskownica \(serwer demonstracyjny\)/));
    expect(await dialog.getByTestId('preset-unknown').count()).toBe(0);
    await selected.getByRole('button', { name: /^Dalej/ }).click();
    const outgoing = dialog.getByRole('group', { name: 'Poczta wychodząca (SMTP)' });
    expect(await field(outgoing, 'Serwer').inputValue()).toBe('127.0.0.1');
    const hint = dialog.getByTestId('sandbox-newcomer-form');
    expect(await hint.getByTestId('sandbox-newcomer-password').textContent()).toBe(password);
    await shot.dialog('form', dialog);

    // A wrong password first: it fails like any wrong password, explained.
    await field(dialog, 'Hasło').fill('zle-haslo');
    await dialog.getByRole('button', { name: 'Testuj konto' }).click();
    await visible(dialog.getByText('Test nie powiódł się', { exact: true }));
    await field(dialog, 'Hasło').fill(password);
    await dialog.getByRole('button', { name: 'Testuj konto' }).click();
    await visible(dialog.getByText('Test zaliczony', { exact: true }));
    await shot.dialog('tested', dialog);
    await dialog.getByRole('button', { name: 'Zapisz adres' }).click();
    await hidden(dialog);
    await visible(page.getByRole('row', { name: new RegExp(KATARZYNA.replace(/\./g, '\\.')) }));

    // It sends and receives: the test email goes out through the sandbox and comes back by POP3.
    const offer = page.getByTestId('test-email-offer');
    await offer.getByRole('button', { name: 'Wyślij e-mail testowy' }).click();
    const roundTrip = page.getByRole('dialog', { name: `E-mail testowy z ${KATARZYNA}` });
    await roundTrip.getByText('Wysyłanie i odbieranie działają').waitFor({ timeout: 45_000 });
    await shot.dialog('test-email', roundTrip);
    await roundTrip.getByRole('button', { name: 'Zamknij', exact: true }).click();
    await hidden(roundTrip);
    expect(pageErrors).toEqual([]);
  });

  it('on a phone: the banner folds its details, participants are not cut off, toasts keep off the composer', async () => {
    const phone = await openPage(browser!, { width: 390, height: 844, pageErrors });
    const shot = screenshots(phone, 'sandbox-phone');
    try {
      await signIn(phone, server!.url, demo, {
        landing: (p) => p.getByRole('heading', { name: 'Pracownicy', level: 1 }),
      });
      await phone.goto(taskUrl);
      await visible(phone.getByRole('heading', { name: 'Harmonogram wdrożenia', level: 1 }));
      const banner = phone.getByTestId('sandbox-banner');
      // The label stays on every page; the paragraph about the demo waits behind "Więcej".
      await visible(banner.getByText('Piaskownica — e-maile nie opuszczają tego komputera'));
      const about = banner.getByText(/^To jest przestrzeń demonstracyjna/);
      expect(await about.isVisible()).toBe(false);
      await banner.getByRole('button', { name: 'Więcej' }).click();
      await visible(about);
      // Each participant shows the whole "name <address>", wrapped rather than cut with "…".
      const participants = phone.getByTestId('participant');
      await visible(participants.filter({ hasText: 'nieznany.adres@klient-demo.test' }));
      const clipped = await participants.evaluateAll((els) =>
        els
          .filter((el) => [el, ...el.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1))
          .map((el) => el.textContent),
      );
      expect(clipped).toEqual([]);
      // Typed through globalThis: this file is compiled without the DOM library.
      const width = await phone.evaluate(() => {
        const root = (
          globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; clientWidth: number } };
          }
        ).document.documentElement;
        return { scrolls: root.scrollWidth, fits: root.clientWidth };
      });
      expect(width.scrolls).toBeLessThanOrEqual(width.fits);
      await shot.page('task');
      // A toast on a phone shows at the top, off the composer and its send button.
      await phone.getByRole('textbox', { name: 'Nowy komentarz' }).fill('Notatka z telefonu.');
      await phone.getByRole('button', { name: 'Dodaj komentarz' }).click();
      const toast = await visible(phone.getByText('Dodano komentarz', { exact: true }));
      const box = await toast.boundingBox();
      expect(box?.y).toBeLessThan(844 / 2);
      expect(pageErrors).toEqual([]);
    } finally {
      await phone.context().close();
    }
  });
});
