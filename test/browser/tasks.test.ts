/**
 * Writing to a contact from a task, in Polish (issue 9 items 1–3): open the project's tasks,
 * create a task, add a contact, write a comment that notifies the contact by email from the
 * default sender (its health shown first), and see the comment in the thread and its email
 * "wysłano" once the worker delivered it to the address's SMTP server (an in-process sink);
 * then the same page on a phone (390 px) without sideways scrolling. Last, names with nothing
 * visible (a token name, a file name, a task title) are refused before any request.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../helpers/mail-servers.js';
import { serviceMissing } from '../helpers/require-service.js';
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
import {
  addTestedAddress,
  createContact,
  createProject,
  openPage,
  signInAdminInPolish,
} from './helpers/journey.js';
import { apiCall, pick, screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());

describe.skipIf(skip)('tasks: writing to a contact (Polish UI)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let box: Awaited<ReturnType<typeof startMailbox>> | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    box = await startMailbox();
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-tasks-'));
    server = await startServer(workDir, {
      MAILROOM_ALLOWED_MAIL_HOSTS: '127.0.0.1',
      MAILROOM_EXTRA_CA_FILE: join(ROOT, 'test', 'fixtures', 'tls', 'ca.pem'),
    });
    browser = await launchBrowser();
    page = await openPage(browser, { pageErrors });
    await signInAdminInPolish(page, server);

    // Setup that is not what this journey is about: a tested company address, a project, a contact.
    await addTestedAddress(page, '/api/company/email-addresses', box.fields(), 'Biuro Firmy');
    await createProject(page, 'Sklep internetowy');
    await createContact(page, { name: 'Zofia Klientka', email: 'zofia@klient.example' });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    await box?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Issue 8 item 7 on the new pages: one h1, and no English words of our UI on a Polish screen. */
  async function expectOneH1AndNoEnglish(p: Page) {
    expect(await p.locator('h1').count()).toBe(1);
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what the user reads
    const text = await p.locator('body').innerText();
    expect(text).not.toMatch(
      /\b(Sent|Failed|Queued|Retry|Send again|Loading|Cancel|Save|Close|Tasks|Comments?|Attach)\b/,
    );
  }

  it('creates a task, writes a comment notifying a contact, and sees it in the thread', async () => {
    const shot = screenshots(page, 'tasks');
    await page.getByRole('link', { name: 'Projekty' }).click();
    await page.getByRole('link', { name: 'Zadania projektu Sklep internetowy' }).click();
    await visible(page.getByRole('heading', { name: 'Zadania: Sklep internetowy', level: 1 }));
    await visible(page.getByText('Brak zadań w tym projekcie.'));
    await expectOneH1AndNoEnglish(page);

    await page.getByRole('button', { name: 'Nowe zadanie' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nowe zadanie' });
    // Issue 8 item 7: a named close button, and the first field takes focus.
    await visible(dialog.getByRole('button', { name: 'Zamknij' }));
    await expect
      .poll(() => dialog.getByLabel('Tytuł').evaluate((el) => el === el.ownerDocument.activeElement))
      .toBe(true);
    await field(dialog, 'Tytuł').fill('Reklamacja zamówienia 1024');
    await dialog.getByRole('button', { name: 'Utwórz' }).click();
    await visible(page.getByRole('heading', { name: 'Reklamacja zamówienia 1024', level: 1 }));

    await pick(page, page, 'Dodaj kontakt do zadania', 'Zofia', /Zofia Klientka/);
    await visible(page.getByText('Zofia Klientka <zofia@klient.example>'));

    await page.getByRole('textbox', { name: 'Nowy komentarz' }).fill('Dzień dobry,\nprzyjęliśmy reklamację.');
    await page.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    await shot.page('notify-on');
    const contactBox = page.getByRole('checkbox', { name: 'Zofia Klientka <zofia@klient.example>' });
    expect(await contactBox.isChecked()).toBe(true);
    // From: the default sender pre-selected, with its health before sending (M50).
    const from = page.getByTestId('sender-picker');
    await visible(from);
    expect(await from.inputValue()).toBe('Biuro Firmy <anna@firma.example> (domyślny)');
    // The state is said once: the label, then one badge (not "Stan adresu: Działa [DZIAŁA]").
    await visible(page.getByTestId('sender-health').locator('.mantine-Badge-root'));
    expect(await page.getByTestId('sender-health').textContent()).toBe('Stan adresu:Działa');
    await shot.page('composer');

    await page.getByRole('button', { name: 'Dodaj i wyślij e-mail' }).click();
    const comment = page.getByTestId('comment').filter({ hasText: 'przyjęliśmy reklamację.' });
    await visible(comment);
    const email = comment.getByTestId('comment-email');
    await visible(email.getByText('do: Zofia Klientka'));
    // The worker sends it through the address's SMTP server (the sink): "Wysłano" = accepted (M35).
    await email.getByText('Wysłano', { exact: true }).waitFor({ timeout: 45_000 });
    expect(await email.getAttribute('data-status')).toBe('sent');
    const delivered = box!.smtp.messages.find((m) => m.raw.toString().includes('zofia@klient.example'));
    const parsed = await simpleParser(delivered!.raw);
    expect(parsed.text).toContain('przyjęliśmy reklamację.');
    expect(parsed.messageId).toMatch(/^<mr\.[a-z2-7]{16}\.[a-z2-7]{16}@firma\.example>$/);
    await shot.page('thread');
    await expectOneH1AndNoEnglish(page);
    expect(pageErrors).toEqual([]);
  });

  it('shows the task on a phone without sideways scrolling', async () => {
    const url = page.url();
    const phone = await browser!.newContext({ locale: 'pl-PL', viewport: { width: 390, height: 844 } });
    const p = await phone.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT);
    const cookies = await page.context().cookies();
    await phone.addCookies(cookies);
    await p.goto(url);
    await visible(p.getByRole('heading', { name: 'Reklamacja zamówienia 1024', level: 1 }));
    await p.getByRole('switch', { name: 'Powiadom kontakty e-mailem' }).check({ force: true });
    await visible(p.getByRole('combobox', { name: 'Od' }));
    const { scrollWidth, clientWidth } = (await p.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
    )) as { scrollWidth: number; clientWidth: number };
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await screenshots(p, 'tasks-phone').page('task');
    await phone.close();
  });

  // Names with nothing visible are refused before a request: the forms call the server's own
  // rule (src/domain/visible-text.ts); test/api/invisible-names.test.ts covers the server.
  describe('names with nothing visible', () => {
    let projectId: string;
    const posts: string[] = [];
    beforeAll(async () => {
      page.on('request', (r) => {
        if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
      });
      projectId = await createProject(page, 'Niewidoczne');
    });

    it('the token form says the name is required and sends nothing', async () => {
      await page.goto(`${server!.url}/settings`);
      posts.length = 0;
      await field(page, 'Nazwa tokenu').fill('\u200b\u3164');
      await page.getByRole('button', { name: 'Utwórz token' }).click();
      await visible(page.getByText('To pole jest wymagane'));
      expect(posts).not.toContain('/api/tokens');
      expect(pageErrors).toEqual([]);
    });

    it('the composer flags a file named U+2800 and keeps "send" off until it is removed', async () => {
      const task = await apiCall<{ id: string }>(page, 'POST', '/api/tasks', { projectId, title: 'Pliki' });
      await page.goto(`${server!.url}/tasks/${task.id}`);
      await page.getByPlaceholder('Napisz komentarz…').fill('Plik w załączniku');
      await page
        .locator('input[type=file]')
        .setInputFiles([{ name: '\u2800', mimeType: 'text/plain', buffer: Buffer.from('x') }]);
      const blankName = page.getByText(
        'Nazwa pliku nie może być pusta ani składać się z samych niewidocznych znaków.',
        { exact: false },
      );
      await visible(blankName);
      const send = page.getByRole('button', { name: 'Dodaj komentarz' });
      expect(await send.isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Usuń plik (plik bez widocznej nazwy)' }).click();
      await hidden(blankName);
      expect(await send.isDisabled()).toBe(false);
      expect(pageErrors).toEqual([]);
    });

    it('the new-task dialog keeps "create" off for a title of U+2800, on for a ZWJ emoji', async () => {
      await page.goto(`${server!.url}/projects/${projectId}/tasks`);
      await page.getByRole('button', { name: 'Nowe zadanie' }).click();
      const dialog = page.getByRole('dialog', { name: 'Nowe zadanie' });
      await field(dialog, 'Tytuł').fill('\u2800 \u3164');
      await visible(dialog.getByText('To pole jest wymagane'));
      expect(await dialog.getByRole('button', { name: 'Utwórz' }).isDisabled()).toBe(true);
      await field(dialog, 'Tytuł').fill('👩\u200d💻 Wdrożenie');
      expect(await dialog.getByRole('button', { name: 'Utwórz' }).isDisabled()).toBe(false);
    });
  });
});
