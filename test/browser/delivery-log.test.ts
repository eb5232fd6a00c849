/**
 * The Delivery log in Polish (issue 9 item 6): an admin sees every email with its state in
 * words ("Wysłano" = accepted by your mail server), a failure's cause and fix first with the
 * server's reply beside and a Common causes link, filters by state, retries a failed email;
 * an employee sees only their own and gets the duplicate warning before "Wyślij ponownie";
 * on a phone the log is cards with nothing scrolling sideways. Rows are seeded straight into
 * the embedded database before the server starts (the sending path is another slice).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMissing } from '../helpers/require-service.js';
import {
  chromiumMissingReason,
  ensureBuilt,
  launchBrowser,
  SHOTS,
  STEP_TIMEOUT,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import { ADMIN, EWA, OLD_SUBJECT, seed, serve } from './helpers/delivery-log-world.js';
import { openPage, signIn } from './helpers/journey.js';
import { screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());
const MONTHS = {
  pl: 'styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień',
  plOf: 'stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia',
  en: 'January February March April May June July August September October November December',
};
const month = (list: keyof typeof MONTHS, d: Date) => MONTHS[list].split(' ')[d.getMonth()]!;
/** The calendar's name for a day: "5 grudnia 2026" / "5 December 2026". */
const dayName = (d: Date, lang: 'pl' | 'en') =>
  `${d.getDate()} ${month(lang === 'pl' ? 'plOf' : 'en', d)} ${d.getFullYear()}`;
/** A `yyyy-mm-dd` day as the URL carries it. */
const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Opens the day picker named `label` and clicks `day`, a month away from `shown` if need be. */
async function pickDay(page: Page, label: string, day: Date, lang: 'pl' | 'en', shown = new Date()) {
  await page.getByRole('button', { name: label, exact: true }).click();
  const months = (day.getFullYear() - shown.getFullYear()) * 12 + day.getMonth() - shown.getMonth();
  const step = lang === 'pl' ? ['Poprzedni miesiąc', 'Następny miesiąc'] : ['Previous month', 'Next month'];
  if (months !== 0) await page.getByRole('button', { name: step[months < 0 ? 0 : 1] }).click();
  await page.getByRole('button', { name: dayName(day, lang), exact: true }).click();
}

describe.skipIf(skip)('Dziennik wysyłki (Polish UI, desktop and phone)', () => {
  let workDir: string;
  let server: { child: ChildProcess; url: string } | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-delivery-'));
    await seed(join(workDir, 'data'));
    server = await serve(workDir);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function signedIn(
    who: { email: string; password: string },
    width = 1366,
    height = 900,
  ): Promise<Page> {
    const page = await openPage(browser!, { width, height, pageErrors });
    await signIn(page, server!.url, who, {
      landing: (p) => p.getByRole('heading', { name: 'Pracownicy', level: 1 }),
    });
    // On a phone the navigation is folded away: go by address there.
    if (width < 768) await page.goto(`${server!.url}/email/delivery-log`);
    else
      await page
        .getByRole('navigation', { name: 'Nawigacja główna' })
        .getByRole('link', { name: 'Dziennik wysyłki' })
        .click();
    await visible(page.getByRole('heading', { name: 'Dziennik wysyłki', level: 1 }));
    return page;
  }

  it('admin: every email in words, a failure explained first with the reply beside, filter, retry', async () => {
    const page = await signedIn(ADMIN);
    const shots = screenshots(page, 'delivery-desktop');
    try {
      const states = page.getByTestId('message-state');
      await visible(states);
      expect(await states.count()).toBe(5);
      await visible(page.getByText('Przyjęty przez Twój serwer poczty', { exact: false }));
      // Sent, but one address was refused (M32): said beside the state.
      const sent = page.locator('[data-testid="message-state"][data-status="sent"]');
      expect(await (await visible(sent.getByTestId('message-refused'))).textContent()).toBe(
        'Nie dostarczono do: stary@klient.example',
      );
      const failed = page
        .locator('[data-testid="message-state"][data-status="failed"]')
        .filter({ hasText: 'Adres odbiorcy nie istnieje' });
      // Saved without a sender: explained, and nothing to retry.
      const noSender = page
        .locator('[data-testid="message-state"][data-status="failed"]')
        .filter({ hasText: 'Brak adresu nadawcy' });
      await visible(noSender.getByText('Poproś administratora', { exact: false }));
      expect(await noSender.getByRole('button', { name: 'Ponów' }).count()).toBe(0);
      await visible(failed.getByText('Adres odbiorcy nie istnieje'));
      const reply = await visible(failed.getByTestId('message-server-reply'));
      expect(await reply.textContent()).toBe('550 5.1.1 <nikt@klient.example>: User unknown');
      const link = failed.getByRole('link', { name: 'Częste przyczyny' });
      expect(await link.getAttribute('href')).toBe('/help/common-causes#recipient-unknown');
      // The cause comes before the server's words.
      const text = (await failed.textContent()) ?? '';
      expect(text.indexOf('Serwer odbiorcy informuje')).toBeLessThan(text.indexOf('550 5.1.1'));
      await shots.page('all');

      await page.getByRole('combobox', { name: 'Stan', exact: true }).click();
      await page.getByRole('option', { name: 'Nie wysłano' }).click();
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(2);
      expect(page.url()).toContain('status=failed');

      await failed.getByRole('button', { name: 'Ponów' }).click();
      await visible(page.getByText('Wiadomość wróciła do kolejki.'));
      await shots.page('retried');
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shots.page('failure');
      throw error;
    }
  });

  it('days: a Polish calendar, "from" and "to" (whole day) filter the list and clear', async () => {
    const page = await signedIn(ADMIN);
    const shots = screenshots(page, 'delivery-days');
    try {
      const states = page.getByTestId('message-state');
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(5);
      const today = new Date();
      await page.getByRole('button', { name: 'Od dnia', exact: true }).click();
      // The month in Polish (the browser is Polish too: the UI's language decides, see below).
      await visible(page.getByRole('button', { name: `${month('pl', today)} ${today.getFullYear()}` }));
      await shots.viewport('calendar');
      await page.getByRole('button', { name: dayName(today, 'pl'), exact: true }).click();
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(4);
      expect(await page.getByText(OLD_SUBJECT).count()).toBe(0);
      expect(new URL(page.url()).searchParams.get('from')).toBe(isoDay(today));
      const from = page.getByRole('button', { name: 'Od dnia', exact: true });
      expect(await from.textContent()).toBe(dayName(today, 'pl'));

      await page.getByRole('button', { name: 'Wyczyść „Od dnia”' }).click();
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(5);
      expect(new URL(page.url()).searchParams.has('from')).toBe(false);

      // "To" yesterday leaves only the old email; "to" today keeps today's: the whole day counts.
      const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
      await pickDay(page, 'Do dnia', yesterday, 'pl');
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(1);
      await visible(page.getByText(OLD_SUBJECT));
      await shots.page('filtered');
      await pickDay(page, 'Do dnia', today, 'pl', yesterday);
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(5);
      expect(new URL(page.url()).searchParams.get('to')).toBe(isoDay(today));
      await page.getByRole('button', { name: 'Wyczyść „Do dnia”' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.has('to')).toBe(false);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shots.page('failure');
      throw error;
    }
  });

  it('employee: only her own email, and a duplicate warning before sending again', async () => {
    const page = await signedIn(EWA);
    const shots = screenshots(page, 'delivery-employee');
    try {
      const states = page.getByTestId('message-state');
      await visible(states);
      expect(await states.count()).toBe(1);
      const uncertain = page.locator('[data-testid="message-state"][data-status="uncertain"]');
      await visible(uncertain.getByText('Nie wiadomo, czy wysłano'));
      expect(await page.getByText('Faktura 11/2026').count()).toBe(0);
      await uncertain.getByRole('button', { name: 'Wyślij ponownie' }).click();
      const warning = await visible(page.getByTestId('duplicate-warning'));
      expect(await warning.textContent()).toContain('dwa razy');
      await shots.viewport('warning');
      await page.getByRole('button', { name: 'Wyślij mimo to' }).click();
      await visible(page.getByText('Wiadomość dodano do kolejki ponownie.'));
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(2);
      // The uncertain email now says it was sent again, and offers it no more.
      await visible(uncertain.getByTestId('message-resent'));
      expect(await uncertain.getByRole('button', { name: 'Wyślij ponownie' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await shots.page('failure');
      throw error;
    }
  });

  it('phone (360 px): the log is cards, nothing scrolls sideways, the calendar fits', async () => {
    const page = await signedIn(ADMIN, 360, 740);
    const shots = screenshots(page, 'delivery-phone');
    try {
      const cards = page.getByTestId('list-card');
      await visible(cards);
      expect(await cards.count()).toBeGreaterThanOrEqual(3);
      const { scrollWidth, clientWidth } = (await page.evaluate(
        '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
      )) as { scrollWidth: number; clientWidth: number };
      expect(scrollWidth, 'page scrolls sideways').toBeLessThanOrEqual(clientWidth);
      for (const box of await Promise.all((await cards.all()).map((c) => c.boundingBox())))
        expect(box!.x + box!.width).toBeLessThanOrEqual(360);
      await shots.page('cards');

      // The day picker opens as a dialog that fits the screen.
      await page.getByRole('button', { name: 'Od dnia', exact: true }).click();
      const dialog = await visible(page.getByRole('dialog', { name: 'Od dnia' }));
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      await shots.viewport('calendar');
      const all = await cards.count();
      await dialog.getByRole('button', { name: dayName(new Date(), 'pl'), exact: true }).click();
      await expect.poll(() => cards.count(), { timeout: STEP_TIMEOUT }).toBe(all - 1);
      // The modal closes with a transition that can outlast the list's refetch: wait for it.
      await expect.poll(() => page.getByRole('dialog').count(), { timeout: STEP_TIMEOUT }).toBe(0);
    } catch (error) {
      await shots.page('failure');
      throw error;
    }
  });

  // Last: it switches the admin's account to English.
  it('in English the calendar names English months', async () => {
    const page = await signedIn(ADMIN);
    try {
      await page.getByRole('banner').getByText('EN', { exact: true }).click();
      await visible(page.getByRole('heading', { name: 'Delivery log', level: 1 }));
      const states = page.getByTestId('message-state');
      await visible(page.getByText(OLD_SUBJECT));
      const all = await states.count();
      const today = new Date();
      await page.getByRole('button', { name: 'From day', exact: true }).click();
      await visible(page.getByRole('button', { name: `${month('en', today)} ${today.getFullYear()}` }));
      await page.getByRole('button', { name: dayName(today, 'en'), exact: true }).click();
      const from = page.getByRole('button', { name: 'From day', exact: true });
      await expect
        .poll(() => from.textContent())
        .toBe(`${month('en', today).slice(0, 3)} ${today.getDate()}, ${today.getFullYear()}`);
      await expect.poll(() => states.count(), { timeout: STEP_TIMEOUT }).toBe(all - 1);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await screenshots(page, 'delivery-english').page('failure');
      throw error;
    }
  });
});
