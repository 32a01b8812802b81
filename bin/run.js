#!/usr/bin/env node
// `run` is the hot path (every sandbox starts here): it skips loading oclif
// unless it needs help or error reporting. Every other command goes to oclif.
const args = process.argv.slice(2);
if (args[0] === 'run') {
  const { fastRun } = await import('../dist/src/cli/fast-run.js');
  const code = await fastRun(args.slice(1));
  if (code !== null) {
    process.exitCode = code;
  } else {
    const { execute } = await import('@oclif/core');
    await execute({ dir: import.meta.url });
  }
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
