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
import { rmSync } from 'node:fs';

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
  define: { 'import.meta.url': '__tsvisorBundleUrl' },
  banner: { js: 'const __tsvisorBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The ESM bundle of earlier builds: nothing loads it any more.
rmSync('dist/tsvisor-run.js', { force: true });
