import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMissing } from '../helpers/require-service.js';
import { chromiumMissingReason, launchBrowser, visible } from './helpers/browser-harness.js';
import { buildReceivedHarness, mountReceived } from './helpers/received-harness.js';

/**
 * ReceivedComment in Polish (issue 10 item 4, M41): the new text first, the history behind
 * "Pokaż cytowaną historię", remote images fetched only after "Pokaż obrazy", "could not be read"
 * for quarantined mail, the original one click away. The component alone, its API answered here.
 */
const skip = serviceMissing('Chromium', chromiumMissingReason());
const ORIGIN = 'http://app.test';
const ID = {
  html: '11111111-1111-4111-8111-111111111111',
  text: '22222222-2222-4222-8222-222222222222',
  broken: '33333333-3333-4333-8333-333333333333',
};

const view = (over: Record<string, unknown>) => ({
  kind: 'reply',
  from: { email: 'jan@klient.example', name: 'Jan Kowalski' },
  subject: 'RE: Oferta',
  text: 'Akceptujemy ofertę.',
  quotedText: '',
  html: '',
  remoteImages: 0,
  unreadable: false,
  autoReplyReason: null,
  omittedAttachments: [],
  inlineImages: [],
  ...over,
});

const VIEWS: Record<string, unknown> = {
  [ID.html]: view({
    commentId: ID.html,
    html: '<p>Akceptujemy ofertę.</p><p><img data-mr-src="https://tracker.test/logo.png" alt="Logo"></p><div data-mr-quote="outlook">Od: Firma</div><div>Dzień dobry, w załączeniu oferta.</div>',
    remoteImages: 1,
    originalHref: `/api/comments/${ID.html}/original`,
  }),
  [ID.text]: view({
    commentId: ID.text,
    kind: 'auto_reply',
    text: 'Jestem na urlopie.',
    quotedText: '> Dzień dobry, w załączeniu oferta.',
    originalHref: `/api/comments/${ID.text}/original`,
  }),
  [ID.broken]: view({
    commentId: ID.broken,
    text: '',
    unreadable: true,
    originalHref: `/api/comments/${ID.broken}/original`,
  }),
};

describe.skipIf(skip)('ReceivedComment (Polish)', () => {
  let browser: Browser;
  let page: Page;
  let requests: string[] = [];

  beforeAll(async () => {
    const harness = await buildReceivedHarness();
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.href === `${ORIGIN}/`)
        return route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><html lang="pl"><body><div id="root"></div></body></html>',
        });
      const m = /^\/api\/comments\/([0-9a-f-]+)\/received$/.exec(url.pathname);
      if (m) return route.fulfill({ contentType: 'application/json', body: JSON.stringify(VIEWS[m[1]!]) });
      const gif = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs=', 'base64');
      return route.fulfill({ contentType: 'image/gif', body: gif });
    });
    await page.goto(`${ORIGIN}/`);
    await page.addScriptTag({ content: harness });
  }, 120_000);
  afterAll(async () => browser?.close());

  const mount = async (id: string) => {
    requests = [];
    await mountReceived(page, id);
    await visible(page.locator(`[data-comment-id="${id}"]`));
  };

  it('shows the HTML reply with its history folded and remote images blocked until asked', async () => {
    await mount(ID.html);
    const frame = page.frameLocator('[data-testid="received-html"]');
    await visible(frame.getByText('Akceptujemy ofertę.'));
    expect(await frame.getByText('Dzień dobry, w załączeniu oferta.').isVisible()).toBe(false);
    await visible(page.getByText(/Zablokowano 1 obraz z internetu/));
    expect(requests.filter((u) => u.includes('tracker.test'))).toEqual([]);

    await page.getByRole('button', { name: 'Pokaż cytowaną historię' }).click();
    await visible(frame.getByText('Dzień dobry, w załączeniu oferta.'));
    await page.getByRole('button', { name: 'Pokaż obrazy' }).click();
    await expect
      .poll(() => requests.filter((u) => u.includes('tracker.test')))
      .toEqual(['https://tracker.test/logo.png']);
    expect(await page.getByRole('link', { name: 'Pobierz oryginał (.eml)' }).getAttribute('href')).toBe(
      `/api/comments/${ID.html}/original`,
    );
  });

  it('shows a plain-text automatic reply with its badge and folded quote', async () => {
    await mount(ID.text);
    await visible(page.getByText('Odpowiedź automatyczna'));
    await visible(page.getByText('Jestem na urlopie.'));
    expect(await page.getByText('> Dzień dobry, w załączeniu oferta.').isVisible()).toBe(false);
    await page.getByRole('button', { name: /Pokaż cytowaną historię/ }).click();
    await visible(page.getByText('> Dzień dobry, w załączeniu oferta.'));
  });

  it('says a quarantined message could not be read and offers the original', async () => {
    await mount(ID.broken);
    await visible(page.getByText('Nie udało się odczytać tej wiadomości'));
    await visible(page.getByRole('link', { name: 'Pobierz oryginał (.eml)' }));
  });
});
