// The sentry's host signal primitives refuse process groups and "everyone":
// a host pid of 0 or below can only come from a bug (the fuzzer once made the
// sentry send kill(0, SIGKILL), its own process group), and as root kill(-1)
// would reach every process on the machine. prlimit(0) would be the sentry.
import t from 'tap';
import { kill, prlimit, sigqueue, tgkill } from '../../src/platform/host.js';

const ESRCH = 3;

t.test('kill, tgkill, sigqueue and prlimit refuse pids <= 0', (t) => {
  for (const pid of [0, -1, -process.pid]) {
    t.equal(kill(pid, 0), -ESRCH, `kill(${pid}, 0)`);
    t.equal(tgkill(pid, process.pid, 0), -ESRCH, `tgkill(${pid}, ...)`);
    t.equal(tgkill(process.pid, pid, 0), -ESRCH, `tgkill(..., ${pid})`);
    t.equal(sigqueue(pid, -1, 0, new Uint8Array(128)), -ESRCH, `sigqueue(${pid})`);
    t.equal(prlimit(pid, 4 /* RLIMIT_CORE */, 0, 0), -ESRCH, `prlimit(${pid})`);
  }
  t.equal(kill(process.pid, 0), 0, 'a real pid still works');
  t.end();
});
