/* Credentials as root: get*id, set*id (real/effective/saved rules),
 * setgroups/getgroups, capget/capset (drop a capability and see it gone), and
 * what setuid(1000) does to capabilities (cleared; setuid(0) then fails).
 * Each scenario that changes identity runs in its own child. Only
 * capabilities the host and the sandbox both give root are looked at. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

/* The host's setting decides what PR_GET_DUMPABLE says after an id change. */
static int suid_dumpable(void) {
  FILE *f = fopen("/proc/sys/fs/suid_dumpable", "r");
  int v = 0;
  if (f) {
    if (fscanf(f, "%d", &v) != 1) v = 0;
    fclose(f);
  }
  return v;
}

static void ids(const char *what) {
  uid_t r, e, s;
  gid_t gr, ge, gs;
  getresuid(&r, &e, &s);
  getresgid(&gr, &ge, &gs);
  printf("%s: uid %u/%u/%u gid %u/%u/%u\n", what, r, e, s, gr, ge, gs);
}

static int capget2(struct __user_cap_data_struct d[2]) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  return syscall(SYS_capget, &h, d);
}

static int capset2(struct __user_cap_data_struct d[2]) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  return syscall(SYS_capset, &h, d);
}

static int has(const struct __user_cap_data_struct d[2], int cap, int which) {
  unsigned v = which == 0 ? d[cap / 32].effective : which == 1 ? d[cap / 32].permitted : d[cap / 32].inheritable;
  return (v >> (cap % 32)) & 1;
}

/* Capabilities every root has here and in the sandbox. */
static const int caps[] = {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_KILL, CAP_SETUID, CAP_SETGID, CAP_NET_BIND_SERVICE, CAP_SYS_ADMIN};
static const char *cap_names[] = {"CHOWN", "DAC_OVERRIDE", "KILL", "SETUID", "SETGID", "NET_BIND_SERVICE", "SYS_ADMIN"};

static void show_caps(const char *what) {
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  if (capget2(d)) {
    printf("%s: capget %s\n", what, strerrorname_np(errno));
    return;
  }
  printf("%s: eff", what);
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) printf(" %s=%d", cap_names[i], has(d, caps[i], 0));
  printf(" | perm");
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) printf(" %d", has(d, caps[i], 1));
  printf(" | inh-empty %d\n", d[0].inheritable == 0 && d[1].inheritable == 0);
}

static void in_child(const char *what, void (*fn)(void)) {
  printf("%s:\n", what);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    fn();
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("  child ended badly: 0x%x\n", st);
}

static void t_setuid_drop(void) {
  prctl(PR_SET_PDEATHSIG, SIGUSR1);
  printf("  setuid(1000): %s\n", res(setuid(1000)));
  ids("  after");
  show_caps("  caps");
  /* commit_creds: a change of effective ids resets these. */
  int sig = -1;
  prctl(PR_GET_PDEATHSIG, &sig);
  printf("  pdeathsig after the uid change: %d\n", sig);
  printf("  dumpable after the uid change is fs.suid_dumpable: %d\n", prctl(PR_GET_DUMPABLE) == suid_dumpable());
  printf("  setuid(0): %s\n", res(setuid(0)));
  printf("  setgid(5): %s\n", res(setgid(5)));
  printf("  setgroups(0): %s\n", res(setgroups(0, NULL)));
  printf("  setuid(1000) (own): %s\n", res(setuid(1000)));
  printf("  setresuid(-1, 2000, -1): %s\n", res(setresuid(-1, 2000, -1)));
  printf("  capset raising CAP_KILL: ");
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  d[0].effective = d[0].permitted = 1u << CAP_KILL;
  printf("%s\n", res(capset2(d)));
}

static void t_seteuid(void) {
  printf("  seteuid(1000): %s\n", res(seteuid(1000)));
  ids("  after");
  show_caps("  caps");
  printf("  seteuid(0) (saved is 0): %s\n", res(seteuid(0)));
  ids("  back");
  show_caps("  caps");
}

static void t_setresuid(void) {
  printf("  setresuid(1000, 1001, 0): %s\n", res(setresuid(1000, 1001, 0)));
  ids("  after");
  show_caps("  caps");
  printf("  setresuid(-1, 0, -1) (saved 0): %s\n", res(setresuid(-1, 0, -1)));
  ids("  after");
  printf("  setresuid(1002, -1, -1) (euid 0 gives back the caps): %s\n", res(setresuid(1002, -1, -1)));
  ids("  after");
  printf("  setresuid(-1, -1, 1000): %s\n", res(setresuid(-1, -1, 1000)));
  ids("  after");
  printf("  setresuid(-1, 1000, -1) then all non-root:\n");
  setresuid(-1, 1000, -1);
  ids("  after");
  show_caps("  caps");
  printf("  setresuid(0, 0, 0): %s\n", res(setresuid(0, 0, 0)));
}

static void t_same_ids(void) {
  prctl(PR_SET_PDEATHSIG, SIGUSR1);
  printf("  setuid(0) (no change): %s\n", res(setuid(0)));
  printf("  setresgid(-1, -1, 5) (only the saved gid): %s\n", res(setresgid(-1, -1, 5)));
  int sig = -1;
  prctl(PR_GET_PDEATHSIG, &sig);
  printf("  pdeathsig kept: %d, dumpable: %d\n", sig, prctl(PR_GET_DUMPABLE));
  printf("  setegid(7): %s\n", res(setegid(7)));
  prctl(PR_GET_PDEATHSIG, &sig);
  printf("  pdeathsig after an egid change: %d\n", sig);
}

static void t_setreuid(void) {
  printf("  setreuid(1000, 2000): %s\n", res(setreuid(1000, 2000)));
  ids("  after");
  printf("  setreuid(2000, 1000) (swap): %s\n", res(setreuid(2000, 1000)));
  ids("  after");
  printf("  setreuid(-1, 3000): %s\n", res(setreuid(-1, 3000)));
}

static void t_keepcaps(void) {
  printf("  PR_GET_KEEPCAPS: %d\n", prctl(PR_GET_KEEPCAPS));
  printf("  PR_SET_KEEPCAPS 1: %s\n", res(prctl(PR_SET_KEEPCAPS, 1)));
  printf("  setresuid(1000, 1000, 1000): %s\n", res(setresuid(1000, 1000, 1000)));
  show_caps("  caps with keepcaps");
}

static void t_gids(void) {
  printf("  setgid(100): %s\n", res(setgid(100)));
  ids("  after");
  printf("  setresgid(1, 2, 3): %s\n", res(setresgid(1, 2, 3)));
  ids("  after");
  printf("  setregid(-1, 7): %s\n", res(setregid(-1, 7)));
  ids("  after");
  gid_t g[] = {30, 10, 20, 10};
  printf("  setgroups(4): %s\n", res(setgroups(4, g)));
  gid_t out[16];
  int n = getgroups(16, out);
  printf("  getgroups: %d:", n);
  for (int i = 0; i < n; i++) printf(" %u", out[i]);
  printf("\n");
  printf("  getgroups(0, NULL): %d\n", getgroups(0, NULL));
  printf("  getgroups(1, small): %s\n", res(getgroups(1, out)));
  printf("  setgroups(0): %s", res(setgroups(0, NULL)));
  printf(", count now %d\n", getgroups(0, NULL));
  printf("  setgroups(-1): %s\n", res(setgroups(-1, g)));
  printf("  setgroups(70000): %s\n", res(setgroups(70000, g)));
}

static void t_capset(void) {
  show_caps("  before");
  struct __user_cap_data_struct d[2];
  capget2(d);
  d[0].effective &= ~(1u << CAP_CHOWN);
  printf("  drop CAP_CHOWN from effective: %s\n", res(capset2(d)));
  show_caps("  after");
  d[0].effective |= 1u << CAP_CHOWN;
  printf("  raise it again (still permitted): %s\n", res(capset2(d)));
  d[0].effective &= ~(1u << CAP_KILL);
  d[0].permitted &= ~(1u << CAP_KILL);
  printf("  drop CAP_KILL from permitted: %s\n", res(capset2(d)));
  show_caps("  after");
  d[0].effective |= 1u << CAP_KILL;
  printf("  raise CAP_KILL in effective only: %s\n", res(capset2(d)));
  d[0].effective &= ~(1u << CAP_KILL);
  d[0].permitted |= 1u << CAP_KILL;
  printf("  raise CAP_KILL in permitted: %s\n", res(capset2(d)));
  struct __user_cap_header_struct h = {0x12345678, 0};
  printf("  capget bad version: %s", res(syscall(SYS_capget, &h, d)));
  printf(", version now 0x%x\n", h.version);
  h.version = _LINUX_CAPABILITY_VERSION_3;
  h.pid = getppid();
  printf("  capset on another pid: %s\n", res(syscall(SYS_capset, &h, d)));
  printf("  capget with NULL data: %s\n", res(syscall(SYS_capget, &h, NULL)));
  /* Without CAP_SETUID, setuid to another id fails. */
  capget2(d);
  d[0].effective &= ~(1u << CAP_SETUID);
  capset2(d);
  printf("  setuid(1000) without CAP_SETUID in effective: %s\n", res(setuid(1000)));
  ids("  ids");
}

int main(void) {
  printf("getuid %u geteuid %u getgid %u getegid %u\n", getuid(), geteuid(), getgid(), getegid());
  ids("resids");
  printf("getgroups count: %d\n", getgroups(0, NULL));
  show_caps("root caps");
  in_child("setuid(1000) as root", t_setuid_drop);
  in_child("seteuid and back", t_seteuid);
  in_child("setresuid", t_setresuid);
  in_child("same ids again", t_same_ids);
  in_child("setreuid", t_setreuid);
  in_child("PR_SET_KEEPCAPS", t_keepcaps);
  in_child("group ids", t_gids);
  in_child("capset", t_capset);
  ids("parent unchanged");
  return 0;
}
