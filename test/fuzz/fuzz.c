// cflags: -O1 -pthread -static
// The syscall fuzzer's guest (test/fuzz/harness.ts runs it under tsvisor).
//
//   fuzz SEED SECONDS [WORKERS [THREADS]]        the supervisor (the sandbox's init)
//   fuzz --worker SLOT SEED THREADS SHMFD        a worker (also after a worker's exec of itself)
//   fuzz --replay SEED COUNT                     one thread, COUNT calls, each printed before it is
//                                                made: turns a seed into a reproducible call list
//
// The supervisor forks WORKERS worker processes; each runs THREADS fuzzing
// threads plus a monitor thread. A fuzzing thread issues random system call
// numbers (the architecture's, x32 ones, unknown ones, our loader's private
// number) with random arguments: small ints, fds it holds, the platform's
// reserved fd numbers, flags, huge lengths, pointers into its own arena (a
// shared, concurrently scribbled buffer followed by an inaccessible page, with
// strings that end with and without a NUL at that page's edge, and argv-like
// pointer arrays), unmapped and kernel addresses, and values of earlier
// arguments (overlapping buffers). Now and then it forks a short-lived child
// that fuzzes too, or execs itself (a non-leader exec when a thread does it).
//
// Everything is derived from SEED: each worker slot and generation, each
// thread and each forked child derives its own. Timing is not deterministic,
// so a finding is reproduced by seed and then reduced with --replay.
//
// Only calls that would kill or wedge the fuzzer itself uselessly, or harm
// the host if the sandbox let them through, are avoided or tamed (see tame()):
// exit, signal returns, memory changes outside the arena, signals aimed at the
// supervisor, handlers that would jump to random addresses, memory locking and
// unbounded allocations, and the host-wide administrative calls (reboot,
// kexec, modules, swap, clock) that test/security/ exercises with harmless
// arguments instead.
//
// Liveness: the supervisor prints "alive ..." twice a second after a trapped
// getppid() answered; the harness treats silence as a hang of the sentry. A
// worker whose threads all stop making progress (blocked in a call that no
// signal interrupts) is killed and replaced, and counted.
//
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXW 16
#define MAXT 8
#define ARENA_PAGES 16
#define PAGE 4096
#define ARENA_SIZE (ARENA_PAGES * PAGE)
#define SHM_FD 200
#define SIG_POKE (SIGRTMIN + 3)
#define NR_MAX 469
#define LOADER_NR 0x7473
#define X32 0x40000000L

struct shared {
  uint64_t magic;
  uint64_t iters[MAXW][MAXT];
  uint64_t beat[MAXW];
  uint64_t last[MAXW][MAXT][7];  // the call each thread is in: nr, args
};

static struct shared *shm;
static const char *self_path;
static int g_slot, g_threads;

// ---- deterministic randomness ----

static uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct rng {
  uint64_t s;
};

static uint64_t rnd(struct rng *r) { return mix(r->s++); }
static uint64_t below(struct rng *r, uint64_t n) { return n ? rnd(r) % n : 0; }
static int chance(struct rng *r, unsigned one_in) { return below(r, one_in) == 0; }

// ---- raw calls ----

static long raw(long n, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
  return ret;
}

// clone/fork/vfork/clone3 with random flags: the child (which may share our
// memory and even our stack) exits at once without touching memory.
static long raw_clone(long n, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "mov $60, %%eax\n\t"
      "xor %%edi, %%edi\n\t"
      "syscall\n\t"
      "1:\n\t"
      : "=a"(ret)
      : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
      : "rcx", "r11", "memory");
  return ret;
}

// ---- the worker's material: arena, strings, fds ----

static char *arena;        // ARENA_SIZE bytes, then an inaccessible page
static char *strs[64];     // paths inside the arena
static int nstrs;
static char *arrays[8];    // argv-like arrays inside the arena
static int narrays;
static int fds[64];
static int nfds;
static long reserved_lo, reserved_hi;  // the platform's fd range (top of RLIMIT_NOFILE)
static void *restorer;     // glibc's signal trampoline, for the handlers we install

static const char *const POOL[] = {
    "/", ".", "..", "", "/etc/passwd", "/etc/shadow", "/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fz/d",
    "/tmp/fz/d/e", "/tmp/fz/s1", "/tmp/fz/s2", "/tmp/fz/s3", "/tmp/fz/loop", "/tmp/fz/dangling",
    "/tmp/fz/fifo", "/tmp/fz/h", "/tmp/fz/new", "/tmp/fz/d/../../..", "../../../../../../etc/passwd",
    "/proc/self/fd/0", "/proc/self/fd/3", "/proc/self/cwd/..", "/proc/self/root/etc/passwd",
    "/proc/1/root", "/proc/self/exe", "/proc/self/maps", "/proc/self/mem", "/proc/self/status",
    "/proc/1/fd", "/dev/null", "/dev/zero", "/dev/tty", "/dev/ptmx", "/dev/shm/x", "/sys", "/bin/true",
    "/bin/sh", "//tmp//fz//a", "/tmp/fz/a/", "/tmp/fz/a/.", "/tmp/fz/d/", "a", "d/e", "s2/etc/passwd",
    "/proc/self/fd/19999", "/proc/self/task", "/proc/thread-self", "/etc", "/usr/bin/env",
};

static void put_strings(struct rng *r) {
  // The pool, at random places in the first pages.
  size_t off = 64;
  for (size_t i = 0; i < sizeof POOL / sizeof *POOL && off < ARENA_SIZE - 3 * PAGE; i++) {
    size_t n = strlen(POOL[i]) + 1;
    memcpy(arena + off, POOL[i], n);
    strs[nstrs++] = arena + off;
    off += n + below(r, 16);
  }
  // A path longer than PATH_MAX and one made of many "../".
  char *lp = arena + ARENA_SIZE - 3 * PAGE;
  for (int i = 0; i < PAGE + 16; i++) lp[i] = i % 8 == 7 ? '/' : 'x';
  lp[PAGE + 16] = 0;
  strs[nstrs++] = lp;
  char *dots = arena + ARENA_SIZE - 2 * PAGE + 1024;
  for (int i = 0; i < 300; i++) memcpy(dots + 3 * i, "../", 3);
  strcpy(dots + 900, "etc/passwd");
  strs[nstrs++] = dots;
  // Strings that end at the inaccessible page: one with its NUL as the last
  // byte, one without (the read must fault, never run on).
  char *end = arena + ARENA_SIZE;
  memcpy(end - 12, "/tmp/fz/a", 10);
  end[-2] = 'x', end[-1] = 0;
  strs[nstrs++] = end - 12;
  strs[nstrs++] = end - 1;  // the empty string, at the very edge
  char *nonul = end - 200;
  memset(nonul, 'y', 200);
  nonul[0] = '/';
  strs[nstrs++] = nonul;
  // argv-like arrays: terminated, unterminated (runs into the guard page), bad entries.
  char **a = (char **)(arena + ARENA_SIZE - PAGE);
  a[0] = strs[0], a[1] = strs[4], a[2] = NULL;
  arrays[narrays++] = (char *)a;
  char **b = (char **)(end - 3 * sizeof(char *));
  b[0] = strs[1], b[1] = (char *)1, b[2] = (char *)0xffffffff81000000UL;
  arrays[narrays++] = (char *)b;
  char **c = (char **)(end - 16 * sizeof(char *));
  for (int i = 0; i < 16; i++) c[i] = nonul;
  arrays[narrays++] = (char *)c;
  char **d = (char **)(arena + ARENA_SIZE - PAGE + 256);
  for (int i = 0; i < 100; i++) d[i] = lp;
  d[100] = NULL;
  arrays[narrays++] = (char *)d;
}

static void add_fd(int fd) {
  if (fd >= 0 && nfds < (int)(sizeof fds / sizeof *fds)) fds[nfds++] = fd;
}

// The shared scratch tree every worker starts from; workers damage it freely.
static void make_tree(void) {
  mkdir("/tmp/fz", 0777);
  mkdir("/tmp/fz/d", 0777);
  mkdir("/tmp/fz/d/e", 0777);
  close(open("/tmp/fz/a", O_CREAT | O_WRONLY, 0666));
  close(open("/tmp/fz/b", O_CREAT | O_WRONLY, 0666));
  symlink("a", "/tmp/fz/s1");
  symlink("/", "/tmp/fz/s2");
  symlink("../../..", "/tmp/fz/s3");
  symlink("loop", "/tmp/fz/loop");
  symlink("nowhere", "/tmp/fz/dangling");
  link("/tmp/fz/a", "/tmp/fz/h");
  mkfifo("/tmp/fz/fifo", 0666);
}

static void open_fds(void) {
  add_fd(open("/tmp/fz/a", O_RDWR | O_CREAT, 0666));
  add_fd(open("/tmp/fz/b", O_RDWR | O_APPEND | O_CREAT, 0666));
  add_fd(open("/etc/passwd", O_RDONLY));
  add_fd(open("/", O_RDONLY | O_DIRECTORY));
  add_fd(open("/tmp/fz", O_RDONLY | O_DIRECTORY));
  add_fd(open("/proc/self", O_RDONLY | O_DIRECTORY));
  add_fd(open("/proc/self/status", O_RDONLY));
  add_fd(open("/etc", O_PATH));
  add_fd(open("/dev/null", O_RDWR));
  add_fd(open("/dev/zero", O_RDONLY));
  add_fd(open("/dev/urandom", O_RDONLY));
  int p[2];
  if (pipe2(p, O_NONBLOCK) == 0) add_fd(p[0]), add_fd(p[1]);
  if (pipe(p) == 0) add_fd(p[0]), add_fd(p[1]);
  add_fd((int)raw(SYS_eventfd2, 1, 0, 0, 0, 0, 0));
  add_fd((int)raw(SYS_epoll_create1, 0, 0, 0, 0, 0, 0));
  add_fd((int)raw(SYS_timerfd_create, CLOCK_MONOTONIC, 0, 0, 0, 0, 0));
  add_fd((int)raw(SYS_memfd_create, (long)"fz", 0, 0, 0, 0, 0));
  if (nfds > 0) add_fd(fcntl(fds[0], F_DUPFD, 500));
  if (nfds > 2) add_fd(fcntl(fds[2], F_DUPFD_CLOEXEC, 1000));
}

// ---- arguments ----

static const long HUGE[] = {0x7fffffffL, 0xffffffffL, -1L, 1L << 31, 1L << 40, 1L << 62, ARENA_SIZE + 1,
                            PAGE * 65L, 0x7ffff000L, -4096L, 0x8000000000000000L};
static const unsigned long UNMAPPED[] = {0, 1, 0xfff, 0x1000, 0x10000, 0x7ffffffff000UL, 0x7fffffffffffUL, 1UL << 47};
static const unsigned long KERNEL[] = {0xffffffff81000000UL, 0xffff888000000000UL, 0xffffffffffffffffUL,
                                       0xffffffffff600000UL, 0x8000000000000000UL, 0xfffffffffffff000UL};

enum { A_ANY, A_FD, A_PATH, A_BUF, A_LEN, A_FLAGS, A_INT, A_PID, A_SIG, A_ARGV };

static long gen(struct rng *r, int hint, long prev) {
  unsigned k = (unsigned)below(r, 4) ? (unsigned)hint : A_ANY;
  switch (k) {
    case A_FD:
      switch (below(r, 8)) {
        case 0: return (long)below(r, 70) - 2;
        case 1: return reserved_lo + (long)below(r, (unsigned long)(reserved_hi - reserved_lo + 2)) - 1;
        case 2: return -100;  // AT_FDCWD
        case 3: { static const long odd[] = {1023, 1024, 65535, 65536, 1 << 20, 0x7fffffff, -1, SHM_FD}; return odd[below(r, 8)]; }
        default: return nfds ? fds[below(r, (unsigned long)nfds)] : 3;
      }
    case A_PATH:
      if (chance(r, 10)) return (long)(chance(r, 2) ? UNMAPPED[below(r, 8)] : KERNEL[below(r, 6)]);
      return (long)strs[below(r, (unsigned long)nstrs)];
    case A_BUF:
      if (chance(r, 6)) return (long)(chance(r, 2) ? UNMAPPED[below(r, 8)] : KERNEL[below(r, 6)]);
      if (chance(r, 4)) return (long)(arena + ARENA_SIZE - below(r, 64));  // straddles the guard page
      return (long)(arena + below(r, ARENA_SIZE));
    case A_LEN:
      if (chance(r, 3)) return HUGE[below(r, sizeof HUGE / sizeof *HUGE)];
      return (long)below(r, chance(r, 2) ? 64 : 2 * PAGE);
    case A_FLAGS:
      if (chance(r, 4)) return (long)(uint32_t)rnd(r);
      return (long)((1UL << below(r, 32)) | (chance(r, 2) ? 1UL << below(r, 32) : 0) | below(r, 4));
    case A_INT:
      return (long)below(r, 70) - 3;
    case A_PID:
      return chance(r, 2) ? 0 : (long)below(r, 40) - 2;
    case A_SIG:
      return (long)below(r, 66);
    case A_ARGV:
      if (chance(r, 5)) return (long)(chance(r, 2) ? UNMAPPED[below(r, 8)] : KERNEL[below(r, 6)]);
      return (long)arrays[below(r, (unsigned long)narrays)];
  }
  switch (below(r, 12)) {
    case 0: return (long)below(r, 70) - 3;
    case 1: return nfds ? fds[below(r, (unsigned long)nfds)] : 0;
    case 2: return HUGE[below(r, sizeof HUGE / sizeof *HUGE)];
    case 3: case 4: return (long)(arena + below(r, ARENA_SIZE));
    case 5: return (long)strs[below(r, (unsigned long)nstrs)];
    case 6: return (long)UNMAPPED[below(r, 8)];
    case 7: return (long)KERNEL[below(r, 6)];
    case 8: return prev + (long)below(r, 16);  // overlapping the previous argument
    case 9: return (long)(uint32_t)rnd(r);
    case 10: return (long)rnd(r);
    default: return 0;
  }
}

// Argument shapes of the calls the sentry decodes, by number (x86_64). One
// letter per argument: f fd, p path, b buffer, l length, x flags, i int,
// P pid, s signal, a argv-like array, - anything.
static const char *shape(long nr) {
  switch (nr) {
    case 0: case 1: return "fbl";
    case 2: return "pxi";
    case 3: return "f";
    case 4: case 6: return "pb";
    case 5: return "fb";
    case 7: return "bii";
    case 8: return "fii";
    case 16: return "fxb";
    case 17: case 18: return "fbli";
    case 19: case 20: return "fbi";
    case 21: return "pi";
    case 22: return "b";
    case 32: return "f";
    case 33: return "ff";
    case 40: return "ffbl";
    case 59: return "paa";
    case 61: return "Pbxb";
    case 62: return "Ps";
    case 72: return "fi-";
    case 73: return "fi";
    case 76: return "pl";
    case 77: return "fl";
    case 78: case 217: return "fbl";
    case 79: return "bl";
    case 80: case 84: case 87: case 161: return "p";
    case 81: return "f";
    case 82: case 86: case 88: return "pp";
    case 83: case 85: return "pi";
    case 89: return "pbl";
    case 90: return "pi";
    case 91: return "fi";
    case 92: case 94: return "pii";
    case 93: return "fii";
    case 133: return "pii";
    case 137: return "pb";
    case 138: return "fb";
    case 157: return "ixxxx";
    case 188: case 189: return "ppblx";
    case 191: case 192: return "ppbl";
    case 194: case 195: return "pbl";
    case 197: case 198: return "pp";
    case 190: return "fpblx";
    case 193: return "fpbl";
    case 196: return "fbl";
    case 199: return "fp";
    case 200: return "Ps";
    case 232: return "fbii";
    case 233: return "fifb";
    case 234: return "PPs";
    case 247: return "iPbxb";
    case 257: return "fpxi";
    case 258: return "fpi";
    case 259: return "fpii";
    case 260: return "fpiix";
    case 261: return "fpb";
    case 262: return "fpbx";
    case 263: return "fpx";
    case 264: return "fpfp";
    case 265: return "fpfpx";
    case 266: return "pfp";
    case 267: return "fpbl";
    case 268: return "fpi";
    case 269: return "fpi";
    case 275: return "fbfblx";
    case 276: return "fflx";
    case 280: return "fpbx";
    case 285: return "fxll";
    case 292: return "ffx";
    case 293: return "bx";
    case 302: return "Pibb";
    case 316: return "fpfpx";
    case 319: return "px";
    case 322: return "fpaax";
    case 326: return "fbfblx";
    case 332: return "fpxxb";
    case 424: return "fsbx";
    case 434: return "Px";
    case 436: return "ffx";
    case 437: return "fpbl";
    case 438: return "ffx";
    case 439: return "fpix";
    case 452: return "fpix";
    default: return "";
  }
}

static int hint_of(char ch) {
  switch (ch) {
    case 'f': return A_FD;
    case 'p': return A_PATH;
    case 'b': return A_BUF;
    case 'l': return A_LEN;
    case 'x': return A_FLAGS;
    case 'i': return A_INT;
    case 'P': return A_PID;
    case 's': return A_SIG;
    case 'a': return A_ARGV;
    default: return A_ANY;
  }
}

// Calls that would end or wedge the fuzzer uselessly, or harm the machine if
// a regression let them reach the host: never issued.
static int denied(long nr) {
  switch (nr) {
    case SYS_exit: case SYS_exit_group: case SYS_rt_sigreturn: case SYS_arch_prctl:
    case SYS_brk: case SYS_mlockall: case SYS_mlock: case SYS_mlock2:
    case SYS_reboot: case SYS_kexec_load: case SYS_kexec_file_load: case SYS_init_module:
    case SYS_finit_module: case SYS_delete_module: case SYS_swapon: case SYS_swapoff:
    case SYS_settimeofday: case SYS_clock_settime: case SYS_adjtimex: case SYS_clock_adjtime:
    case SYS_sethostname: case SYS_setdomainname: case SYS_acct: case SYS_iopl: case SYS_ioperm:
    case SYS_mount: case SYS_umount2: case SYS_pivot_root: case SYS_syslog: case SYS_vhangup:
    case SYS_quotactl: case SYS_sync: case SYS_syncfs:
    case 335:  // uretprobe: exempt from seccomp, SIGILL outside the kernel's trampoline
      return 1;
  }
  return 0;
}

static void noop_handler(int sig) { (void)sig; }

static long clamp_len(long v, long max) { return (unsigned long)v > (unsigned long)max ? (long)((unsigned long)v % (unsigned long)max) : v; }

static int in_arena(long a) { return (unsigned long)a >= (unsigned long)arena && (unsigned long)a < (unsigned long)arena + ARENA_SIZE; }

static long arena_addr(struct rng *r) { return (long)(arena + PAGE * below(r, ARENA_PAGES)); }

// Makes a call safe for the fuzzer itself (see the file comment). Returns 0
// to skip the call.
static pid_t me;  // our pid, kept here: a getpid per call would double the traps

// Signals whose default action (or a real fault's) ends us: a kill of
// ourselves with one of them teaches nothing.
static int fatal_sig(long s) {
  return s == SIGKILL || s == SIGSTOP || s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE || s == SIGABRT ||
         s == SIGTRAP || s == SIGSYS || s == SIGTSTP || s == SIGTTIN || s == SIGTTOU;
}

static int tame(struct rng *r, long nr, long *a) {
  switch (nr) {
    // Memory: only the arena may change, and nothing may be locked or populated.
    case SYS_mmap:
      a[1] = clamp_len(a[1], 1 << 20);
      a[3] &= ~(long)(MAP_POPULATE | MAP_LOCKED | MAP_HUGETLB);
      if (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        a[0] = arena_addr(r);
        a[1] = clamp_len(a[1], (long)(arena + ARENA_SIZE) - a[0]);
      } else if (!in_arena(a[0])) {
        a[0] = 0;
      }
      return 1;
    case SYS_munmap: case SYS_mprotect: case SYS_madvise: case SYS_msync: case SYS_mincore:
    case SYS_munlock: case SYS_pkey_mprotect: case SYS_remap_file_pages: case SYS_mbind:
    case 462 /* mseal */: case SYS_process_madvise:
      if (nr == SYS_process_madvise) return 1;  // takes an fd and iovecs: refused by the sentry
      a[0] = arena_addr(r);
      a[1] = clamp_len(a[1], (long)(arena + ARENA_SIZE) - a[0]);
      if (nr == SYS_madvise && a[2] == MADV_DONTFORK) a[2] = MADV_NORMAL;
      return 1;
    case SYS_mremap:
      a[0] = arena_addr(r);
      a[1] = clamp_len(a[1], (long)(arena + ARENA_SIZE) - a[0]);
      a[2] = clamp_len(a[2], 1 << 20);
      a[3] &= ~4L;  // MREMAP_DONTUNMAP would leave the arena unbacked
      if (a[3] & 2) a[4] = arena_addr(r), a[2] = clamp_len(a[2], (long)(arena + ARENA_SIZE) - a[4]);
      return 1;
    // Allocations that the host would make for real: bounded.
    // (Each tmpfs or memfd file the guest fills is host memory the sandbox
    // does not limit yet: docs/security.md.)
    case SYS_fallocate:
      a[2] = clamp_len(a[2], 1 << 22);
      a[3] = clamp_len(a[3], 1 << 20);
      return 1;
    case SYS_sendfile: case SYS_tee:
      a[nr == SYS_tee ? 2 : 3] = clamp_len(a[nr == SYS_tee ? 2 : 3], 1 << 16);
      return 1;
    case SYS_splice: case SYS_copy_file_range:
      a[4] = clamp_len(a[4], 1 << 16);
      return 1;
    case SYS_setrlimit: case SYS_prlimit64:
      // RLIMIT_CPU/RLIMIT_AS/RLIMIT_STACK on ourselves only make the worker
      // die of them; those limits are test/security's business.
      if (nr == SYS_prlimit64 && (a[0] == 1 || a[0] < 0)) a[0] = 0;
      return (nr == SYS_setrlimit ? a[0] : a[1]) != RLIMIT_CPU;
    // Signals: never to the supervisor (pid 1) or everyone; handlers are
    // ours (a random handler address only crashes the fuzzer).
    case SYS_kill: case SYS_rt_sigqueueinfo:
      if (a[0] == 1 || a[0] == -1 || a[0] < -1) a[0] = me;
      if (fatal_sig(a[1]) && !chance(r, 16)) a[1] = SIGUSR1;
      return 1;
    case SYS_tkill:
      if (a[0] == 1) a[0] = me;
      if (fatal_sig(a[1]) && !chance(r, 16)) a[1] = SIGUSR1;
      return 1;
    case SYS_tgkill: case SYS_rt_tgsigqueueinfo:
      if (a[0] == 1 || a[0] <= -1) a[0] = me;
      if (fatal_sig(a[2]) && !chance(r, 16)) a[2] = SIGUSR1;
      return 1;
    case SYS_setpgid: case SYS_setpriority: case SYS_sched_setattr: case SYS_sched_setparam:
    case SYS_sched_setscheduler: case SYS_sched_setaffinity: case SYS_ioprio_set: case SYS_pidfd_open:
    case SYS_process_vm_writev: case SYS_migrate_pages: case SYS_move_pages:
      if (nr == SYS_setpriority || nr == SYS_ioprio_set) {
        if (a[1] == 1) a[1] = 0;
      } else if (a[0] == 1) {
        a[0] = 0;
      }
      // Joining the supervisor's process group would aim kill(0, ...) at it.
      if (nr == SYS_setpgid && a[1] == 1) a[1] = 0;
      return 1;
    case SYS_rt_sigaction: {
      int sig = (int)a[0];
      if (sig == SIG_POKE || sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) return 0;
      static __thread unsigned long act[4];
      if (a[1] && !chance(r, 8)) {
        // SIG_DFL rarely: most defaults end the process at the next signal.
        static void (*const handlers[])(int) = {SIG_IGN, noop_handler, noop_handler, SIG_IGN, noop_handler, noop_handler, noop_handler, SIG_DFL};
        act[0] = (unsigned long)handlers[below(r, 8)];
        act[1] = (rnd(r) & 0x7fffffffUL) | 0x04000000UL;  // always SA_RESTORER, with ours
        act[2] = (unsigned long)restorer;
        act[3] = rnd(r);
        a[1] = (long)act;
      } else if (a[1] && !in_arena(a[1])) {
        a[1] = 0;
      }
      return 1;
    }
    case SYS_rt_sigprocmask:
      return 1;
    case SYS_set_tid_address: case SYS_set_robust_list: case SYS_rseq: case SYS_sigaltstack:
      if (a[0] && !in_arena(a[0])) a[0] = (long)(arena + below(r, ARENA_SIZE - 64));
      return 1;
    case SYS_futex: case SYS_futex_waitv:
      if (!in_arena(a[0])) a[0] = (long)(arena + 4 * below(r, ARENA_SIZE / 4));
      return 1;
    case SYS_clone:
      // Pointers the kernel writes tids to stay in the arena.
      if (a[2] && !in_arena(a[2])) a[2] = 0;
      if (a[3] && !in_arena(a[3])) a[3] = 0;
      return 1;
    case SYS_fcntl:
      // F_SETOWN/F_SETOWN_EX: SIGIO for our files goes to ourselves only.
      if (a[1] == F_SETOWN_EX) return 0;
      if (a[1] == F_SETOWN && (a[2] == 1 || a[2] < 0)) a[2] = me;
      return 1;
    case SYS_prctl:
      // PR_SET_MM would let us rewrite our own memory map.
      return a[0] != 35;
    case SYS_personality:
      return 1;
    case SYS_pause: case SYS_rt_sigsuspend:
      return chance(r, 4);
  }
  return 1;
}

// ---- the fuzzing loop ----

struct thread_arg {
  int idx;
  uint64_t seed;
};

static void fuzz_loop(struct rng *r, int idx, long limit);

static void child_fuzz(struct rng *parent) {
  struct rng r = {mix(rnd(parent))};
  pid_t pid = fork();
  if (pid != 0) return;
  me = getpid();
  // A short life: a bounded number of calls and a deadline.
  signal(SIGALRM, SIG_DFL);
  alarm(2);
  fuzz_loop(&r, -1, 200);
  _exit(0);
}

static void exec_self(struct rng *r) {
  char slot[16], seed[32], thr[16], shmfd[16];
  snprintf(slot, sizeof slot, "%d", g_slot);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)rnd(r));
  snprintf(thr, sizeof thr, "%d", g_threads);
  snprintf(shmfd, sizeof shmfd, "%d", SHM_FD);
  char *argv[] = {(char *)"fuzz", (char *)"--worker", slot, seed, thr, shmfd, NULL};
  char *envp[] = {NULL};
  execve(self_path, argv, envp);
}

static int replay;

static void fuzz_loop(struct rng *r, int idx, long limit) {
  long prev = 0;
  for (long i = 0; limit < 0 || i < limit; i++) {
    if (idx >= 0 && shm) __atomic_fetch_add(&shm->iters[g_slot][idx], 1, __ATOMIC_RELAXED);
    if (!replay && idx >= 0 && chance(r, 3000)) {
      child_fuzz(r);
      continue;
    }
    if (!replay && idx >= 0 && chance(r, 20000)) exec_self(r);
    long nr;
    switch (below(r, 20)) {
      case 0: nr = X32 | (long)below(r, 548); break;
      case 1: nr = chance(r, 2) ? LOADER_NR : (long)(NR_MAX + 1 + below(r, 600)); break;
      case 2: nr = chance(r, 2) ? -1 : (long)(uint32_t)rnd(r); break;
      default: nr = (long)below(r, NR_MAX + 1); break;
    }
    if (denied(nr & ~X32) && !(nr & X32)) continue;
    const char *sh = (nr >= 0 && nr <= NR_MAX) ? shape(nr) : "";
    long a[6];
    for (int k = 0; k < 6; k++) {
      int hint = sh[0] && (size_t)k < strlen(sh) ? hint_of(sh[k]) : A_ANY;
      a[k] = gen(r, hint, k ? a[k - 1] : prev);
    }
    if (!tame(r, nr, a)) continue;
    // Scribble on the arena now and then: other threads' buffers change
    // under them, as a hostile guest would do to the sentry.
    // (Through the kernel: the arena may have been unmapped or protected.)
    if (chance(r, 8)) raw(SYS_getrandom, (long)(arena + below(r, ARENA_SIZE - 3 * PAGE)), 1 + (long)below(r, 8), 0, 0, 0, 0);
    if (idx >= 0 && shm) {
      uint64_t *l = shm->last[g_slot][idx];
      l[0] = (uint64_t)nr;
      for (int k = 0; k < 6; k++) l[k + 1] = (uint64_t)a[k];
    }
    if (replay) {
      char line[256];
      int n = snprintf(line, sizeof line, "%ld %lx %lx %lx %lx %lx %lx\n", nr, a[0], a[1], a[2], a[3], a[4], a[5]);
      raw(SYS_write, 2, (long)line, n, 0, 0, 0);
    }
    long ret;
    if (nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone3)
      ret = raw_clone(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    else
      ret = raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    prev = ret;
  }
}

static void *thread_main(void *p) {
  struct thread_arg *ta = p;
  struct rng r = {ta->seed};
  fuzz_loop(&r, ta->idx, -1);
  return NULL;
}

static pthread_t tids[MAXT];
static pid_t ktids[MAXT];

static void *thread_start(void *p) {
  struct thread_arg *ta = p;
  ktids[ta->idx] = (pid_t)syscall(SYS_gettid);
  return thread_main(p);
}

// The monitor: a heartbeat for the supervisor, and a poke (a signal whose
// handler returns, no SA_RESTART) for a thread stuck in one call, so blocking
// calls end with EINTR and the thread goes on.
static void monitor(void) {
  uint64_t seen[MAXT] = {0};
  for (;;) {
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    __atomic_fetch_add(&shm->beat[g_slot], 1, __ATOMIC_RELAXED);
    for (int i = 0; i < g_threads; i++) {
      uint64_t n = __atomic_load_n(&shm->iters[g_slot][i], __ATOMIC_RELAXED);
      if (n == seen[i] && ktids[i] > 0) syscall(SYS_tgkill, getpid(), ktids[i], SIG_POKE);
      seen[i] = n;
    }
  }
}

static void setup_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = noop_handler;
  for (int s = 1; s < 65; s++) {
    if (s == SIGKILL || s == SIGSTOP || s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE || s == SIGABRT ||
        s == SIGTRAP || s == SIGSYS || s == 32 || s == 33)
      continue;
    sigaction(s, &sa, NULL);
  }
  // Learn glibc's restorer from what sigaction installed.
  unsigned long old[4] = {0};
  raw(SYS_rt_sigaction, SIGUSR1, 0, (long)old, 8, 0, 0);
  restorer = (void *)old[2];
}

static int worker(int slot, uint64_t seed, int threads, int shmfd) {
  g_slot = slot;
  g_threads = threads < 1 ? 1 : threads > MAXT ? MAXT : threads;
  shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED, shmfd, 0);
  if (shm == MAP_FAILED) return 3;
  setpgid(0, 0);
  me = getpid();
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) dup2(null, 0), dup2(null, 1), dup2(null, 2), close(null);
  setup_signals();
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    // The sandbox's hard limit ends where the platform's reserved fds begin.
    reserved_lo = (long)rl.rlim_max - 4;
    reserved_hi = (long)rl.rlim_max + 8;
  }
  struct rng r = {mix(seed)};
  arena = mmap(NULL, ARENA_SIZE + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (arena == MAP_FAILED) return 3;
  mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE);
  for (size_t i = 0; i < ARENA_SIZE; i += 8) *(uint64_t *)(arena + i) = rnd(&r);
  put_strings(&r);
  make_tree();
  open_fds();
  static struct thread_arg ta[MAXT];
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setstacksize(&at, 256 * 1024);
  for (int i = 0; i < g_threads; i++) {
    ta[i].idx = i;
    ta[i].seed = mix(seed ^ ((uint64_t)(i + 1) << 48));
    if (pthread_create(&tids[i], &at, thread_start, &ta[i]) != 0) return 3;
  }
  monitor();
  return 0;
}

// ---- the supervisor ----

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static pid_t spawn_worker(int slot, uint64_t seed, int threads, int shmfd) {
  pid_t pid = fork();
  if (pid == 0) _exit(worker(slot, seed, threads, shmfd));
  return pid;
}

// Calls made so far. Workers can write into the shared page through its fd
// like into any file they hold, so counters are only trusted as small steps.
static uint64_t counted, seen_sum[MAXW];

static uint64_t slot_sum(int w) {
  uint64_t n = 0;
  for (int t = 0; t < MAXT; t++) n += __atomic_load_n(&shm->iters[w][t], __ATOMIC_RELAXED);
  return n;
}

static void count_slot(int w) {
  uint64_t n = slot_sum(w);
  if (n >= seen_sum[w] && n - seen_sum[w] < 10000000) counted += n - seen_sum[w];
  seen_sum[w] = n;
}

static int supervisor(uint64_t seed, int seconds, int workers, int threads) {
  if (workers < 1) workers = 1;
  if (workers > MAXW) workers = MAXW;
  signal(SIGPIPE, SIG_IGN);
  // Signals reach us legitimately too (a worker's F_SETOWN names any pid):
  // none may end the run.
  for (int s = 1; s < 65; s++)
    if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD && s != SIGSEGV && s != SIGBUS && s != SIGILL && s != SIGFPE &&
        s != 32 && s != 33)
      signal(s, noop_handler);
  int mfd = (int)syscall(SYS_memfd_create, "fuzz-shm", MFD_ALLOW_SEALING);
  if (mfd < 0 || ftruncate(mfd, sizeof(struct shared)) != 0) {
    printf("fuzz error: memfd %s\n", strerror(errno));
    return 2;
  }
  // Workers may truncate or grow any fd they hold: the seals keep the shared
  // page mapped (a shrink would SIGBUS the supervisor).
  if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    printf("fuzz error: seals %s\n", strerror(errno));
    return 2;
  }
  if (dup2(mfd, SHM_FD) != SHM_FD) return 2;
  close(mfd);
  shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED, SHM_FD, 0);
  if (shm == MAP_FAILED) return 2;
  memset(shm, 0, sizeof *shm);
  make_tree();
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("fuzz start seed=%llu seconds=%d workers=%d threads=%d\n", (unsigned long long)seed, seconds, workers, threads);

  pid_t pids[MAXW] = {0};
  uint64_t gen[MAXW] = {0}, lastSum[MAXW] = {0}, lastBeat[MAXW] = {0}, moved[MAXW] = {0};
  unsigned long spawned = 0, stuck = 0, died_sig = 0, died_exit = 0, by_sig[64] = {0};
  uint64_t start = now_ms(), lastReport = 0;
  for (;;) {
    uint64_t t = now_ms();
    int ending = t - start >= (uint64_t)seconds * 1000;
    // Reap: workers, and orphans of their children that were reparented to us.
    for (;;) {
      int st;
      pid_t p = waitpid(-1, &st, WNOHANG);
      if (p <= 0) break;
      for (int w = 0; w < workers; w++) {
        if (pids[w] != p) continue;
        pids[w] = 0;
        if (WIFSIGNALED(st)) died_sig++, by_sig[WTERMSIG(st) & 63]++;
        if (getenv("FUZZ_VERBOSE") && WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL) {
          for (int i = 0; i < threads && i < MAXT; i++) {
            uint64_t *l = shm->last[w][i];
            fprintf(stderr, "fuzz: worker %d died of signal %d; thread %d was in %lld(%llx, %llx, %llx, %llx, %llx, %llx)\n", w,
                    WTERMSIG(st), i, (long long)l[0], (unsigned long long)l[1], (unsigned long long)l[2],
                    (unsigned long long)l[3], (unsigned long long)l[4], (unsigned long long)l[5], (unsigned long long)l[6]);
          }
        }
        else died_exit++;
      }
    }
    if (ending) break;
    for (int w = 0; w < workers; w++) {
      if (pids[w] == 0) {
        count_slot(w);
        memset((void *)shm->iters[w], 0, sizeof shm->iters[w]);
        seen_sum[w] = 0;
        pids[w] = spawn_worker(w, mix(seed ^ ((uint64_t)w << 40) ^ gen[w]++), threads, SHM_FD);
        if (pids[w] < 0) pids[w] = 0;
        else spawned++;
        lastSum[w] = 0, lastBeat[w] = 0, moved[w] = t;
        continue;
      }
      count_slot(w);
      uint64_t sum = slot_sum(w);
      uint64_t beat = __atomic_load_n(&shm->beat[w], __ATOMIC_RELAXED);
      if (sum != lastSum[w] && beat != lastBeat[w]) moved[w] = t;
      lastSum[w] = sum, lastBeat[w] = beat;
      if (t - moved[w] > 3000) {
        // Every thread blocked (or the monitor is): not a sentry hang as long
        // as we are answered, but the worker is no use any more.
        stuck++;
        if (getenv("FUZZ_VERBOSE")) {
          for (int i = 0; i < threads && i < MAXT; i++) {
            uint64_t *l = shm->last[w][i];
            fprintf(stderr, "fuzz: worker %d thread %d stuck in %lld(%llx, %llx, %llx, %llx, %llx, %llx)\n", w, i,
                    (long long)l[0], (unsigned long long)l[1], (unsigned long long)l[2], (unsigned long long)l[3],
                    (unsigned long long)l[4], (unsigned long long)l[5], (unsigned long long)l[6]);
          }
        }
        kill(pids[w], SIGKILL);
        moved[w] = t;
      }
    }
    if (t - lastReport >= 500) {
      // A trapped call: its answer proves the sentry is alive.
      long pp = syscall(SYS_getppid);
      printf("alive t=%llu iters=%llu spawned=%lu stuck=%lu ppid=%ld\n", (unsigned long long)(t - start),
             (unsigned long long)counted, spawned, stuck, pp);
      lastReport = t;
    }
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  // Kill everyone we know and everyone else (init's kill(-1) spares init).
  for (int w = 0; w < workers; w++) {
    if (pids[w]) count_slot(w), kill(pids[w], SIGKILL);
  }
  kill(-1, SIGKILL);
  uint64_t until = now_ms() + 5000;
  while (now_ms() < until) {
    int st;
    pid_t p = waitpid(-1, &st, WNOHANG);
    if (p < 0 && errno == ECHILD) break;
    if (p == 0) {
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  printf("fuzz done iters=%llu spawned=%lu stuck=%lu died_signal=%lu died_exit=%lu\n", (unsigned long long)counted,
         spawned, stuck, died_sig, died_exit);
  printf("fuzz deaths by signal:");
  for (int i = 0; i < 64; i++)
    if (by_sig[i]) printf(" %d:%lu", i, by_sig[i]);
  printf("\n");
  return 0;
}

int main(int argc, char **argv) {
  // The fuzzer unlinks /etc/passwd, kills every process it may and worse: it
  // runs only inside a sandbox, as its init (the supervisor, --replay) or as
  // that init's child (--worker), never on a host by mistake.
  int worker_mode = argc >= 2 && strcmp(argv[1], "--worker") == 0;
  if (worker_mode ? getppid() != 1 : getpid() != 1) {
    fprintf(stderr, "fuzz: refusing to run outside a sandbox (run it with tsvisor, or npm run fuzz)\n");
    return 2;
  }
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) buf[n] = 0, self_path = strdup(buf);
  else self_path = argv[0];
  if (argc >= 2 && strcmp(argv[1], "--warm") == 0) {
    // Makes the sentry create what it keeps for the whole process on first
    // use (the anon inode whose stat every eventfd, signalfd, timerfd,
    // inotify and epoll fd reports): the harness's fd baseline comes after.
    struct stat st;
    int fds[] = {(int)syscall(SYS_eventfd2, 0, 0), (int)syscall(SYS_inotify_init1, 0), (int)syscall(SYS_epoll_create1, 0),
                 (int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0)};
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
      if (fds[i] >= 0) fstat(fds[i], &st), close(fds[i]);
    return 0;
  }
  if (argc >= 6 && strcmp(argv[1], "--worker") == 0)
    return worker(atoi(argv[2]), strtoull(argv[3], NULL, 10), atoi(argv[4]), atoi(argv[5]));
  if (argc >= 4 && strcmp(argv[1], "--replay") == 0) {
    // One thread, in this process: the calls are printed to stderr before
    // each is made, so the last line names the call that misbehaved.
    replay = 1;
    me = getpid();
    static struct shared local;
    shm = &local;
    g_threads = 1;
    setup_signals();
    arena = mmap(NULL, ARENA_SIZE + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE);
    uint64_t seed = strtoull(argv[2], NULL, 10);
    struct rng r = {mix(seed)};
    for (size_t i = 0; i < ARENA_SIZE; i += 8) *(uint64_t *)(arena + i) = rnd(&r);
    put_strings(&r);
    make_tree();
    open_fds();
    struct rng tr = {mix(seed ^ (1ULL << 48))};
    fuzz_loop(&tr, 0, atol(argv[3]));
    printf("replay done\n");
    return 0;
  }
  if (argc < 3) {
    fprintf(stderr, "usage: fuzz SEED SECONDS [WORKERS [THREADS]]\n");
    return 2;
  }
  return supervisor(strtoull(argv[1], NULL, 10), atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 3, argc > 4 ? atoi(argv[4]) : 3);
}
