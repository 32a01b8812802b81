#!/usr/bin/env node
// `npm install` of this package: build the native addon and the loader
// (node-gyp, nothing downloaded), then, in a checkout (src/ present and
// TypeScript installed), compile and bundle the TypeScript. A published
// package ships dist/ and only builds the native parts.
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
  run(process.execPath, ['scripts/bundle.mjs']);
}
