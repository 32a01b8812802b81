// Regression programs for what the syscall fuzzer found (test/fuzz/regress/):
// each states its finding at the top, runs in both isolation modes, and must
// print "done" last and exit 0, promptly (a hang is the failure several of
// them guard against), with no internal error of the sentry.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { compileGuest, ISOLATIONS, ROOT, runTsvisor } from '../lib/guest.js';

const DIR = join(ROOT, 'test', 'fuzz', 'regress');
const programs = readdirSync(DIR)
  .filter((f) => f.endsWith('.c'))
  .map((f) => f.slice(0, -2))
  .sort();

for (const name of programs) {
  t.test(name, (t) => {
    const bin = compileGuest(name, DIR);
    for (const iso of ISOLATIONS) {
      const r = runTsvisor([bin], ['--isolation', iso], { timeoutMs: 60000 });
      t.equal(r.code, 0, `${iso}: exit status`);
      t.match(r.stdout, /(^|\n)done\n$/, `${iso}: finished`);
      t.notMatch(r.stderr, /internal error|unknown host task/, `${iso}: the sentry reported nothing wrong`);
      if (r.code !== 0) t.comment(r.stderr);
    }
    t.end();
  });
}
