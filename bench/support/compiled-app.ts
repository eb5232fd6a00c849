import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled server (dist/, what `npm start` runs) rather than the TypeScript sources as
 * tsx transpiles them: esbuild's keep-names helper wraps every inner function, which made
 * the JS part of a sender preview 1.6 ms under tsx against 0.18 ms compiled. `npm run bench`
 * builds first (scripts/ensure-build.mjs); the types still come from src/.
 */
export async function importCompiled<T>(relativeToDist: string): Promise<T> {
  const url = new URL(`../../dist/${relativeToDist}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`dist/${relativeToDist} is missing: run "npm run build" (npm run bench does) first`);
  }
  return (await import(url.href)) as T;
}
