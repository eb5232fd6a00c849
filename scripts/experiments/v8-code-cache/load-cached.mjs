// Experiment (decision 0012, code-cache pass; not wired into bin/mailroom.js): runs the CommonJS
// bundle (dist/bundle-cjs/cli.cjs, built by ./bundle-cjs.mjs) through vm.Script with V8 cachedData,
// the code cache Node 20 has no built-in way to keep for ES modules.
//   node scripts/experiments/v8-code-cache/load-cached.mjs serve
// The cache file sits beside the bundle, keyed by the bundle's hash, Node's version and flags; a
// stale cache (other bundle, Node or flags) is rejected by V8 (cachedDataRejected) and written again.
// V8 does not verify the body of cachedData in release builds: a cache with damaged bytes in the
// middle crashed Node 20 (SIGSEGV / SIGTRAP), so the file starts with a SHA-256 of the rest, checked
// before V8 sees it; a mismatch is ignored like a missing cache.
// CC_NOCACHE=1: neither read nor write (same loader, no cache). CC_EARLY=1: write the cache when the
// URL line is printed (start-path functions only) instead of 1.5 s later. CC_TRACE=1: print timings.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

const file = new URL('../../../dist/bundle-cjs/cli.cjs', import.meta.url).pathname;
const source = readFileSync(file, 'utf8');
const key = createHash('sha256')
  .update(source)
  .update(process.version)
  .update(process.execArgv.join(' '))
  .digest('hex')
  .slice(0, 16);
const early = !!process.env.CC_EARLY;
const useCache = !process.env.CC_NOCACHE;
const cacheFile = `${file}.${key}${early ? '.early' : ''}.cache`;
let cachedData;
if (useCache)
  try {
    const raw = readFileSync(cacheFile);
    const body = raw.subarray(32);
    if (raw.length > 32 && createHash('sha256').update(body).digest().equals(raw.subarray(0, 32)))
      cachedData = body;
  } catch {}
const t0 = performance.now();
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (process.env.CC_TRACE)
  console.error(
    `cc compile ${(performance.now() - t0).toFixed(1)} ms cached=${!!cachedData} rejected=${script.cachedDataRejected}`,
  );

const writeCache = () => {
  const data = script.createCachedData();
  writeFileSync(`${cacheFile}.tmp`, Buffer.concat([createHash('sha256').update(data).digest(), data]));
  renameSync(`${cacheFile}.tmp`, cacheFile);
  if (process.env.CC_TRACE) console.error(`cc wrote ${data.length}`);
};
if (useCache && (!cachedData || script.cachedDataRejected)) {
  if (early) {
    const write = process.stdout.write;
    process.stdout.write = function (chunk, ...rest) {
      if (String(chunk).includes('mailroom is running')) {
        process.stdout.write = write;
        setImmediate(writeCache);
      }
      return write.call(this, chunk, ...rest);
    };
  } else setTimeout(writeCache, 1500).unref();
}

const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
