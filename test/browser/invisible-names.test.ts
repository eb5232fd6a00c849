/**
 * Names with nothing visible are refused in the browser before a request (Polish UI): the API
 * token form, the new-task title and a file whose name is a braille blank in the composer. The
 * forms call the server's own rule (src/domain/visible-text.ts); the API tests cover the server.
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
import { createProject, openPage, signInAdminInPolish } from './helpers/journey.js';
import { apiCall } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());

describe.skipIf(skip)('invisible names in the forms (Polish UI)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** Every API call the page makes, to prove a refused form sent nothing. */
  const posts: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-invisible-'));
    server = await startServer(workDir);
    browser = await launchBrowser();
    page = await openPage(browser, { pageErrors });
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    await signInAdminInPolish(page, server);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
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

  it('the composer names an invisible file name, keeps "send" off until the file is removed', async () => {
    const projectId = await createProject(page, 'Niewidoczne');
    const task = await apiCall<{ id: string }>(page, 'POST', '/api/tasks', { projectId, title: 'Pliki' });
    await page.goto(`${server!.url}/tasks/${task.id}`);
    await visible(page.getByText('Nowy komentarz'));
    await page.getByPlaceholder('Napisz komentarz…').fill('Plik w załączniku');
    await page
      .locator('input[type=file]')
      .setInputFiles([{ name: '\u2800', mimeType: 'text/plain', buffer: Buffer.from('x') }]);
    await visible(
      page.getByText('Nazwa pliku nie może być pusta ani składać się z samych niewidocznych znaków.', {
        exact: false,
      }),
    );
    const send = page.getByRole('button', { name: 'Dodaj komentarz' });
    expect(await send.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Usuń plik (plik bez widocznej nazwy)' }).click();
    await hidden(page.getByText('Nazwa pliku nie może być pusta', { exact: false }));
    expect(await send.isDisabled()).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('the new-task dialog keeps "create" off for a title of U+2800', async () => {
    await page.getByRole('link', { name: 'Projekty' }).click();
    await page.getByRole('link', { name: 'Zadania projektu Niewidoczne' }).click();
    await page.getByRole('button', { name: 'Nowe zadanie' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nowe zadanie' });
    await field(dialog, 'Tytuł').fill('\u2800 \u3164');
    await visible(dialog.getByText('To pole jest wymagane'));
    expect(await dialog.getByRole('button', { name: 'Utwórz' }).isDisabled()).toBe(true);
    await field(dialog, 'Tytuł').fill('👩\u200d💻 Wdrożenie');
    expect(await dialog.getByRole('button', { name: 'Utwórz' }).isDisabled()).toBe(false);
  });
});
