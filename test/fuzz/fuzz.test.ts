// The syscall fuzzer's bounded CI run: about 25 s of random system calls per
// isolation mode (test/fuzz/fuzz.c under test/fuzz/harness.ts), judged for
// hangs, crashes, leaked host fds, memory growth, changes to the lower layer
// and guests that outlive the sandbox. `npm run fuzz` runs it for any duration.
//
// TSV_FUZZ_SEED picks the seed (default 1, so CI failures reproduce);
// TSV_FUZZ_SECONDS the duration per mode. The run is skipped only when
// TSV_SKIP_FUZZ=1 says so.
import t from 'tap';
import { HOST_CONTINUED } from '../../src/syscalls/surface.js';
import { buildFuzzer, type Isolation, runFuzz, summary } from './harness.js';

const seed = Number(process.env.TSV_FUZZ_SEED ?? 1);
const seconds = Number(process.env.TSV_FUZZ_SECONDS ?? 30);

if (process.env.TSV_SKIP_FUZZ === '1') {
  t.test('syscall fuzzer', { skip: 'TSV_SKIP_FUZZ=1 was set' }, () => {});
} else {
  const bin = buildFuzzer();
  for (const isolation of ['balanced', 'strict'] as const) {
    t.test(`${isolation}: ${seconds} s of random system calls, seed ${seed}`, async (t) => {
      const r = await runFuzz({ seed, seconds, isolation }, bin);
      t.comment(summary(r));
      t.same(r.problems, [], 'no hang, crash, leak or escape');
      t.ok(r.iterations > 1000 * seconds, `the fuzzer made calls (${r.iterations})`);
      t.ok(r.workersSpawned >= 3, 'workers ran');
      // Every call the sentry let the host run must be one the security
      // surface (docs/security.md) says it may.
      if (r.report) t.same(undocumentedContinues(r.report.continued, isolation), [], 'every host-continued call is in src/syscalls/surface.ts');
    });
  }
}

/** Calls the sentry let the host run that the documented surface does not list for this mode. */
function undocumentedContinues(continued: Record<string, number>, isolation: Isolation): string[] {
  return Object.keys(continued).filter((name) => {
    const c = HOST_CONTINUED[name];
    return !c || (c.strictOnly && isolation !== 'strict');
  });
}
