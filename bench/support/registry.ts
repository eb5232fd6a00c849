import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './report.js';

/** One benchmark file found in bench/: `<name>.bench.ts`, loaded only when selected. */
export interface RegistryEntry {
  name: string;
  load: () => Promise<Benchmark>;
}

const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
const SUFFIX = /\.bench\.ts$/;

/**
 * Every `bench/<name>.bench.ts`, in name order. The registration interface: a file of that
 * name whose default export is a `Benchmark` (see bench/README.md). Nothing else to edit.
 */
export function discoverBenchmarks(dir = BENCH_DIR): RegistryEntry[] {
  return readdirSync(dir)
    .filter((f) => SUFFIX.test(f))
    .sort()
    .map((file) => {
      const name = file.replace(SUFFIX, '');
      return {
        name,
        load: async () => {
          const mod = (await import(new URL(file, `file://${dir}/`).href)) as { default?: Benchmark };
          const bench = mod.default;
          if (!bench || typeof bench.run !== 'function') {
            throw new Error(
              `bench/${file} must export default a Benchmark ({ name, title, timeoutMs, run })`,
            );
          }
          if (bench.name !== name)
            throw new Error(`bench/${file} exports name "${bench.name}", expected "${name}"`);
          return bench;
        },
      };
    });
}
