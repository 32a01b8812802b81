// cflags: -O1 -static
// Getting around the seccomp filter: x32 numbers (nr | 0x40000000), the i386
// entry points (int 0x80, sysenter), numbers the table does not know, the
// loader's private number, the two calls the kernel exempts from seccomp,
// and filters of the guest's own stacked on the sandbox's (a second
// listener, RET_TRACE with the tracer's magic, RET_USER_NOTIF, RET_ALLOW).
#include "escape.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

static const char *secret;

static long raw6(long n, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
  if (ret < 0 && ret > -4096) errno = (int)-ret, ret = -1;
  return ret;
}

/** Runs fn in a child; returns its wait status. */
static int in_child(void (*fn)(void)) {
  pid_t c = fork();
  if (c == 0) {
    fn();
    _exit(0);
  }
  int st = 0;
  waitpid(c, &st, 0);
  return st;
}

static void int80_open(void) {
  // i386 open(SECRET_PATH, O_RDONLY) through the compat entry.
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(5), "b"(secret), "c"(0) : "memory");
  if (r >= 0) {
    char b[256];
    ssize_t n = read((int)r, b, sizeof b);
    if (n > 0 && is_secret(b, (size_t)n)) _exit(42);
  }
  _exit(43);  // the call returned: not killed
}

static void int80_getpid(void) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
  _exit(43);
}

static void do_sysenter(void) {
  __asm__ volatile("mov $20, %%eax\n\tsysenter" ::: "eax", "memory");
  _exit(43);
}

static void do_uretprobe(void) {
  syscall(335);
  _exit(43);
}

static void judge_killed(const char *name, int st) {
  if (WIFEXITED(st) && WEXITSTATUS(st) == 42) report(1, name, "read the host secret");
  else if (WIFEXITED(st) && WEXITSTATUS(st) == 43) report(1, name, "the call ran and returned");
  else if (WIFSIGNALED(st)) report(0, name, "killed by signal %d", WTERMSIG(st));
  else report(0, name, "exit %d", WEXITSTATUS(st));
}

static int install(struct sock_filter *f, unsigned short n, unsigned flags) {
  struct sock_fprog prog = {n, f};
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

// A guest filter that answers every call with `action`.
static int install_all(unsigned action, unsigned flags) {
  struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, action)};
  return install(f, 1, flags);
}

// A guest filter: openat -> action, everything else allowed.
static int install_openat(unsigned action) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, action),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  return install(f, 4, 0);
}

static void trace_magic_openat(void) {
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (install_openat(SECCOMP_RET_TRACE | 0x7473) != 0) _exit(44);
  int fd = openat(AT_FDCWD, secret, O_RDONLY);
  if (fd >= 0) {
    char b[256];
    ssize_t n = read(fd, b, sizeof b);
    if (n > 0 && is_secret(b, (size_t)n)) _exit(42);
  }
  _exit(0);
}

static void notif_openat(void) {
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (install_openat(SECCOMP_RET_USER_NOTIF) != 0) _exit(44);
  int fd = openat(AT_FDCWD, "/etc/passwd", O_RDONLY);
  _exit(fd >= 0 ? 45 : errno == ENOSYS ? 0 : 46);
}

static void allow_all(void) {
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (install_all(SECCOMP_RET_ALLOW, SECCOMP_FILTER_FLAG_TSYNC) != 0) _exit(44);
  int fd = openat(AT_FDCWD, secret, O_RDONLY);
  _exit(fd >= 0 ? 42 : 0);
}

int main(void) {
  secret = env("SECRET_PATH");

  // x32: the same calls with the x32 bit set.
  must_fail("x32 openat(host path)", raw6(0x40000000 | SYS_openat, AT_FDCWD, (long)secret, O_RDONLY, 0, 0, 0), ENOSYS);
  must_fail("x32 open(host path)", raw6(0x40000000 | SYS_open, (long)secret, O_RDONLY, 0, 0, 0, 0), ENOSYS);
  must_fail("x32 kill(HOST_PID)", raw6(0x40000000 | SYS_kill, atoi(env("HOST_PID")), SIGKILL, 0, 0, 0, 0), ENOSYS);
  must_fail("x32 execve", raw6(0x40000000 | 520, (long)env("HOST_PROG"), 0, 0, 0, 0, 0), ENOSYS);
  must_fail("x32 ptrace", raw6(0x40000000 | 521, 0 /* PTRACE_TRACEME */, 0, 0, 0, 0, 0), ENOSYS);
  must_fail("nr 0xffffffff", raw6(-1, 0, 0, 0, 0, 0, 0), ENOSYS);
  must_fail("nr 470 (past the table)", raw6(470, 0, 0, 0, 0, 0, 0), ENOSYS);
  must_fail("nr 0x7fffffff", raw6(0x7fffffff, 0, 0, 0, 0, 0, 0), ENOSYS);
  must_fail("the loader's number, not loading", raw6(0x7473, 1, (long)secret, 4096, 0, 0, 0), ENOSYS);

  // The i386 entry points: the filter's architecture check kills the process.
  judge_killed("int 0x80 open(host path)", in_child(int80_open));
  judge_killed("int 0x80 getpid", in_child(int80_getpid));
  judge_killed("sysenter", in_child(do_sysenter));

  // Exempt from seccomp by the kernel: harmless outside its trampoline.
  judge_killed("uretprobe (335)", in_child(do_uretprobe));
  must_fail("uprobe (336)", syscall(336), 0);

  // Filters of the guest's own.
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  must_fail("a second seccomp listener", install(allow, 1, SECCOMP_FILTER_FLAG_NEW_LISTENER), EBUSY);
  int st = in_child(trace_magic_openat);
  if (WIFEXITED(st) && WEXITSTATUS(st) == 42) report(1, "guest filter: openat -> RET_TRACE with the tracer's magic", "read the host secret");
  else report(0, "guest filter: openat -> RET_TRACE with the tracer's magic", "status %x", st);
  st = in_child(notif_openat);
  report(!(WIFEXITED(st) && WEXITSTATUS(st) == 0), "guest filter: openat -> RET_USER_NOTIF (no listener)", "status %x", st);
  st = in_child(allow_all);
  report(WIFEXITED(st) && WEXITSTATUS(st) == 42, "guest filter: RET_ALLOW for everything, TSYNC", "status %x", st);
  return finish();
}
