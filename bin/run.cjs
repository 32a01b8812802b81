#!/usr/bin/env node
// The tsvisor command. CommonJS, so a start-up skips Node's ES module loader
// (~4 ms). `run` is the hot path (every sandbox starts here): it loads one
// bundled module (scripts/bundle.mjs) with its V8 code cache
// (src/cli/code-cache.ts) instead of oclif and ~130 modules, unless it needs
// help or error reporting. Every other command goes to oclif.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const args = process.argv.slice(2);

async function oclif() {
  const { execute } = await import('@oclif/core');
  await execute({ dir: pathToFileURL(__filename).href });
}

async function main() {
  if (args[0] !== 'run') return oclif();
  let fastRun;
  let bundle = null;
  try {
    const { loadBundle } = require('../dist/tsvisor-loader.cjs');
    bundle = loadBundle(join(__dirname, '../dist/tsvisor-run.cjs'));
    fastRun = bundle.exports.fastRun;
  } catch {
    // Not bundled (a build that ran tsc only): the same code as ES modules.
    ({ fastRun } = await import('../dist/src/cli/fast-run.js'));
  }
  const code = await fastRun(args.slice(1));
  if (code === null) return oclif();
  process.exitCode = code;
  bundle?.refresh();
}

main();
