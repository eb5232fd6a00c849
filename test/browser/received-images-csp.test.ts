import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMissing } from '../helpers/require-service.js';
import {
  chromiumMissingReason,
  ensureBuilt,
  launchBrowser,
  type RunningServer,
  startServer,
  stopServer,
  visible,
} from './helpers/browser-harness.js';
import { buildReceivedHarness, mountReceived } from './helpers/received-harness.js';

/**
 * "Pokaż obrazy" under the app's real Content-Security-Policy (M41, decision 0007 "Browser"):
 * the received message's `srcdoc` frame inherits the policy of the page the real server sent,
 * and its own meta CSP can only narrow it. So the page here is one `mailroom serve` answered
 * (its CSP header included, never bypassed); ReceivedComment is mounted into it, its reading
 * view answered by the test. No remote request before the click; the image loads after it.
 */
const skip = serviceMissing('Chromium', chromiumMissingReason());
const COMMENT = '44444444-4444-4444-8444-444444444444';
const IMAGE = 'https://tracker.test/logo.png';
const GIF = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs=', 'base64');

describe.skipIf(skip)('remote images under the app’s CSP (M41)', () => {
  let workDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const remote: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    const harness = await buildReceivedHarness();
    workDir = mkdtempSync(join(tmpdir(), 'mailroom-browser-csp-'));
    server = await startServer(workDir, { MAILROOM_SANDBOX: 'off' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.route('https://tracker.test/**', (route) => {
      remote.push(route.request().url());
      return route.fulfill({ contentType: 'image/gif', body: GIF });
    });
    await page.route(`**/api/comments/${COMMENT}/received`, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          commentId: COMMENT,
          kind: 'reply',
          from: { email: 'jan@klient.example', name: 'Jan Kowalski' },
          subject: 'RE: Oferta',
          text: 'Akceptujemy ofertę.',
          quotedText: '',
          html: `<p>Akceptujemy ofertę.</p><p><img data-mr-src="${IMAGE}" alt="Logo" id="logo"></p>`,
          remoteImages: 1,
          unreadable: false,
          autoReplyReason: null,
          omittedAttachments: [],
          inlineImages: [],
          originalHref: `/api/comments/${COMMENT}/original`,
        }),
      }),
    );
    // The login page as the real server sends it, with the app's CSP header.
    const response = await page.goto(`${server.url}/login`);
    expect(response!.headers()['content-security-policy']).toMatch(/img-src [^;]*'self'/);
    // Evaluated through DevTools (the page's CSP allows no inline script, and must not be bypassed).
    await page.evaluate(harness);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('fetches nothing remote until "Pokaż obrazy", then shows the image', async () => {
    await mountReceived(page, COMMENT);
    const frame = page.frameLocator('[data-testid="received-html"]');
    await visible(frame.getByText('Akceptujemy ofertę.'));
    await visible(page.getByText(/Zablokowano 1 obraz z internetu/));
    expect(remote).toEqual([]);

    await page.getByRole('button', { name: 'Pokaż obrazy' }).click();
    await expect.poll(() => remote).toEqual([IMAGE]);
    // Loaded and decoded in the frame, not only requested.
    await expect
      .poll(() =>
        frame.locator('#logo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1);
    expect(violations).toEqual([]);
  });
});
