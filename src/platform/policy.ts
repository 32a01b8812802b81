// The two filter policies as data, and their compilation to seccomp BPF.
//
// Every system call of the architecture is classified exactly once:
//   native  runs on the host in both policies (memory, futex, time, exit,
//           the caller's own signal state): nothing in it names anything.
//   data    pure data transfer on a descriptor the guest already holds: native
//           in `balanced`, trapped in `strict` (the sentry performs it).
//   trace   needs a register rewrite or a task's life followed: RET_TRACE to
//           the tracer thread (clone, fork, vfork, execve, execveat,
//           set_tid_address, close_range, clamped below the platform's fds,
//           and rt_sigtimedwait, whose siginfo of a sentry-sent signal is
//           fixed at its exit).
//   sentry  trapped and answered by the sentry (USER_NOTIF) in both policies.
// Numbers the table does not know, x32 numbers, and anything above the table
// are trapped (the sentry answers ENOSYS and counts them). A foreign
// architecture (int 0x80, i386) kills the process.
import { BpfAssembler, encode, type Insn, Op, SECCOMP_DATA } from './bpf.js';
import { archInfo, type ArchInfo } from '../abi/arch/index.js';
import { Sig } from '../abi/signals.js';

export type Isolation = 'balanced' | 'strict';
export type SyscallClass = 'native' | 'data' | 'trace' | 'sentry';

/** A rule that looks at one argument: (arg & mask) ∈ values → `match`, else `otherwise`. */
export interface ArgRule {
  arg: number;
  mask: number;
  values: number[];
  /** Also require the argument's upper 32 bits to be zero (a NULL pointer test). */
  wide?: boolean;
  match: SyscallClass;
  otherwise: SyscallClass;
}

const NATIVE = `
  mmap mprotect munmap brk mremap msync mincore madvise mlock munlock mlockall munlockall mlock2
  membarrier pkey_mprotect pkey_alloc pkey_free map_shadow_stack mseal mbind set_mempolicy
  get_mempolicy set_mempolicy_home_node remap_file_pages cachestat
  futex futex_waitv futex_wake futex_wait futex_requeue set_robust_list
  clock_gettime clock_getres gettimeofday time nanosleep clock_nanosleep getitimer setitimer alarm
  timer_settime timer_gettime timer_getoverrun timer_delete
  exit exit_group
  rt_sigaction rt_sigreturn rt_sigprocmask sigaltstack rt_sigpending rt_sigsuspend pause restart_syscall
  sched_yield getcpu getrandom arch_prctl rseq
  uretprobe uprobe
`;
// uretprobe and uprobe (Linux 6.11 and 6.17) are exempt from seccomp: the
// kernel runs them whatever a filter says, so they are listed as what they
// are. Called from anywhere but the kernel's own probe trampoline they kill
// the caller with SIGILL (uretprobe) or fail with ENXIO (uprobe); found by the
// syscall fuzzer, whose workers died of SIGILL inside the sandbox.
export const SECCOMP_EXEMPT: readonly string[] = ['uretprobe', 'uprobe'];

const DATA = `
  read write pread64 pwrite64 readv writev preadv pwritev preadv2 pwritev2 lseek
  sendfile splice tee vmsplice copy_file_range
  poll ppoll select pselect6 epoll_wait epoll_pwait epoll_pwait2 epoll_ctl
  fsync fdatasync sync_file_range ftruncate fallocate fadvise64 readahead
  timerfd_settime timerfd_gettime
`;

const TRACE = `clone fork vfork execve execveat set_tid_address close_range rt_sigtimedwait`;

const SENTRY = `
  open close stat fstat lstat ioctl access pipe dup dup2 getpid socket connect accept sendto recvfrom
  sendmsg recvmsg shutdown bind listen getsockname getpeername socketpair setsockopt getsockopt
  wait4 kill uname fcntl flock truncate getdents getcwd chdir fchdir rename mkdir rmdir creat link
  unlink symlink readlink chmod fchmod chown fchown lchown umask getrlimit getrusage sysinfo times
  ptrace getuid syslog getgid setuid setgid geteuid getegid setpgid getppid getpgrp setsid setreuid
  setregid getgroups setgroups setresuid getresuid setresgid getresgid getpgid setfsuid setfsgid
  getsid capget capset rt_sigqueueinfo utime mknod uselib personality ustat statfs fstatfs sysfs
  getpriority setpriority sched_setparam sched_getparam sched_setscheduler sched_getscheduler
  sched_get_priority_max sched_get_priority_min sched_rr_get_interval vhangup modify_ldt pivot_root
  _sysctl prctl adjtimex setrlimit chroot sync acct settimeofday mount umount2 swapon swapoff reboot
  sethostname setdomainname iopl ioperm create_module init_module delete_module get_kernel_syms
  query_module quotactl nfsservctl getpmsg putpmsg afs_syscall tuxcall security gettid setxattr
  lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr removexattr
  lremovexattr fremovexattr tkill sched_setaffinity sched_getaffinity set_thread_area io_setup
  io_destroy io_getevents io_submit io_cancel get_thread_area lookup_dcookie epoll_create
  epoll_ctl_old epoll_wait_old getdents64 semtimedop timer_create clock_settime tgkill utimes vserver
  mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr kexec_load waitid add_key
  request_key keyctl ioprio_set ioprio_get inotify_init inotify_add_watch inotify_rm_watch
  migrate_pages openat mkdirat mknodat fchownat futimesat newfstatat unlinkat renameat linkat
  symlinkat readlinkat fchmodat faccessat unshare get_robust_list move_pages utimensat signalfd
  timerfd_create eventfd accept4 signalfd4 eventfd2 epoll_create1 dup3 pipe2 inotify_init1
  rt_tgsigqueueinfo perf_event_open recvmmsg fanotify_init fanotify_mark prlimit64 name_to_handle_at
  open_by_handle_at clock_adjtime syncfs sendmmsg setns process_vm_readv process_vm_writev kcmp
  finit_module sched_setattr sched_getattr renameat2 seccomp memfd_create kexec_file_load bpf
  userfaultfd statx io_pgetevents pidfd_send_signal io_uring_setup io_uring_enter io_uring_register
  open_tree move_mount fsopen fsconfig fsmount fspick pidfd_open clone3 openat2
  pidfd_getfd faccessat2 process_madvise mount_setattr quotactl_fd landlock_create_ruleset
  landlock_add_rule landlock_restrict_self memfd_secret process_mrelease fchmodat2 statmount
  listmount lsm_get_self_attr lsm_set_self_attr lsm_list_modules setxattrat getxattrat listxattrat
  removexattrat open_tree_attr file_getattr file_setattr
  shmget shmat shmctl shmdt semget semop semctl msgget msgsnd msgrcv msgctl
`;

// Trapped calls that can block interruptibly on Linux: a signal may end them
// with EINTR (or restart them, per SA_RESTART), so a notification interrupted
// before the sentry took it may end the same way. Every other trapped call
// never fails with EINTR natively (close, open of a file, stat...): when a
// signal interrupts its notification, the tracer makes the kernel restart it
// after the handler (native/addon/tracer.cc: OnSignalDelivery), since the
// sentry never saw it.
const INTERRUPTIBLE = `
  read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 sendfile splice tee vmsplice
  poll ppoll select pselect6 epoll_wait epoll_pwait epoll_pwait2 wait4 waitid
  connect accept accept4 sendto recvfrom sendmsg recvmsg recvmmsg sendmmsg
  flock fcntl ioctl semop semtimedop msgsnd msgrcv mq_timedsend mq_timedreceive io_getevents io_pgetevents
`;

/** Argument-dependent rules, applied on top of the class tables. */
const ARG_RULES: Record<string, ArgRule> = {
  // The sentry owns SIGCHLD semantics (SIG_IGN, SA_NOCLDWAIT): it sees those
  // calls; every other disposition stays with the host.
  rt_sigaction: { arg: 0, mask: 0xffffffff, values: [Sig.SIGCHLD], match: 'sentry', otherwise: 'native' },
  // Priority-inheritance futexes carry owner tids, which are virtual here: the
  // sentry answers them (ENOSYS, so glibc reports PI mutexes as unsupported).
  futex: { arg: 1, mask: 0x7f, values: [6, 7, 8, 11, 12, 13], match: 'sentry', otherwise: 'native' },
  // Data on a socket with no address (send/recv on a connection) is data
  // transfer; with an address the sentry must translate it. Both halves of
  // the pointer are tested: a non-NULL address never runs natively.
  sendto: { arg: 4, mask: 0xffffffff, values: [0], wide: true, match: 'data', otherwise: 'sentry' },
  recvfrom: { arg: 4, mask: 0xffffffff, values: [0], wide: true, match: 'data', otherwise: 'sentry' },
};

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

export interface Classification {
  readonly byName: ReadonlyMap<string, SyscallClass>;
  readonly argRules: Readonly<Record<string, ArgRule>>;
}

/** The classification table itself, checked to cover the architecture exactly once. */
export function classification(arch: ArchInfo = archInfo()): Classification {
  const byName = new Map<string, SyscallClass>();
  const groups: [SyscallClass, string][] = [['native', NATIVE], ['data', DATA], ['trace', TRACE], ['sentry', SENTRY]];
  for (const [cls, list] of groups) {
    for (const name of words(list)) {
      if (byName.has(name)) throw new Error(`policy: ${name} classified twice`);
      if (arch.syscalls[name] === undefined) throw new Error(`policy: ${name} is not a ${arch.name} system call`);
      byName.set(name, cls);
    }
  }
  for (const name of Object.keys(arch.syscalls)) {
    if (!byName.has(name)) throw new Error(`policy: ${name} is not classified`);
  }
  return { byName, argRules: ARG_RULES };
}

export type Verdict = 'allow' | 'notify' | 'trace' | 'kill';

/** What a policy does with one class. */
export function verdictOf(cls: SyscallClass, isolation: Isolation): Verdict {
  switch (cls) {
    case 'native':
      return 'allow';
    case 'data':
      return isolation === 'balanced' ? 'allow' : 'notify';
    case 'trace':
      return 'trace';
    case 'sentry':
      return 'notify';
  }
}

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
/** SECCOMP_RET_DATA of our RET_TRACE rules; the tracer checks it (native/addon/tracer.cc). */
export const TRACE_MAGIC = 0x7473;

function retOf(v: Verdict): number {
  switch (v) {
    case 'allow':
      return SECCOMP_RET_ALLOW;
    case 'notify':
      return SECCOMP_RET_USER_NOTIF;
    case 'trace':
      return (SECCOMP_RET_TRACE | TRACE_MAGIC) >>> 0;
    case 'kill':
      return SECCOMP_RET_KILL_PROCESS;
  }
}

type Leaf = { kind: 'ret'; verdict: Verdict } | { kind: 'arg'; rule: ArgRule };

function sameLeaf(a: Leaf, b: Leaf): boolean {
  if (a.kind === 'ret' && b.kind === 'ret') return a.verdict === b.verdict;
  return a.kind === 'arg' && b.kind === 'arg' && a.rule === b.rule;
}

interface Range {
  lo: number;
  hi: number; // inclusive
  leaf: Leaf;
}

/** The decision for every syscall number 0..max, merged into runs. */
export function ranges(isolation: Isolation, arch: ArchInfo = archInfo()): Range[] {
  const cls = classification(arch);
  const byNr = new Map<number, string>();
  for (const [name, nr] of Object.entries(arch.syscalls)) byNr.set(nr, name);
  const out: Range[] = [];
  for (let nr = 0; nr <= arch.maxSyscall; nr++) {
    const name = byNr.get(nr);
    let leaf: Leaf;
    if (name === undefined) leaf = { kind: 'ret', verdict: 'notify' };
    else if (cls.argRules[name]) leaf = { kind: 'arg', rule: cls.argRules[name]! };
    else leaf = { kind: 'ret', verdict: verdictOf(cls.byName.get(name)!, isolation) };
    const last = out[out.length - 1];
    if (last && last.hi === nr - 1 && sameLeaf(last.leaf, leaf)) last.hi = nr;
    else out.push({ lo: nr, hi: nr, leaf });
  }
  return out;
}

/**
 * Compiles a policy: arch check, x32 check, then a binary search over the
 * ranges (log2(ranges) comparisons per call). Far branches go through JA.
 */
export function compile(isolation: Isolation, arch: ArchInfo = archInfo()): Insn[] {
  const asm = new BpfAssembler();
  const rs = ranges(isolation, arch);
  const goodArch = asm.label('good-arch');
  asm.ld(SECCOMP_DATA.arch).jump(Op.JMP_JEQ_K, arch.auditArch, goodArch, 'next').ret(SECCOMP_RET_KILL_PROCESS).bind(goodArch);
  asm.ld(SECCOMP_DATA.nr);
  if (arch.x32Bit) {
    const notX32 = asm.label('not-x32');
    asm.jump(Op.JMP_JSET_K, arch.x32Bit, 'next', notX32).ret(SECCOMP_RET_USER_NOTIF).bind(notX32);
  }
  const known = asm.label('known');
  asm.jump(Op.JMP_JGT_K, arch.maxSyscall, 'next', known).ret(SECCOMP_RET_USER_NOTIF).bind(known);

  const emitLeaf = (leaf: Leaf) => {
    if (leaf.kind === 'ret') {
      asm.ret(retOf(leaf.verdict));
      return;
    }
    const r = leaf.rule;
    const miss = retOf(verdictOf(r.otherwise, isolation));
    const hitRet = retOf(verdictOf(r.match, isolation));
    if (miss === hitRet) {
      asm.ret(hitRet);
      return;
    }
    asm.ld(SECCOMP_DATA.argLo(r.arg));
    if (r.mask !== 0xffffffff) asm.and(r.mask);
    const hit = asm.label('arg-hit');
    for (const v of r.values) asm.jump(Op.JMP_JEQ_K, v, hit, 'next');
    asm.ret(miss);
    asm.bind(hit);
    if (r.wide) {
      const hiZero = asm.label('arg-hi-zero');
      asm.ld(SECCOMP_DATA.argHi(r.arg)).jump(Op.JMP_JEQ_K, 0, hiZero, 'next');
      asm.ret(miss);
      asm.bind(hiZero);
    }
    asm.ret(hitRet);
  };
  // A in the search tree always holds nr: leaves that load args return.
  const emit = (lo: number, hi: number) => {
    if (lo === hi) {
      emitLeaf(rs[lo]!.leaf);
      return;
    }
    const mid = (lo + hi + 1) >> 1;
    const right = asm.label(`ge-${rs[mid]!.lo}`);
    const left = asm.label('lt');
    asm.jump(Op.JMP_JGE_K, rs[mid]!.lo, 'next', left);
    asm.ja(right);
    asm.bind(left);
    emit(lo, mid - 1);
    asm.bind(right);
    emit(mid, hi);
  };
  emit(0, rs.length - 1);
  return asm.assemble();
}

/**
 * One bit per syscall number: trapped (in this policy) and never EINTR on
 * Linux, so an interrupted notification of it is restarted, whatever the
 * handler's SA_RESTART says.
 */
export function restartBitmap(isolation: Isolation, arch: ArchInfo = archInfo()): Uint8Array {
  const pre = precompiled(isolation, arch);
  if (pre) return Uint8Array.from(Buffer.from(pre.restart, 'base64'));
  const cls = classification(arch);
  const interruptible = new Set(words(INTERRUPTIBLE));
  for (const name of interruptible) if (!cls.byName.has(name)) throw new Error(`policy: ${name} is not a ${arch.name} system call`);
  const bits = new Uint8Array((arch.maxSyscall >> 3) + 1);
  for (const [name, nr] of Object.entries(arch.syscalls)) {
    if (interruptible.has(name)) continue;
    const rule = cls.argRules[name];
    const notified = rule
      ? rule.match === 'sentry' || rule.otherwise === 'sentry'
      : verdictOf(cls.byName.get(name)!, isolation) === 'notify';
    if (notified) bits[nr >> 3]! |= 1 << (nr & 7);
  }
  return bits;
}

/** The filter program of a policy, as the bytes of its sock_filter array. */
export function compileBytes(isolation: Isolation, arch: ArchInfo = archInfo()): Uint8Array {
  const pre = precompiled(isolation, arch);
  if (pre) return Uint8Array.from(Buffer.from(pre.filter, 'base64'));
  return encode(compile(isolation, arch));
}

/** What compileBytes and restartBitmap return, base64, by "ARCH ISOLATION". */
export type PrecompiledPolicies = Readonly<Record<string, { filter: string; restart: string }>>;

// Defined in the run bundle only (scripts/bundle.mjs), with what this module's
// compileBytes and restartBitmap returned when the bundle was built: compiling
// a policy costs ~1.5 ms of every start (docs/performance.md, W6).
declare const TSVISOR_PRECOMPILED_POLICIES: PrecompiledPolicies | undefined;

function precompiled(isolation: Isolation, arch: ArchInfo): { filter: string; restart: string } | undefined {
  // Only for the host's own arch object: a caller's other tables get their own compilation.
  if (typeof TSVISOR_PRECOMPILED_POLICIES === 'undefined' || arch !== archInfo()) return undefined;
  return TSVISOR_PRECOMPILED_POLICIES[`${arch.name} ${isolation}`];
}

/** The precompiled policies of the host's arch, for the run bundle's build (scripts/bundle.mjs). */
export function precompilePolicies(): PrecompiledPolicies {
  const arch = archInfo();
  const out: Record<string, { filter: string; restart: string }> = {};
  for (const isolation of ['balanced', 'strict'] as const) {
    out[`${arch.name} ${isolation}`] = {
      filter: Buffer.from(encode(compile(isolation, arch))).toString('base64'),
      restart: Buffer.from(restartBitmap(isolation, arch)).toString('base64'),
    };
  }
  return out;
}

/** Reverse lookup for --strace and the docs: what each number does under a policy. */
export function verdictFor(nr: number, isolation: Isolation, args: number[] = [], arch: ArchInfo = archInfo()): Verdict {
  const name = Object.entries(arch.syscalls).find(([, n]) => n === nr)?.[0];
  if (name === undefined) return 'notify';
  const cls = classification(arch);
  const rule = cls.argRules[name];
  if (rule) {
    const full = args[rule.arg] ?? 0;
    const v = full & rule.mask;
    const hi = Math.floor(full / 2 ** 32);
    return verdictOf(rule.values.includes(v >>> 0) && !(rule.wide && hi !== 0) ? rule.match : rule.otherwise, isolation);
  }
  return verdictOf(cls.byName.get(name)!, isolation);
}
