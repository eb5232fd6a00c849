/**
 * The start every journey shares: a fresh page, signing in through the login page, and the
 * setup through the API that a journey is not about (a tested address, a project, contacts).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { field, type RunningServer, STEP_TIMEOUT, visible } from './browser-harness.js';
import { apiCall } from './page-tools.js';

export interface PageOptions {
  /** The browser's language (the login page follows it); Polish unless said otherwise. */
  locale?: string;
  width?: number;
  height?: number;
  /** Uncaught page errors land here (journeys assert it stays empty). */
  pageErrors?: string[];
  /** `console.error` messages land here, when given. */
  consoleErrors?: string[];
}

/** A page in its own browser context (own cookies): step timeout set, errors collected. */
export async function openPage(browser: Browser, opts: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'pl-PL',
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const { pageErrors, consoleErrors } = opts;
  if (pageErrors) page.on('pageerror', (error) => pageErrors.push(error.message));
  if (consoleErrors)
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  return page;
}

export interface Login {
  email: string;
  password: string;
}

export interface SignInOptions {
  /** What shows once signed in; by default the employees' list (the admin's start page). */
  landing?: (page: Page) => Locator;
  /** For the first load of the app on a cold server (more than one step's time). */
  loadTimeout?: number;
}

const employeesHeading = (page: Page) =>
  page.getByRole('heading', { name: /^(Pracownicy|Employees)$/, level: 1 });

/** Signs in through the (Polish) login page and waits for the signed-in app. */
export async function signIn(page: Page, url: string, who: Login, opts: SignInOptions = {}): Promise<void> {
  await page.goto(`${url}/login`, opts.loadTimeout ? { timeout: opts.loadTimeout } : {});
  await field(page, 'E-mail').fill(who.email);
  await field(page, 'Hasło').fill(who.password);
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await visible((opts.landing ?? employeesHeading)(page));
}

/**
 * Signs in as the first-start admin and makes Polish the account's language too (the header's
 * PL switch), so every later page is Polish whatever the account started with.
 */
export async function signInAdminInPolish(page: Page, server: RunningServer): Promise<void> {
  await signIn(page, server.url, server);
  await page.getByRole('banner').getByText('PL', { exact: true }).click();
  await visible(page.getByRole('link', { name: 'Pracownicy' }));
}

/**
 * Saves an address the way the UI does: "Test account" first, then the save with its token.
 * `path` is the list it joins (`/api/company/email-addresses` or an employee's). Returns its id.
 */
export async function addTestedAddress(
  page: Page,
  path: string,
  fields: Record<string, unknown>,
  displayName: string,
): Promise<string> {
  const test = await apiCall<{ ok: boolean; testToken?: string }>(
    page,
    'POST',
    '/api/email-addresses/test',
    fields,
  );
  if (!test.ok || !test.testToken) throw new Error(`"Test account" failed for ${String(fields.email)}`);
  const saved = await apiCall<{ id: string }>(page, 'POST', path, {
    ...fields,
    displayName,
    testToken: test.testToken,
  });
  return saved.id;
}

export async function createProject(page: Page, name: string): Promise<string> {
  return (await apiCall<{ id: string }>(page, 'POST', '/api/projects', { name })).id;
}

export async function createContact(page: Page, contact: { name: string; email: string }): Promise<string> {
  return (
    await apiCall<{ id: string }>(page, 'POST', '/api/contacts', {
      name: contact.name,
      emails: [{ email: contact.email }],
    })
  ).id;
}
