// The host kernel surface a guest reaches, per isolation mode, derived from
// the filter policy (src/platform/policy.ts) and the sentry's table: what the
// filter lets run natively, what the tracer runs after rewriting it, what the
// kernel exempts from seccomp, and which trapped calls the sentry lets the
// host run as the guest issued them (CONTINUE), and when. docs/security.md
// embeds this (`tsvisor syscalls --security`); the fuzzer checks that every
// call it saw the sentry continue is listed here.
import { archInfo } from '../abi/arch/index.js';
import { classification, type Isolation, SECCOMP_EXEMPT, verdictOf } from '../platform/policy.js';

/**
 * Trapped calls the sentry may let the host run as issued, with the condition.
 * The rule (design §3): only where the registers alone decide what happens,
 * after the sentry checked them against its own state; never on the strength
 * of guest memory the guest can still change. `strictOnly`: data transfer,
 * which the balanced filter lets run natively anyway.
 */
export const HOST_CONTINUED: Record<string, { when: string; strictOnly?: boolean }> = {
  close: { when: 'after the fd left the virtual table (and the loader closing its exec slots)' },
  dup: { when: 'when the host will pick the number the virtual table picked (fd table not shared)' },
  dup2: { when: 'both fds checked against the virtual table; the target is below the platform\'s reserved fds' },
  dup3: { when: 'both fds checked against the virtual table; the target is below the platform\'s reserved fds' },
  fcntl: { when: 'on a held fd: F_DUPFD(_CLOEXEC) as for dup, F_SETFD, F_SETLK(W), F_OFD_SETLK(W), F_GET/SETPIPE_SZ, F_ADD/GET_SEALS, F_GET/SETSIG' },
  ioctl: { when: 'on a held fd: FIOCLEX, FIONCLEX, FIOASYNC, FIONREAD; on a held terminal: TCGETS(2), TCSETS(W/F), TCSBRK, TCXONC, TCFLSH, TIOCOUTQ, TIOCG/SWINSZ, TIOCGPTN' },
  flock: { when: 'on a held fd' },
  rt_sigaction: { when: 'always (SIGCHLD after the sentry recorded the action; the other signals never trap)' },
  prctl: { when: 'PR_SET_NAME, PR_SET_SECCOMP, PR_GET/SET_TIMERSLACK, PR_GET/SET_THP_DISABLE, PR_GET/SET_SPECULATION_CTRL, PR_SET_VMA, PR_MCE_KILL(_GET)' },
  seccomp: { when: 'always: a guest filter can only restrict further (a second listener is refused by the kernel, EBUSY)' },
  getrusage: { when: 'RUSAGE_SELF and RUSAGE_THREAD' },
  sched_getaffinity: { when: 'pid 0 (the caller)' },
  sched_setaffinity: { when: 'pid 0 (the caller)' },
  sched_getparam: { when: 'pid 0 (the caller)' },
  sched_setparam: { when: 'pid 0 (the caller)' },
  sched_getscheduler: { when: 'pid 0 (the caller)' },
  sched_setscheduler: { when: 'pid 0 (the caller), not a real-time or deadline policy' },
  sched_getattr: { when: 'pid 0 (the caller)' },
  sched_rr_get_interval: { when: 'pid 0 (the caller)' },
  sched_get_priority_max: { when: 'always' },
  sched_get_priority_min: { when: 'always' },
  getpriority: { when: 'who 0 (the caller)' },
  setpriority: { when: 'who 0 (the caller), nice 0 or above' },
  ioprio_get: { when: 'who 0 (the caller)' },
  ioprio_set: { when: 'who 0 (the caller), not the real-time class' },
  read: { when: 'on a held pipe, terminal or other stream (regular files: the sentry reads)', strictOnly: true },
  write: { when: 'on a held pipe, terminal or other stream (regular files: the sentry writes)', strictOnly: true },
  pread64: { when: 'on a held stream (the host answers ESPIPE or reads a device)', strictOnly: true },
  pwrite64: { when: 'on a held stream (the host answers ESPIPE or writes a device)', strictOnly: true },
  readv: { when: 'on a held stream', strictOnly: true },
  writev: { when: 'on a held stream', strictOnly: true },
  preadv: { when: 'on a held stream', strictOnly: true },
  pwritev: { when: 'on a held stream', strictOnly: true },
  preadv2: { when: 'on a held stream', strictOnly: true },
  pwritev2: { when: 'on a held stream', strictOnly: true },
  fallocate: { when: 'on a held fd', strictOnly: true },
  fsync: { when: 'on a held fd', strictOnly: true },
  fdatasync: { when: 'on a held fd', strictOnly: true },
  sync_file_range: { when: 'on a held fd', strictOnly: true },
  fadvise64: { when: 'on a held fd', strictOnly: true },
  readahead: { when: 'on a held fd', strictOnly: true },
  vmsplice: { when: 'on a held fd', strictOnly: true },
  sendfile: { when: 'both fds held', strictOnly: true },
  splice: { when: 'both fds held', strictOnly: true },
  tee: { when: 'both fds held', strictOnly: true },
  copy_file_range: { when: 'both fds held', strictOnly: true },
  epoll_ctl: { when: 'both fds held', strictOnly: true },
  epoll_wait: { when: 'on a held fd', strictOnly: true },
  epoll_pwait: { when: 'on a held fd', strictOnly: true },
  epoll_pwait2: { when: 'on a held fd', strictOnly: true },
  timerfd_settime: { when: 'on a held fd', strictOnly: true },
  timerfd_gettime: { when: 'on a held fd', strictOnly: true },
  poll: { when: 'always: only fds the guest holds exist in its host table (the loader\'s O_PATH slot answers POLLNVAL)', strictOnly: true },
  ppoll: { when: 'always, as poll', strictOnly: true },
  select: { when: 'always, as poll', strictOnly: true },
  pselect6: { when: 'always, as poll', strictOnly: true },
};

/** How the traced calls reach the host (native/addon/tracer.cc). */
export const TRACED_HOW: Record<string, string> = {
  clone: 'after the sentry allowed the flags (no namespaces, no CLONE_PIDFD): with CLONE_PARENT added and CLONE_UNTRACED/CLONE_PTRACE removed',
  fork: 'rewritten to clone(SIGCHLD | CLONE_PARENT)',
  vfork: 'rewritten to clone(CLONE_VM | CLONE_VFORK | SIGCHLD | CLONE_PARENT)',
  execve: 'never as issued: rewritten to execveat of the loader\'s fd; the new image is checked to be the loader before it runs',
  execveat: 'as execve',
  set_tid_address: 'as issued; the tracer rewrites the result to the virtual tid',
  close_range: 'with the range clamped below the platform\'s reserved fds',
};

export interface SurfaceRow {
  name: string;
  nr: number;
  /** How the guest's call reaches the host kernel in this mode. */
  how: 'native' | 'native-if' | 'traced' | 'continued' | 'exempt';
  note: string;
}

/** The calls a guest can make the host kernel run for it, under one policy. */
export function hostSurface(isolation: Isolation): SurfaceRow[] {
  const arch = archInfo();
  const cls = classification(arch);
  const rows: SurfaceRow[] = [];
  for (const [name, nr] of Object.entries(arch.syscalls).sort((a, b) => a[1] - b[1])) {
    const c = cls.byName.get(name)!;
    const rule = cls.argRules[name];
    if (SECCOMP_EXEMPT.includes(name)) {
      rows.push({ name, nr, how: 'exempt', note: 'the kernel runs it whatever the filter says' });
      continue;
    }
    if (rule) {
      const onMatch = verdictOf(rule.match, isolation);
      const otherwise = verdictOf(rule.otherwise, isolation);
      if (onMatch === 'allow' || otherwise === 'allow') {
        const cont = HOST_CONTINUED[name];
        rows.push({
          name,
          nr,
          how: 'native-if',
          note: `native unless (arg${rule.arg} & 0x${rule.mask.toString(16)}) is ${rule.values.join('/')}${cont ? `; then continued ${cont.when}` : ', then answered by the sentry'}`,
        });
        continue;
      }
    }
    const v = verdictOf(c, isolation);
    if (v === 'allow') rows.push({ name, nr, how: 'native', note: '' });
    else if (v === 'trace') rows.push({ name, nr, how: 'traced', note: TRACED_HOW[name] ?? '' });
    else {
      const cont = HOST_CONTINUED[name];
      if (cont && (!cont.strictOnly || isolation === 'strict')) rows.push({ name, nr, how: 'continued', note: cont.when });
    }
  }
  return rows;
}

/** Calls the sentry answers without the host ever running them for the guest. */
export function sentryOnly(isolation: Isolation): string[] {
  const reach = new Set(hostSurface(isolation).map((r) => r.name));
  return Object.keys(archInfo().syscalls).filter((n) => !reach.has(n));
}
