/**
 * Company settings and the admin's first hour, in Polish, on a desktop and on a phone
 * (issue 8 items 1, 3, 6, 7): the naming invite, settings, API tokens shown once, duplicate
 * refusals next to their field, lists as cards on a phone without sideways scrolling.
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
import { apiCall, screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());

describe.skipIf(skip)('company settings and lists (Polish UI, desktop and phone)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-settings-'));
    server = await startServer(workDir);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const newPage = (width: number, height: number) =>
    openPage(browser!, { width, height, pageErrors, consoleErrors });

  const signInAsAdmin = (page: Page) =>
    signIn(page, server!.url, server!, {
      landing: (p) => p.getByRole('heading', { name: 'Pracownicy', level: 1 }),
    });

  /** One h1, a breadcrumbs landmark whose crumbs before the last are links. */
  async function checkLandmarks(page: Page) {
    expect(await page.locator('h1').count()).toBe(1);
    const crumbs = page.getByRole('navigation', { name: 'Ścieżka strony' });
    await visible(crumbs);
    expect(await crumbs.getByRole('link').count()).toBeGreaterThan(0);
  }

  async function noSidewaysScroll(page: Page) {
    const { scrollWidth, clientWidth } = (await page.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
    )) as { scrollWidth: number; clientWidth: number };
    expect(scrollWidth, 'page scrolls sideways').toBeLessThanOrEqual(clientWidth);
  }

  it('the login page loads only its own code, and no source maps are served', async () => {
    const page = await newPage(1366, 900);
    const scripts: { url: string; bytes: number }[] = [];
    page.on('response', async (response) => {
      if (response.url().endsWith('.js'))
        scripts.push({ url: response.url(), bytes: (await response.body()).length });
    });
    await page.goto(`${server!.url}/login`);
    await visible(page.getByRole('heading', { name: 'Zaloguj się do mailroom', level: 1 }));
    await page.waitForLoadState('networkidle');
    const names = scripts.map((s) => s.url.split('/').pop()!);
    // Pages behind the sign-in are separate chunks, not loaded here.
    expect(names.some((n) => n.startsWith('login-page-'))).toBe(true);
    for (const other of ['external-address-list-', 'settings-page-', 'audit-log-page-', 'app-layout-'])
      expect(
        names.some((n) => n.startsWith(other)),
        other,
      ).toBe(false);
    const total = scripts.reduce((sum, s) => sum + s.bytes, 0);
    console.log(`login page JavaScript: ${total} bytes in ${scripts.length} files`);
    const main = scripts.find((s) => /\/index-[\w-]+\.js$/.test(s.url))!;
    const map = await fetch(`${main.url}.map`);
    expect(map.status === 404 || !(map.headers.get('content-type') ?? '').includes('json')).toBe(true);
    const js = await (await fetch(main.url)).text();
    expect(js).not.toContain('sourceMappingURL');
  });

  it('desktop: the naming invite, company settings, API tokens shown once, duplicate project refused', async () => {
    const page = await newPage(1366, 900);
    const shots = screenshots(page, 'settings-desktop');
    try {
      // Signing out is not an error the browser logs (GET /api/session answers 200 with no one).
      await page.goto(`${server!.url}/login`);
      await visible(page.getByRole('heading', { name: 'Zaloguj się do mailroom' }));
      expect(consoleErrors).toEqual([]);
      await signInAsAdmin(page);
      const invite = await visible(page.getByTestId('name-invite'));
      expect(await invite.textContent()).toContain('Mailroom');
      await shots.page('invite');
      await invite.getByRole('link', { name: 'Ustaw nazwę firmy' }).click();
      await visible(page.getByRole('heading', { name: 'Ustawienia firmy', level: 1 }));
      await checkLandmarks(page);

      // The form checks the server's limit with the server's words, then saves.
      const name = field(page, 'Nazwa firmy');
      await name.fill('x'.repeat(201));
      await page.getByRole('button', { name: 'Zapisz zmiany' }).click();
      await visible(page.getByText('Za długie: najwyżej 200 znaków'));
      await name.fill('Biuro Rachunkowe Nowak');
      await page.getByRole('button', { name: 'Zapisz zmiany' }).click();
      await visible(page.getByText('Zapisano ustawienia firmy'));
      await visible(
        page.getByRole('navigation', { name: 'Nawigacja główna' }).getByText('Biuro Rachunkowe Nowak'),
      );
      await shots.page('saved');
      await page.getByRole('link', { name: 'Pracownicy' }).first().click();
      await visible(page.getByRole('heading', { name: 'Pracownicy', level: 1 }));
      expect(await page.getByTestId('name-invite').count()).toBe(0);

      // API tokens: the secret once, then only its prefix; revoking removes it.
      await page.getByRole('link', { name: 'Ustawienia firmy' }).click();
      await field(page, 'Nazwa tokenu').fill('Integracja CRM');
      await page.getByRole('button', { name: 'Utwórz token' }).click();
      const dialog = await visible(page.getByRole('dialog', { name: 'Token „Integracja CRM” utworzony' }));
      const secret = (await dialog.getByTestId('new-token').textContent())!.trim();
      expect(secret).toMatch(/^mrt_/);
      await visible(dialog.getByRole('button', { name: 'Zamknij okno' }));
      await shots.dialog('token-once', dialog);
      await dialog.getByRole('button', { name: 'Gotowe' }).click();
      await hidden(dialog);
      const tokens = page.getByRole('list', { name: 'Tokeny API' });
      await visible(tokens.getByText('Integracja CRM'));
      expect(await page.content()).not.toContain(secret);
      await tokens.getByRole('button', { name: 'Unieważnij: Integracja CRM' }).click();
      await page
        .getByRole('dialog', { name: 'Unieważnić token?' })
        .getByRole('button', { name: 'Usuń' })
        .click();
      await visible(page.getByText('Nie ma jeszcze żadnych tokenów.'));

      // A second project with the same name: refused next to the name field.
      await apiCall(page, 'POST', '/api/projects', { name: 'Remont biura' });
      await page.goto(`${server!.url}/projects`);
      await page.getByRole('button', { name: 'Dodaj projekt' }).first().click();
      const projectDialog = await visible(page.getByRole('dialog', { name: 'Nowy projekt' }));
      // The dialog's first field has the focus; its close button is named.
      expect(
        await field(projectDialog, 'Nazwa').evaluate((el) => el === el.ownerDocument.activeElement),
      ).toBe(true);
      await visible(projectDialog.getByRole('button', { name: 'Zamknij okno' }));
      await field(projectDialog, 'Nazwa').fill('remont BIURA');
      await projectDialog.getByRole('button', { name: 'Utwórz' }).click();
      await visible(projectDialog.getByText('Ta nazwa jest już zajęta.'));
      await shots.dialog('project-duplicate', projectDialog);
      await page.keyboard.press('Escape');
      await hidden(projectDialog);

      // Email syntax is checked in the form, in the server's words.
      await page.goto(`${server!.url}/employees`);
      await page.getByRole('button', { name: 'Dodaj pracownika' }).first().click();
      const employeeDialog = await visible(page.getByRole('dialog', { name: 'Nowy pracownik' }));
      expect(
        await field(employeeDialog, 'Imię i nazwisko').evaluate(
          (el) => el === el.ownerDocument.activeElement,
        ),
      ).toBe(true);
      await field(employeeDialog, 'E-mail').fill('zly-adres');
      await employeeDialog.getByRole('button', { name: 'Utwórz' }).click();
      await visible(employeeDialog.getByText('Podaj poprawny adres e-mail (nazwa@domena).'));
    } catch (error) {
      await shots.failure();
      throw error;
    }
    expect(pageErrors).toEqual([]);
    // Only the refused duplicate (409) may be logged by the browser.
    expect(consoleErrors.filter((m) => !/\b409\b/.test(m))).toEqual([]);
  });

  it('autodetection: one match is selected, an unknown domain says so; Polish providers first; focus stays in the dialog', async () => {
    const page = await newPage(1366, 900);
    const shots = screenshots(page, 'settings-detect');
    try {
      await signInAsAdmin(page);
      await page.goto(`${server!.url}/email/company-addresses`);
      await page.getByRole('button', { name: 'Dodaj zewnętrzny adres e-mail' }).first().click();
      const dialog = await visible(page.getByRole('dialog', { name: 'Dodaj zewnętrzny adres e-mail' }));
      // Polish providers come before the international ones for a Polish UI.
      const order = await dialog
        .locator('[data-testid^="preset-"][aria-pressed]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
      expect(order.indexOf('preset-wp')).toBeLessThan(order.indexOf('preset-gmail'));
      await field(dialog, 'Adres e-mail').fill('biuro@wp.pl');
      await visible(dialog.getByTestId('preset-selected').getByText(/WP\.pl/));
      expect(await dialog.getByTestId('preset-wp').getAttribute('aria-pressed')).toBe('true');
      await shots.dialog('selected', dialog);
      await field(dialog, 'Adres e-mail').press('Enter');
      await visible(dialog.getByRole('group', { name: 'Poczta wychodząca (SMTP)' }));
      // The picked card is gone; the focus stayed inside the dialog, on the form's first field.
      expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
      await dialog.getByRole('button', { name: 'Zmień usługę' }).click();
      await field(dialog, 'Adres e-mail').fill('biuro@nieznana-domena.invalid');
      const unknown = await visible(dialog.getByTestId('preset-unknown'));
      expect(await unknown.textContent()).toContain('nieznana-domena.invalid');
      await unknown.getByRole('button', { name: 'Wybierz „Inny serwer”' }).click();
      await visible(dialog.getByRole('group', { name: 'Poczta wychodząca (SMTP)' }));
      expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    } catch (error) {
      await shots.failure();
      throw error;
    }
    expect(pageErrors).toEqual([]);
  });

  it('phone (390 px): lists are cards with status and actions, nothing scrolls sideways', async () => {
    const page = await newPage(390, 844);
    const shots = screenshots(page, 'settings-phone');
    try {
      await signInAsAdmin(page);
      for (const [path, heading] of [
        ['/employees', 'Pracownicy'],
        ['/projects', 'Projekty'],
        ['/groups', 'Grupy'],
        ['/contacts', 'Kontakty'],
        ['/audit-log', 'Dziennik zdarzeń'],
        ['/email/company-addresses', 'Zewnętrzne adresy e-mail firmy'],
        ['/settings', 'Ustawienia firmy'],
      ] as const) {
        await page.goto(`${server!.url}${path}`);
        await visible(page.getByRole('heading', { name: heading, level: 1 }));
        await page.waitForLoadState('networkidle');
        await checkLandmarks(page);
        await noSidewaysScroll(page);
        await shots.page(path.slice(1).replaceAll('/', '-'));
      }
      // The employees list is cards: the row's name, status and actions are on screen.
      await page.goto(`${server!.url}/employees`);
      const card = await visible(page.getByTestId('list-card').first());
      await visible(card.getByRole('button', { name: /^Edytuj/ }));
      expect(await page.locator('table').count()).toBe(0);
    } catch (error) {
      await shots.failure();
      throw error;
    }
    expect(pageErrors).toEqual([]);
  });
});
