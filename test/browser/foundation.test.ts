/**
 * Browser journey over the real server and the built UI (issue "Foundation", item 8):
 * a new admin signs in, adds an employee, a project and a contact, sees the placeholder
 * address lists, switches the UI to Polish (persisted on the account) and logs out.
 * Screenshots of every step land in test-output/browser/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
  STEP_TIMEOUT,
  startServer,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import { openPage } from './helpers/journey.js';
import { apiCall } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());

describe.skipIf(skip)('web UI foundation journey', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let shot = 0;

  const screenshot = async (name: string) => {
    shot += 1;
    await page.screenshot({
      path: join(SHOTS, `foundation-${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-'));
    server = await startServer(workDir);
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('signs in, manages employees, projects and contacts, switches to Polish and logs out', async () => {
    try {
      await journey();
    } catch (error) {
      // Leave a picture of the moment it broke, next to the step screenshots.
      await page
        .screenshot({ path: join(SHOTS, 'foundation-failure.png'), fullPage: true })
        .catch(() => undefined);
      throw error;
    }
    expect(pageErrors).toEqual([]);
  });

  it('remembers the language chosen on the login page across a reload and signing in', async () => {
    const { url, email, password } = server!;
    // A Polish browser (the login page starts in Polish), so English is a real choice.
    const p = await openPage(browser!, { locale: 'pl-PL', pageErrors });
    await p.goto(`${url}/login`);
    await visible(p.getByRole('heading', { name: 'Zaloguj się do mailroom' }));
    await p.getByText('EN', { exact: true }).click();
    await visible(p.getByRole('heading', { name: 'Sign in to mailroom' }));
    await p.reload();
    await visible(p.getByRole('heading', { name: 'Sign in to mailroom' }));
    await field(p, 'Email').fill(email);
    await field(p, 'Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await visible(p.getByRole('heading', { name: 'Employees', level: 1 }));
    // The choice becomes the account's (the journey above left it Polish), so e-mails follow it.
    const language = () =>
      apiCall<{ employee: { language: string } }>(p, 'GET', '/api/session').then((s) => s.employee.language);
    await expect.poll(language, { timeout: STEP_TIMEOUT }).toBe('en');
    await p.reload();
    await visible(p.getByRole('heading', { name: 'Employees', level: 1 }));
    await p.context().close();
    expect(pageErrors).toEqual([]);
  });

  async function journey() {
    const { url, email, password } = server!;

    // 1. Anonymous visitors land on the login page, in the browser's language (English).
    await page.goto(`${url}/employees`);
    await visible(page.getByRole('heading', { name: 'Sign in to mailroom' }));
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('This field is required'));
    await screenshot('login-validation');

    // 2. A wrong password shows the server's refusal; the right one opens the employees list.
    await field(page, 'Email').fill(email);
    await field(page, 'Password').fill(`${password}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.locator('[role="alert"]'));
    await field(page, 'Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The UI adopts the account's language when this device has no explicit choice; the
    // first-start admin's language is the server's default, so pick English explicitly.
    await visible(page.getByRole('heading', { name: /^(Employees|Pracownicy)$/, level: 1 }));
    expect(new URL(page.url()).pathname).toBe('/employees');
    await page.getByRole('banner').getByText('EN', { exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Employees', level: 1 }));
    await visible(page.getByRole('table').getByText(email));
    await screenshot('employees');

    // 3. Create an employee; client rules run first, then the server accepts the form.
    await page.getByRole('button', { name: 'Add employee' }).first().click();
    const employeeDialog = page.getByRole('dialog', { name: 'New employee' });
    await visible(employeeDialog);
    await employeeDialog.getByRole('button', { name: 'Create' }).click();
    await visible(employeeDialog.getByText('This field is required'));
    await field(employeeDialog, 'Full name').fill('Anna Nowak');
    await field(employeeDialog, 'Email').fill('anna.nowak@example.com');
    await field(employeeDialog, 'Password').fill('short');
    await employeeDialog.getByRole('button', { name: 'Create' }).click();
    await visible(employeeDialog.getByText('Too short: at least 10 characters.'));
    await field(employeeDialog, 'Password').fill('correct-horse-battery-42');
    await screenshot('employee-form');
    await employeeDialog.getByRole('button', { name: 'Create' }).click();
    await hidden(employeeDialog);
    await visible(page.getByRole('table').getByText('anna.nowak@example.com'));
    await screenshot('employee-created');

    // 4. The server's "already in use" lands next to the Email field, not only in a toast.
    await page.getByRole('button', { name: 'Add employee' }).first().click();
    await visible(employeeDialog);
    await field(employeeDialog, 'Full name').fill('Anna Nowak (again)');
    const duplicateEmail = field(employeeDialog, 'Email');
    await duplicateEmail.fill('anna.nowak@example.com');
    await employeeDialog.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => duplicateEmail.getAttribute('aria-invalid'), { timeout: STEP_TIMEOUT })
      .toBe('true');
    await screenshot('employee-server-validation');
    await employeeDialog.getByRole('button', { name: 'Cancel' }).click();
    await hidden(employeeDialog);

    // 5. The employee card: details form, groups and the external addresses tab.
    await page.getByRole('link', { name: 'Anna Nowak' }).click();
    await visible(page.getByRole('heading', { name: 'Anna Nowak', level: 1 }));
    expect(page.url()).toMatch(/\/employees\/[0-9a-f-]{36}$/);
    await page.getByRole('tab', { name: 'Groups' }).click();
    await visible(page.getByText('Not a member of any group'));
    await page.getByRole('tab', { name: 'External email addresses' }).click();
    await visible(page.getByText('Anna Nowak has no external email addresses yet'));
    await screenshot('employee-card-addresses');

    // 6. A project.
    await page.getByRole('link', { name: 'Projects' }).click();
    await visible(page.getByRole('heading', { name: 'Projects', level: 1 }));
    await visible(page.getByText('No projects yet'));
    await page.getByRole('button', { name: 'Add project' }).first().click();
    const projectDialog = page.getByRole('dialog', { name: 'New project' });
    await field(projectDialog, 'Name').fill('Website relaunch');
    await field(projectDialog, 'Description').fill('New website for the spring campaign');
    await projectDialog.getByRole('button', { name: 'Create' }).click();
    await hidden(projectDialog);
    await visible(page.getByRole('table').getByText('Website relaunch'));
    await screenshot('project-created');

    // 7. A contact with two addresses, then search with and without hits.
    await page.getByRole('link', { name: 'Contacts' }).click();
    await visible(page.getByRole('heading', { name: 'Contacts', level: 1 }));
    await page.getByRole('button', { name: 'Add contact' }).first().click();
    const contactDialog = page.getByRole('dialog', { name: 'New contact' });
    await field(contactDialog, 'Name').fill('Jan Kowalski');
    await field(contactDialog, 'Company').fill('Kowalski Sp. z o.o.');
    await field(contactDialog, 'Email address 1').fill('jan@kowalski.example');
    await contactDialog.getByRole('button', { name: 'Add another address' }).click();
    await field(contactDialog, 'Email address 2').fill('biuro@kowalski.example');
    await field(contactDialog, 'Label of address 2').fill('office');
    await screenshot('contact-form');
    await contactDialog.getByRole('button', { name: 'Create' }).click();
    await hidden(contactDialog);
    await visible(page.getByRole('table').getByText('jan@kowalski.example'));
    await page.getByRole('searchbox', { name: 'Search by name, company or email' }).fill('no-such-contact');
    await visible(page.getByText('Nothing matches “no-such-contact”'));
    await page.getByRole('button', { name: 'Clear search' }).first().click();
    await visible(page.getByRole('table').getByText('Jan Kowalski'));
    await screenshot('contact-created');

    // 8. The address lists are explained, not blank.
    await page.getByRole('link', { name: 'Company external email addresses' }).click();
    await visible(page.getByRole('heading', { name: 'Company external email addresses', level: 1 }));
    await visible(page.getByText('No company addresses yet'));
    await screenshot('company-addresses');

    // 9. Switch to Polish: labels change at once, and the choice survives a reload because
    //    it is stored on the device and on the account.
    await page.getByRole('banner').getByText('PL', { exact: true }).click();
    await visible(page.getByRole('link', { name: 'Pracownicy' }));
    await visible(page.getByRole('heading', { name: 'Zewnętrzne adresy e-mail firmy', level: 1 }));
    await visible(page.getByText('Zarządzanie kontem'));
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const response = await fetch('/api/session');
            return ((await response.json()) as { employee: { language: string } }).employee.language;
          }),
        { timeout: STEP_TIMEOUT },
      )
      .toBe('pl');
    await page.reload();
    await visible(page.getByRole('link', { name: 'Kontakty' }));
    await page.getByRole('link', { name: 'Pracownicy' }).click();
    await visible(page.getByRole('heading', { name: 'Pracownicy', level: 1 }));
    await visible(page.getByRole('button', { name: 'Dodaj pracownika' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('pl');
    await screenshot('employees-polish');

    // 10. Log out from the user menu: back on the (Polish) login page, and the API agrees.
    await page.getByRole('button', { name: 'Menu konta' }).click();
    await page.getByRole('menuitem', { name: 'Wyloguj się' }).click();
    await visible(page.getByRole('heading', { name: 'Zaloguj się do mailroom' }));
    const status = await page.evaluate(async () => (await fetch('/api/session')).status);
    expect(status).toBe(401);
    await screenshot('logged-out-polish');
  }
});
