// The run bundle's V8 code cache (src/cli/code-cache.ts): a cache is used only
// for the build it was made for, on this Node; a missing, foreign, corrupt or
// stale one never changes what the bundle does, and a run that found none
// writes one the next run can use. Each load runs in a child process: V8
// keeps compiled scripts per process, which would hide what a fresh start sees.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheHeader, cachePathOf } from '../../src/cli/code-cache.js';

const MODULE = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/cli/code-cache.js');

/** A bundle as scripts/bundle.mjs writes one: a build line, then CommonJS whose fastRun returns `value`. */
function bundleText(value: number): string {
  const body = `"use strict";\nexports.fastRun = async () => ${value};\nexports.strict = (function () { return this === undefined; })();\n`;
  return `// tsvisor-bundle ${createHash('sha256').update(body).digest('hex')}\n${body}`;
}

/** Loads the bundle in a fresh Node: what fastRun returned, why the cache was not used, whether refresh wrote. */
function load(bundle: string, refresh = false): { value: number; miss: string | null; wrote: boolean; strict: boolean } {
  const code = `
    const { loadBundle } = await import(${JSON.stringify(MODULE)});
    const b = loadBundle(${JSON.stringify(bundle)});
    const value = await b.exports.fastRun([]);
    const wrote = ${refresh} ? b.refresh() : false;
    console.log(JSON.stringify({ value, miss: b.miss, wrote, strict: b.exports.strict }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { value: number; miss: string | null; wrote: boolean; strict: boolean };
}

function tempBundle(t: { teardown(f: () => void): void }, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvisor-code-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'run.cjs');
  writeFileSync(bundle, text);
  return bundle;
}

t.test('a run without a cache writes one, and the next run uses it', (t) => {
  const bundle = tempBundle(t, bundleText(7));
  t.same(load(bundle, true), { value: 7, miss: 'missing', wrote: true, strict: true });
  t.ok(existsSync(cachePathOf(bundle)));
  t.same(load(bundle, true), { value: 7, miss: null, wrote: false, strict: true }, 'used, and left as it is');
  t.end();
});

t.test('a cache of another build is not used, even of the same length', (t) => {
  const bundle = tempBundle(t, bundleText(1));
  load(bundle, true);
  const old = readFileSync(cachePathOf(bundle));
  writeFileSync(bundle, bundleText(2)); // same length, other code
  t.equal(readFileSync(bundle).length, bundleText(1).length);
  t.same(load(bundle, true), { value: 2, miss: 'other-build', wrote: true, strict: true }, 'the new code runs, a new cache is written');
  t.notSame(readFileSync(cachePathOf(bundle)), old);
  t.equal(load(bundle).miss, null);
  t.end();
});

t.test('a corrupt cache with the right header is rejected by V8 and replaced', (t) => {
  const bundle = tempBundle(t, bundleText(3));
  writeFileSync(cachePathOf(bundle), Buffer.concat([Buffer.from(cacheHeader(bundleText(3))!), Buffer.alloc(4096, 0x5a)]));
  t.same(load(bundle, true), { value: 3, miss: 'rejected', wrote: true, strict: true });
  t.equal(load(bundle).miss, null);
  t.end();
});

t.test('a truncated or empty cache file is not used', (t) => {
  const bundle = tempBundle(t, bundleText(4));
  writeFileSync(cachePathOf(bundle), cacheHeader(bundleText(4))!);
  t.equal(load(bundle).miss, 'other-build');
  writeFileSync(cachePathOf(bundle), '');
  t.equal(load(bundle).miss, 'other-build');
  t.end();
});

t.test('a bundle without a build line runs without a cache and never writes one', (t) => {
  const bundle = tempBundle(t, '"use strict";\nexports.fastRun = async () => 5;\nexports.strict = true;\n');
  t.same(load(bundle, true), { value: 5, miss: 'no-build-id', wrote: false, strict: true });
  t.notOk(existsSync(cachePathOf(bundle)));
  t.end();
});

t.test('the cache header names the build, the Node and the architecture', (t) => {
  const h = cacheHeader(bundleText(9))!;
  t.match(h, /^tsvisor-code-cache 1 [0-9a-f]{64} v\d+\.\d+\.\d+ \S+ \S+\n$/);
  t.ok(h.includes(process.version) && h.includes(process.arch));
  t.equal(cacheHeader('exports.x = 1;\n'), null);
  t.end();
});

t.test('the eager cache (builds that cannot run a sandbox) is accepted by a run', (t) => {
  const bundle = tempBundle(t, bundleText(6));
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    const { writeEagerCodeCache } = await import(${JSON.stringify(MODULE)});
    process.exit((await writeEagerCodeCache(${JSON.stringify(bundle)})) ? 0 : 1);`]);
  t.equal(r.status, 0, r.stderr.toString());
  t.same(load(bundle), { value: 6, miss: null, wrote: false, strict: true });
  t.end();
});
