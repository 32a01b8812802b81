#!/usr/bin/env node
// `run` is the hot path (every sandbox starts here): it loads one bundled
// module (scripts/bundle.mjs) instead of oclif and ~65 modules, unless it needs
// help or error reporting. Every other command goes to oclif.
import { createRequire } from 'node:module';

const args = process.argv.slice(2);

async function oclif() {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}

if (args[0] === 'run') {
  let fastRun;
  try {
    ({ fastRun } = createRequire(import.meta.url)('../dist/tsvisor-run.cjs'));
  } catch {
    ({ fastRun } = await import('../dist/src/cli/fast-run.js'));
  }
  const code = await fastRun(args.slice(1));
  if (code !== null) process.exitCode = code;
  else await oclif();
} else {
  await oclif();
}
