/* What a process learns about its system and limits: uname (sysname and
 * machine only: the node name differs), getrlimit/setrlimit/prlimit64 round
 * trips and their errors (as root and as an unprivileged user), sysinfo,
 * getrandom, sched_getaffinity/sched_yield/getcpu, getpriority. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void lim(const char *what, int resource) {
  struct rlimit rl;
  if (getrlimit(resource, &rl)) {
    printf("%s: %s\n", what, strerrorname_np(errno));
    return;
  }
  printf("%s: soft ", what);
  if (rl.rlim_cur == RLIM_INFINITY) printf("inf"); else printf("%llu", (unsigned long long)rl.rlim_cur);
  printf(" hard ");
  if (rl.rlim_max == RLIM_INFINITY) printf("inf\n"); else printf("%llu\n", (unsigned long long)rl.rlim_max);
}

static void limits_as_user(void) {
  struct rlimit rl, old;
  getrlimit(RLIMIT_NOFILE, &old);
  rl.rlim_cur = 100;
  rl.rlim_max = 200;
  printf("  as root: lower NOFILE to 100/200: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  lim("  NOFILE", RLIMIT_NOFILE);
  if (setresuid(1000, 1000, 1000)) _exit(2);
  rl.rlim_cur = 150;
  rl.rlim_max = 200;
  printf("  as user: raise soft within hard: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  rl.rlim_cur = 150;
  rl.rlim_max = 300;
  printf("  as user: raise hard above hard: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  rl.rlim_cur = 150;
  rl.rlim_max = 180;
  printf("  as user: lower hard: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  rl.rlim_max = 200;
  printf("  as user: raise it back: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  lim("  NOFILE", RLIMIT_NOFILE);
  printf("  as user: prlimit64 on our parent (root): %s\n", res(prlimit(getppid(), RLIMIT_NOFILE, NULL, &old)));
}

int main(void) {
  struct utsname u;
  printf("uname: %s\n", res(uname(&u)));
  printf("  sysname %s machine %s\n", u.sysname, u.machine);
  printf("  release starts with a digit: %d\n", u.release[0] >= '0' && u.release[0] <= '9');
  printf("  nodename non-empty: %d\n", u.nodename[0] != 0);
  printf("uname(NULL): %s\n", res(syscall(SYS_uname, NULL)));

  /* Round trips. */
  struct rlimit rl, orig;
  getrlimit(RLIMIT_NOFILE, &orig);
  printf("NOFILE soft <= hard: %d\n", orig.rlim_cur <= orig.rlim_max);
  rl.rlim_cur = 64;
  rl.rlim_max = orig.rlim_max;
  printf("setrlimit NOFILE soft 64: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  struct rlimit back;
  getrlimit(RLIMIT_NOFILE, &back);
  printf("  read back soft %llu, hard kept %d\n", (unsigned long long)back.rlim_cur, back.rlim_max == orig.rlim_max);
  rl.rlim_cur = 65;
  rl.rlim_max = 64;
  printf("setrlimit soft > hard: %s\n", res(setrlimit(RLIMIT_NOFILE, &rl)));
  printf("setrlimit(99): %s\n", res(setrlimit(99, &rl)));
  printf("getrlimit(99): %s\n", res(getrlimit(99, &rl)));
  printf("getrlimit(bad pointer): %s\n", res(syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)8)));
  struct rlimit nl = {32, orig.rlim_max}, ol;
  printf("prlimit64(0, NOFILE, new, old): %s\n", res(prlimit(0, RLIMIT_NOFILE, &nl, &ol)));
  printf("  old soft %llu\n", (unsigned long long)ol.rlim_cur);
  getrlimit(RLIMIT_NOFILE, &back);
  printf("  now soft %llu\n", (unsigned long long)back.rlim_cur);
  printf("prlimit64(self pid): %s\n", res(prlimit(getpid(), RLIMIT_NOFILE, NULL, &ol)));
  printf("  soft %llu\n", (unsigned long long)ol.rlim_cur);
  /* Lowered NOFILE is enforced: fd numbers at or above it are refused. */
  printf("dup2 to fd 40 with NOFILE 32: %s\n", res(dup2(1, 40)));
  setrlimit(RLIMIT_NOFILE, &orig);
  printf("dup2 to fd 40 after restoring: %s\n", res(dup2(1, 40)));
  close(40);
  rl.rlim_cur = 1024 * 1024;
  rl.rlim_max = RLIM_INFINITY;
  getrlimit(RLIMIT_STACK, &orig);
  rl.rlim_cur = 4 * 1024 * 1024;
  rl.rlim_max = orig.rlim_max;
  printf("setrlimit STACK 4 MiB: %s\n", res(setrlimit(RLIMIT_STACK, &rl)));
  getrlimit(RLIMIT_STACK, &back);
  printf("  read back %llu\n", (unsigned long long)back.rlim_cur);
  setrlimit(RLIMIT_STACK, &orig);
  rl.rlim_cur = rl.rlim_max = 0;
  printf("setrlimit CORE 0/0: %s\n", res(setrlimit(RLIMIT_CORE, &rl)));
  lim("CORE", RLIMIT_CORE);
  /* Limits are inherited by a child. */
  rl.rlim_cur = 1000;
  rl.rlim_max = 4096;
  getrlimit(RLIMIT_NPROC, &orig);
  if (orig.rlim_max != RLIM_INFINITY && orig.rlim_max < rl.rlim_max) rl.rlim_max = orig.rlim_max;
  setrlimit(RLIMIT_NPROC, &rl);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct rlimit k;
    getrlimit(RLIMIT_NPROC, &k);
    _exit(k.rlim_cur == 1000 ? 0 : 1);
  }
  int st;
  waitpid(c, &st, 0);
  printf("child inherits NPROC soft 1000: %d\n", WEXITSTATUS(st) == 0);

  printf("limits as an unprivileged user:\n");
  fflush(stdout);
  c = fork();
  if (c == 0) {
    limits_as_user();
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, &st, 0);
  printf("  child exited %d\n", WEXITSTATUS(st));

  struct sysinfo si;
  printf("sysinfo: %s\n", res(sysinfo(&si)));
  printf("  procs > 0: %d, totalram > 0: %d, mem_unit > 0: %d, freeram <= totalram: %d\n", si.procs > 0,
         si.totalram > 0, si.mem_unit > 0, si.freeram <= si.totalram);

  unsigned char buf[64];
  printf("getrandom(64): %zd\n", getrandom(buf, sizeof buf, 0));
  printf("getrandom(16, GRND_NONBLOCK): %zd\n", getrandom(buf, 16, GRND_NONBLOCK));
  printf("getrandom bad flags: %s\n", res(getrandom(buf, 16, 0x1000)));

  cpu_set_t set;
  CPU_ZERO(&set);
  printf("sched_getaffinity(0): %s", res(sched_getaffinity(0, sizeof set, &set)));
  printf(", count > 0: %d\n", CPU_COUNT(&set) > 0);
  printf("sched_getaffinity(self pid): %s\n", res(sched_getaffinity(getpid(), sizeof set, &set)));
  printf("sched_yield: %d\n", sched_yield());
  unsigned cpu = 9999, node = 9999;
  printf("getcpu: %s", res(getcpu(&cpu, &node)));
  printf(", cpu in set: %d, node 0: %d\n", CPU_ISSET(cpu, &set), node == 0);
  printf("nprocs onln >= 1: %d\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1);
  errno = 0;
  int prio = getpriority(PRIO_PROCESS, 0);
  printf("getpriority(PRIO_PROCESS, 0): %d %s\n", prio, errno ? strerrorname_np(errno) : "ok");
  errno = 0;
  int prio2 = getpriority(PRIO_PROCESS, getpid());
  printf("getpriority(PRIO_PROCESS, getpid()) same: %d %s\n", prio2 == prio, errno ? strerrorname_np(errno) : "ok");

  /* Priorities of a process group of our own (natively our first group holds
   * the harness too): a member's nice value, the group's, and a group-wide set. */
  printf("priorities in a process group:\n");
  fflush(stdout);
  c = fork();
  if (c == 0) {
    setpgid(0, 0);
    int p[2];
    if (pipe(p)) _exit(1);
    pid_t m = fork();
    if (m == 0) {
      char b;
      close(p[1]);
      (void)!read(p[0], &b, 1);
      _exit(0);
    }
    close(p[0]);
    printf("  setpriority(member, 10): %s\n", res(setpriority(PRIO_PROCESS, m, 10)));
    errno = 0;
    printf("  getpriority(member): %d\n", getpriority(PRIO_PROCESS, m));
    errno = 0;
    printf("  getpriority(PRIO_PGRP, 0) (the highest): %d\n", getpriority(PRIO_PGRP, 0));
    printf("  setpriority(PRIO_PGRP, 0, 5): %s\n", res(setpriority(PRIO_PGRP, 0, 5)));
    printf("  member now %d, self now %d\n", getpriority(PRIO_PROCESS, m), getpriority(PRIO_PROCESS, 0));
    printf("  getpriority(PRIO_PGRP, member's group): %d\n", getpriority(PRIO_PGRP, getpgrp()));
    printf("  getpriority(PRIO_PGRP, unused): %s\n", getpriority(PRIO_PGRP, 4000000) == -1 ? strerrorname_np(errno) : "found");
    printf("  getpriority(7, 0): %s\n", getpriority(7, 0) == -1 ? strerrorname_np(errno) : "found");
    printf("  setpriority(member, 30): %s", res(setpriority(PRIO_PROCESS, m, 30)));
    printf(", clamped to %d\n", getpriority(PRIO_PROCESS, m));
    close(p[1]);
    waitpid(m, NULL, 0);
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  return 0;
}
