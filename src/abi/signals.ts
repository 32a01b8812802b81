// Linux signal numbers (x86_64 and arm64 share them) and names for --strace.

export const enum Sig {
  SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
  SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
  SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
  SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29,
  SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 32, SIGRTMAX = 64,
}

export const NSIG = 64;

const NAMES = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR',
  'SIGSYS',
];

export function signalName(sig: number): string {
  if (sig > 0 && sig < NAMES.length) return NAMES[sig]!;
  if (sig >= Sig.SIGRTMIN && sig <= Sig.SIGRTMAX) return sig === Sig.SIGRTMIN ? 'SIGRTMIN' : `SIGRTMIN+${sig - Sig.SIGRTMIN}`;
  return `${sig}`;
}

/** Accepts "TERM", "SIGTERM", "sigterm" or "15"; returns 0 when it is no signal. */
export function parseSignal(s: string): number {
  const t = s.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= NSIG ? n : 0;
  }
  const name = t.startsWith('SIG') ? t : `SIG${t}`;
  const i = NAMES.indexOf(name);
  if (i > 0) return i;
  const rt = /^SIGRTMIN(?:\+(\d+))?$/.exec(name);
  if (rt) {
    const n = Sig.SIGRTMIN + Number(rt[1] ?? 0);
    return n <= Sig.SIGRTMAX ? n : 0;
  }
  return name === 'SIGRTMAX' ? Sig.SIGRTMAX : 0;
}

/** Signals whose default action stops the process. */
export function isStopSignal(sig: number): boolean {
  return sig === Sig.SIGSTOP || sig === Sig.SIGTSTP || sig === Sig.SIGTTIN || sig === Sig.SIGTTOU;
}
