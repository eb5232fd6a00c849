import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMissing } from '../helpers/require-service.js';
import { chromiumMissingReason, launchBrowser } from './helpers/browser-harness.js';
import { painted } from './helpers/page-tools.js';

/**
 * M41 in the browser: the frame that shows received HTML fetches nothing from the internet
 * until "Pokaż obrazy", runs no script even if the server's sanitizer had missed one, loads
 * inline (cid) images from our own attachments, and folds the quoted history.
 */
const skip = serviceMissing('Chromium', chromiumMissingReason());
const ORIGIN = 'http://app.test';

/** The bits of the page's DOM used below (this project's Node typings have no DOM library). */
interface FrameEl {
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, fn: () => void): void;
  srcdoc: string;
}
interface PageDoc {
  body: { innerHTML: string; append(el: FrameEl): void };
  createElement(tag: 'iframe'): FrameEl;
}

describe.skipIf(skip)('received message frame (M41)', () => {
  let browser: Browser;
  let page: Page;
  let requests: string[] = [];

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [new URL('../../web/src/features/inbound/received-document.ts', import.meta.url).pathname],
      bundle: true,
      format: 'iife',
      globalName: 'ReceivedDocument',
      write: false,
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url === `${ORIGIN}/`)
        return route.fulfill({ contentType: 'text/html', body: '<!doctype html><body></body>' });
      const gif = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs=', 'base64');
      return route.fulfill({ contentType: 'image/gif', body: gif });
    });
    await page.goto(`${ORIGIN}/`);
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  });
  afterAll(async () => browser?.close());

  /** Renders `html` in a frame like ReceivedComment does and waits for it to load. */
  async function show(html: string, opts: { showImages?: boolean; showQuoted?: boolean } = {}) {
    requests = [];
    await page.evaluate(
      ({ html, opts, origin }) => {
        const document = (globalThis as unknown as { document: PageDoc }).document;
        document.body.innerHTML = '';
        const frame = document.createElement('iframe');
        frame.setAttribute('sandbox', 'allow-same-origin allow-popups allow-popups-to-escape-sandbox');
        const w = globalThis as unknown as {
          ReceivedDocument: { receivedDocument: (o: unknown) => string };
          __loaded: Promise<void>;
        };
        w.__loaded = new Promise((resolve) => frame.addEventListener('load', () => resolve()));
        frame.srcdoc = w.ReceivedDocument.receivedDocument({
          html,
          origin,
          inlineImages: [{ contentId: 'logo@firma', attachmentId: '11111111-2222-4333-8444-555555555555' }],
          showImages: opts.showImages ?? false,
          showQuoted: opts.showQuoted ?? false,
        });
        document.body.append(frame);
      },
      { html, opts, origin: ORIGIN },
    );
    await page.evaluate(() => (globalThis as unknown as { __loaded: Promise<void> }).__loaded);
    // Loaded, then rendered twice (the parent's frames include the iframe's, which runs no
    // script of its own): whatever the document would fetch, CSS backgrounds too, is requested by now.
    await painted(page);
    return page.frames()[1]!;
  }

  const remote = () => requests.filter((u) => u.includes('tracker.test'));

  it('fetches no remote image until asked, then fetches it without a referrer', async () => {
    const html = '<p>Hej</p><img data-mr-src="https://tracker.test/open.gif?u=1" alt="x">';
    await show(html);
    expect(remote()).toEqual([]);
    await show(html, { showImages: true });
    expect(remote()).toEqual(['https://tracker.test/open.gif?u=1']);
  });

  it('runs no script and loads nothing remote even from HTML the sanitizer never saw', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as { __pwned?: number }).__pwned = undefined;
    });
    await show(
      '<script>parent.__pwned = 1</script><img src="x" onerror="parent.__pwned = 2">' +
        '<img src="https://tracker.test/raw.gif"><div style="background:url(https://tracker.test/bg.png)">b</div>' +
        '<link rel="stylesheet" href="https://tracker.test/s.css"><iframe src="https://tracker.test/f"></iframe>',
    );
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(remote()).toEqual([]);
  });

  it('shows inline images from our own attachments', async () => {
    await show('<img data-mr-cid="logo@firma" alt="logo">');
    expect(requests).toContain(`${ORIGIN}/api/attachments/11111111-2222-4333-8444-555555555555`);
  });

  it('folds the quoted history until asked', async () => {
    const html =
      '<p>Nowy tekst</p><div data-mr-quote="block">stary</div>' +
      '<div data-mr-quote="outlook">From: x</div><div id="after">cytat Outlooka</div>';
    let frame = await show(html);
    const display = (f: typeof frame, sel: string) =>
      f.locator(sel).evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).display);
    expect(await display(frame, '[data-mr-quote="block"]')).toBe('none');
    expect(await display(frame, '#after')).toBe('none');
    expect(await display(frame, 'p')).toBe('block');
    frame = await show(html, { showQuoted: true });
    expect(await display(frame, '[data-mr-quote="block"]')).toBe('block');
    expect(await display(frame, '#after')).toBe('block');
  });
});
