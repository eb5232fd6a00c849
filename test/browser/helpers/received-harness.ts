import { build } from 'esbuild';
import type { Page } from 'playwright-core';

/**
 * ReceivedComment alone (web/src/features/inbound/received-comment-harness.tsx): the harness
 * bundled to one script for a page, and its mount. Used by the received-comment tests.
 */
export async function buildReceivedHarness(): Promise<string> {
  const bundle = await build({
    entryPoints: [
      new URL('../../../web/src/features/inbound/received-comment-harness.tsx', import.meta.url).pathname,
    ],
    bundle: true,
    format: 'iife',
    jsx: 'automatic',
    loader: { '.json': 'json' },
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}

/** Renders the received comment `id` in the page (its reading view is the page's to answer). */
export async function mountReceived(page: Page, id: string): Promise<void> {
  await page.evaluate(
    (i) => (globalThis as unknown as { mount: (id: string) => Promise<void> }).mount(i),
    id,
  );
}
