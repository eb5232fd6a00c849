/** Small page helpers for the browser journeys: API calls as the logged-in user, pickers, screenshots. */
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { SHOTS, visible } from './browser-harness.js';

/**
 * Calls the API from inside the page as the logged-in user (cookie + CSRF token), for
 * setup that is not what a journey is about. Throws with the server's answer on failure.
 */
export async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    },
    { method, path, body },
  ) as Promise<T>;
}

/**
 * Resolves once the page (or frame) has rendered two more frames: style, layout and paint
 * have caught up with the last change, and any fetch they start has been requested.
 */
export async function painted(target: Page | Frame): Promise<void> {
  // Typed through globalThis: this file is compiled without the DOM library.
  await target.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame: (f: () => void) => void })
      .requestAnimationFrame;
    return new Promise<void>((resolve) => raf(() => raf(resolve)));
  });
}

/** Waits until the page stops scrolling: the same scroll position over three rendered frames. */
export async function scrollSettled(page: Page): Promise<void> {
  // A function, not a string: the app's CSP forbids evaluating strings in the page.
  await page.waitForFunction(
    () => {
      const w = globalThis as unknown as { scrollY: number; __lastScrollY?: number; __stableFrames?: number };
      w.__stableFrames = w.__lastScrollY === w.scrollY ? (w.__stableFrames ?? 0) + 1 : 0;
      w.__lastScrollY = w.scrollY;
      return w.__stableFrames >= 3;
    },
    undefined,
    { polling: 'raf' },
  );
}

/**
 * Picks an option of a Mantine Select/MultiSelect by the field's label: opens it, types to
 * filter, clicks the option. (The label also names the option list, hence the role.)
 */
export async function pick(
  page: Page,
  scope: Page | Locator,
  label: string,
  search: string,
  option: string | RegExp,
): Promise<void> {
  const input = scope.getByRole('combobox', { name: label });
  await input.click();
  await input.fill(search);
  await (await visible(page.getByRole('option', { name: option }))).click();
}

/**
 * Screenshots in test-output/browser/<prefix>-NN-<name>.png. A dialog is captured whole by
 * making the viewport tall enough for it for the moment of the picture.
 */
export function screenshots(page: Page, prefix: string) {
  let n = 0;
  const path = (name: string) => {
    n += 1;
    return join(SHOTS, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`);
  };
  return {
    page: async (name: string) => {
      await page.screenshot({ path: path(name), fullPage: true });
    },
    /** Only what is on screen (for very long pages scrolled to a spot). */
    viewport: async (name: string) => {
      await page.screenshot({ path: path(name) });
    },
    dialog: async (name: string, dialog: Locator) => {
      const size = page.viewportSize() ?? { width: 1366, height: 900 };
      // The dialog element itself scrolls (Mantine caps its height at the viewport's).
      const height = await dialog
        .evaluate((el) => {
          el.scrollTop = 0;
          return el.scrollHeight;
        })
        .catch(() => size.height);
      const tall = Math.max(size.height, height + 320);
      await page.setViewportSize({ width: size.width, height: tall });
      // The picture once the page has laid itself out for the new height.
      await page.waitForFunction(
        (h) => (globalThis as unknown as { innerHeight: number }).innerHeight === h,
        tall,
      );
      await painted(page);
      await page.screenshot({ path: path(name) });
      await page.setViewportSize(size);
    },
    failure: async () => {
      await page
        .screenshot({ path: join(SHOTS, `${prefix}-failure.png`), fullPage: true })
        .catch(() => undefined);
    },
  };
}
