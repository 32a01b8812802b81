#!/usr/bin/env node
// Bundles the `tsvisor run` fast path into one file: loading ~65 ES modules
// costs ~50 ms at every sandbox start, one bundled module a few.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/fast-run.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/tsvisor-run.js',
  logLevel: 'warning',
  legalComments: 'none',
});
