import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir`, at any depth, whose path `keep` accepts (directory order): the
 * sources the rules in test/architecture and test/web read.
 */
export function filesUnder(dir: string, keep: (path: string) => boolean = () => true): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p, keep);
    return keep(p) ? [p] : [];
  });
}
