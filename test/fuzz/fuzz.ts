// `npm run fuzz -- [--seconds N] [--seed S] [--isolation balanced|strict|both]
//  [--workers W] [--threads T] [--verbose]`: runs the syscall fuzzer for any
// duration, prints what it did and every problem found, exits 1 on a problem.
import { buildFuzzer, type Isolation, runFuzz, summary } from './harness.js';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

const seconds = Number(flag('seconds', '30'));
const seed = Number(flag('seed', String(Date.now() % 1_000_000)));
const iso = flag('isolation', 'both');
const isolations: Isolation[] = iso === 'both' ? ['balanced', 'strict'] : [iso as Isolation];
const verbose = process.argv.includes('--verbose');

const bin = buildFuzzer();
let failed = false;
for (const isolation of isolations) {
  process.stdout.write(`fuzz: ${isolation}, seed ${seed}, ${seconds} s\n`);
  const r = await runFuzz(
    {
      seed,
      seconds,
      isolation,
      workers: Number(flag('workers', '3')),
      threads: Number(flag('threads', '3')),
      guestEnv: verbose ? { FUZZ_VERBOSE: '1' } : {},
      onLine: verbose ? (l) => process.stdout.write(`  ${l}\n`) : undefined,
    },
    bin,
  );
  process.stdout.write(summary(r) + '\n');
  if (r.deaths) process.stdout.write(`  worker deaths by signal: ${r.deaths}\n`);
  if (r.problems.length) failed = true;
}
process.exit(failed ? 1 : 0);
