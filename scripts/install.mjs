#!/usr/bin/env node
// `npm install` of this package: build the native addon and the loader
// (node-gyp, nothing downloaded), then, in a checkout (src/ present and
// TypeScript installed), compile and bundle the TypeScript. A published
// package ships dist/ and only builds the native parts. Either way the run
// bundle's V8 code cache is made for this Node (scripts/code-cache.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`tsvisor: ${cmd} ${args.join(' ')} failed${r.error ? `: ${r.error.message}` : ''}`);
    process.exit(r.status ?? 1);
  }
}

run('node-gyp', ['rebuild']);
const require = createRequire(import.meta.url);
let hasTsc = false;
try {
  require.resolve('typescript');
  hasTsc = true;
} catch {
  // a published install: dist/ is in the package
}
if (existsSync('src') && hasTsc) {
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
  run(process.execPath, ['scripts/bundle.mjs']); // also writes the code cache
} else {
  // The shipped bundle's V8 code cache, for this Node (a warning, never a failure).
  spawnSync(process.execPath, ['scripts/code-cache.mjs'], { stdio: 'inherit' });
}
