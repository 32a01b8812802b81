// Differential tests: every C program in test/guest/ runs natively and under
// tsvisor in both isolation modes; exit status and stdout must match. The host
// kernel is the oracle. A program's second line may be `// args: ...`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { compileGuest, GUEST_SRC, ISOLATIONS, runNative, runTsvisor } from './lib/guest.js';

const only = process.env.TSV_GUEST?.split(',');
const programs = readdirSync(GUEST_SRC)
  .filter((f) => f.endsWith('.c'))
  .map((f) => f.slice(0, -2))
  .filter((n) => !only || only.includes(n))
  .sort();

for (const name of programs) {
  t.test(name, (t) => {
    const bin = compileGuest(name);
    const lines = readFileSync(join(GUEST_SRC, `${name}.c`), 'utf8').split('\n').slice(0, 3);
    const argsLine = lines.find((l) => l.startsWith('// args: '));
    const args = argsLine ? argsLine.slice('// args: '.length).trim().split(/\s+/) : [];
    const native = runNative([bin, ...args]);
    for (const iso of ISOLATIONS) {
      const got = runTsvisor([bin, ...args], ['--isolation', iso]);
      t.equal(got.code, native.code, `${iso}: exit status`);
      t.equal(got.stdout, native.stdout, `${iso}: stdout`);
      if (got.code !== native.code || got.stdout !== native.stdout) t.comment(got.stderr);
    }
    t.end();
  });
}
