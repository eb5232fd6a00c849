/**
 * The Delivery log in Polish (issue 9 item 6): an admin sees every email with its state in
 * words ("Wysłano" = accepted by your mail server), a failure's cause and fix first with the
 * server's reply beside and a Common causes link, filters by state, retries a failed email;
 * an employee sees only their own and gets the duplicate warning before "Wyślij ponownie";
 * on a phone the log is cards with nothing scrolling sideways. Rows are seeded straight into
 * the embedded database before the server starts (the sending path is another slice).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';
import { createWorkspaceWithAdmin } from '../../src/services/auth/bootstrap.js';
import { addressRow } from '../helpers/address-row.js';
import { seedMessage, seedTask } from '../helpers/delivery-log-rows.js';
import { serviceMissing } from '../helpers/require-service.js';
import {
  chromiumMissingReason,
  ensureBuilt,
  launchBrowser,
  ROOT,
  SHOTS,
  STEP_TIMEOUT,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import { openPage, signIn } from './helpers/journey.js';
import { screenshots } from './helpers/page-tools.js';

const skip = serviceMissing('Chromium', chromiumMissingReason());
const ADMIN = { email: 'adam@biuro-nowak.example', password: 'admin password 12345' };
const EWA = { email: 'ewa@biuro-nowak.example', password: 'employee password 12345' };

/** Workspace, two people, an address and five emails in the embedded database at `dataDir`. */
async function seed(dataDir: string) {
  const ctx = await createContext(buildConfig({ dataDir, logLevel: 'warn' }), {
    logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
  try {
    const { workspace, admin } = await createWorkspaceWithAdmin(
      { workspaces: ctx.repos.workspaces, employees: ctx.repos.employees, transaction: ctx.transaction },
      {
        workspaceName: 'Biuro Nowak',
        adminEmail: ADMIN.email,
        adminName: 'Adam Admin',
        password: ADMIN.password,
        language: 'pl',
      },
    );
    const actor = {
      workspaceId: workspace.id,
      employeeId: admin.id,
      role: 'admin',
      name: 'Adam',
      via: 'system',
    } as const;
    const ewa = await ctx.services.employees.create(actor, {
      name: 'Ewa Nowak',
      email: EWA.email,
      password: EWA.password,
      language: 'pl',
    });
    const ws = workspace.id;
    const address = await ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws, scope: 'company', email: 'biuro@biuro-nowak.example' }),
    );
    const base = { workspaceId: ws, addressId: address.id };
    const adminTask = await seedTask(ctx.db, ws, admin.id, 'Faktura za listopad');
    const ewaTask = await seedTask(ctx.db, ws, ewa.id, 'Okna dla Kowalskich');
    await seedMessage(ctx.db, adminTask, ws, {
      ...base,
      authorEmployeeId: admin.id,
      subject: 'Faktura 11/2026',
      status: 'sent',
      sentAt: new Date(Date.now() - 3_600_000),
      acceptedReply: '250 2.0.0 Ok: queued as 4F2A',
      to: [
        { email: 'ksiegowa@klient.example', name: 'Księgowa', status: 'accepted' },
        { email: 'stary@klient.example', status: 'rejected' },
      ],
    });
    await seedMessage(ctx.db, adminTask, ws, {
      ...base,
      authorEmployeeId: admin.id,
      subject: 'Przypomnienie o fakturze',
      status: 'failed',
      attempts: 1,
      failure: {
        reason: 'smtp',
        catalogueId: 'recipient-unknown',
        failure: {
          kind: 'reply',
          protocol: 'smtp',
          responseCode: 550,
          enhancedCode: '5.1.1',
          response: '550 5.1.1 <nikt@klient.example>: User unknown',
        },
      },
      to: [{ email: 'nikt@klient.example', status: 'rejected' }],
    });
    await seedMessage(ctx.db, adminTask, ws, {
      workspaceId: ws,
      addressId: null,
      mime: null,
      authorEmployeeId: admin.id,
      subject: 'Bez nadawcy',
      status: 'failed',
      failure: { reason: 'no_sender' },
    });
    await seedMessage(ctx.db, ewaTask, ws, {
      ...base,
      authorEmployeeId: ewa.id,
      subject: 'Wycena okien',
      status: 'uncertain',
      attempts: 1,
      failure: {
        reason: 'connection_lost_after_data',
        failure: { kind: 'closed', protocol: 'smtp', code: 'ECONNRESET' },
      },
      to: [{ email: 'jan@kowalscy.example', name: 'Jan Kowalski' }],
    });
  } finally {
    await ctx.close();
  }
}

/** `mailroom serve` on an existing data dir: resolves with the URL it prints. */
function serve(workDir: string): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('MAILROOM_') && key !== 'DATABASE_URL') env[key] = value;
  Object.assign(env, {
    MAILROOM_DATA_DIR: join(workDir, 'data'),
    MAILROOM_PORT: '0',
    MAILROOM_HOST: '127.0.0.1',
    MAILROOM_LOG_LEVEL: 'warn',
  });
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mailroom.js'), 'serve'], {
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within 120 s\n${output.join('\n')}`));
    }, 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const url = /mailroom is running at (\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url: url.replace(/\/$/, '') });
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (code ${code})\n${output.join('\n')}`));
    });
  });
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
      expect(await states.count()).toBe(4);
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

  it('phone (390 px): the log is cards, with nothing scrolling sideways', async () => {
    const page = await signedIn(ADMIN, 390, 844);
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
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      await shots.page('cards');
    } catch (error) {
      await shots.page('failure');
      throw error;
    }
  });
});
