// docs/security.md embeds the host surface generated from the filter policy
// (`tsvisor syscalls --security`): it must be current, as docs/syscalls.md.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../lib/guest.js';

t.test('the generated part of docs/security.md is current (npm run docs)', (t) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'docs-security.mjs'), '--check'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr || 'docs/security.md differs from `tsvisor syscalls --security`: run npm run docs');
  t.end();
});
