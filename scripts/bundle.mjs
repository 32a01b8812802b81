#!/usr/bin/env node
// Bundles the `tsvisor run` fast path into one file: loading ~65 ES modules
// costs ~50 ms at every sandbox start, one bundled module a few.
//
// CommonJS, not ESM: esbuild hoists every `import` of a Node built-in to the
// top of an ESM bundle, so a module loaded only on demand (image: zlib,
// crypto, streams) would still load its built-ins at every start; in a CJS
// bundle they load with the module. ESM's facades of built-ins (node:fs's
// reads every lazy getter) are skipped too (docs/performance.md, W6).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { precompilePolicies } from '../dist/src/platform/policy.js';

// The seccomp filters of both policies, compiled now by the same module the
// bundle holds (src/platform/policy.ts), so a start does not compile them;
// none on a host arch tsvisor does not support (it compiles, and refuses, there).
let policies = 'undefined';
try {
  policies = JSON.stringify(precompilePolicies());
} catch {
  // an unsupported arch
}

await build({
  entryPoints: ['dist/src/cli/fast-run.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/tsvisor-run.cjs',
  logLevel: 'warning',
  legalComments: 'none',
  // The one use, finding the package root (platform/native.ts), wants this file's URL.
  define: { 'import.meta.url': '__tsvisorBundleUrl', TSVISOR_PRECOMPILED_POLICIES: policies },
  // Strict mode first: the modules were written as ESM, which is always strict.
  banner: { js: '"use strict";\nconst __tsvisorBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The code-cache loader bin/run.cjs requires before the bundle (src/cli/code-cache.ts).
await build({
  entryPoints: ['dist/src/cli/code-cache.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/tsvisor-loader.cjs',
  logLevel: 'warning',
  legalComments: 'none',
});
// The ESM bundle of earlier builds: nothing loads it any more.
rmSync('dist/tsvisor-run.js', { force: true });

// The first line names this build (a hash of the rest): a code cache made for
// another build is never used, even if V8 would take it (src/cli/code-cache.ts).
const out = 'dist/tsvisor-run.cjs';
const text = readFileSync(out, 'utf8');
const id = createHash('sha256').update(text).digest('hex');
writeFileSync(out, `// tsvisor-bundle ${id}\n${text}`);
// In a process of its own: it runs a sandbox, or compiles with V8's --no-lazy.
spawnSync(process.execPath, ['scripts/code-cache.mjs'], { stdio: 'inherit' });
