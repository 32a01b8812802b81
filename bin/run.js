#!/usr/bin/env node
// `run` is the hot path (every sandbox starts here): it loads one bundled
// module (scripts/bundle.mjs) instead of oclif and ~65 modules, with its V8
// code cache (src/cli/code-cache.ts), unless it needs help or error reporting.
// Every other command goes to oclif.
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);

async function oclif() {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}

if (args[0] === 'run') {
  let fastRun;
  let bundle = null;
  try {
    const { loadBundle } = await import('../dist/src/cli/code-cache.js');
    bundle = loadBundle(fileURLToPath(new URL('../dist/tsvisor-run.cjs', import.meta.url)));
    fastRun = bundle.exports.fastRun;
  } catch {
    ({ fastRun } = await import('../dist/src/cli/fast-run.js'));
  }
  const code = await fastRun(args.slice(1));
  if (code !== null) {
    process.exitCode = code;
    bundle?.refresh();
  } else await oclif();
} else {
  await oclif();
}
