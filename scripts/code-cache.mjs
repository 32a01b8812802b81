#!/usr/bin/env node
// Makes the V8 code cache of the `tsvisor run` bundle (src/cli/code-cache.ts)
// for the Node that runs this: by the build (scripts/bundle.mjs) and by
// `npm install` (scripts/install.mjs). First a run of `true`, which writes a
// cache of what a start-up compiles; where no sandbox can run here (a build
// container without ptrace...), a cache of every function. Without one
// tsvisor runs as well, only starts slower: a failure warns, never fails.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { hasCodeCache, writeEagerCodeCache } from '../dist/src/cli/code-cache.js';

const BUNDLE = 'dist/tsvisor-run.cjs';
rmSync('dist/tsvisor-run.v8cache', { force: true });
spawnSync(process.execPath, ['bin/run.cjs', 'run', '--', 'true'], { stdio: 'ignore', timeout: 60_000 });
if (!hasCodeCache(BUNDLE) && !(await writeEagerCodeCache(BUNDLE))) {
  console.error(`tsvisor: warning: could not write the code cache of ${BUNDLE} (start-up is ~15 ms slower without it)`);
}
