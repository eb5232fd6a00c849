// Prints the test files under the given folders that reach a database, for CI's PostgreSQL leg:
// a file counts when it, or a module of this repository it imports (transitively), opens one
// (src/db/open-database.ts, test/helpers/test-db.ts) or reads DATABASE_URL. The other files
// (protocol parsers, pure services, the CLI tests whose processes always use PGlite) run the
// same on both databases, so the first leg covers them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const OPENS = [join(root, 'src/db/open-database.ts'), join(root, 'test/helpers/test-db.ts')];
const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

const reaches = new Map();
function reachesDatabase(file) {
  if (reaches.has(file)) return reaches.get(file);
  reaches.set(file, false); // cycles: decided by the other edges
  const text = readFileSync(file, 'utf8');
  let hit = OPENS.includes(file) || text.includes('DATABASE_URL');
  for (const [, spec] of text.matchAll(IMPORT)) {
    if (hit) break;
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    for (const candidate of [target, `${target}.ts`, join(target, 'index.ts')]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        hit = reachesDatabase(candidate);
        break;
      }
    }
  }
  reaches.set(file, hit);
  return hit;
}

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );

const files = process.argv.slice(2).flatMap((folder) => walk(join(root, folder)));
const selected = files.filter(reachesDatabase).map((f) => relative(root, f));
if (selected.length === 0) throw new Error('no database tests found');
console.log(selected.sort().join('\n'));
