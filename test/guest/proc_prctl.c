// cflags: -pthread
/* prctl on the caller: PR_SET_NAME/PR_GET_NAME (per thread, truncation,
 * inherited by fork, /proc/self/comm), PR_SET_PDEATHSIG/GET (range checks),
 * PR_SET_CHILD_SUBREAPER/GET, PR_SET_NO_NEW_PRIVS/GET (starts 0, sticky,
 * inherited), PR_GET_DUMPABLE/SET, PR_CAPBSET_READ, unknown options. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void comm_file(const char *what, const char *path) {
  char b[64] = {0};
  int fd = open(path, O_RDONLY);
  ssize_t n = fd >= 0 ? read(fd, b, sizeof b - 1) : -1;
  if (fd >= 0) close(fd);
  if (n > 0 && b[n - 1] == '\n') b[n - 1] = 0;
  printf("%s: [%s]\n", what, n >= 0 ? b : strerrorname_np(errno));
}

static char thread_name[32];
static void *namer(void *arg) {
  (void)arg;
  prctl(PR_SET_NAME, "worker-thread");
  prctl(PR_GET_NAME, thread_name);
  return NULL;
}

int main(void) {
  char name[32];
  int v;

  /* Names. */
  printf("PR_SET_NAME short: %s\n", res(prctl(PR_SET_NAME, "tsv-test")));
  memset(name, 0, sizeof name);
  prctl(PR_GET_NAME, name);
  printf("PR_GET_NAME: [%s]\n", name);
  comm_file("/proc/self/comm", "/proc/self/comm");
  printf("PR_SET_NAME long: %s\n", res(prctl(PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz")));
  memset(name, 'X', sizeof name);
  prctl(PR_GET_NAME, name);
  printf("PR_GET_NAME truncated to 15: [%s] len %zu\n", name, strlen(name));
  prctl(PR_SET_NAME, "");
  memset(name, 'X', sizeof name);
  prctl(PR_GET_NAME, name);
  printf("PR_SET_NAME empty: [%s]\n", name);
  prctl(PR_SET_NAME, "parent-name");
  pthread_t t;
  pthread_create(&t, NULL, namer, NULL);
  pthread_join(t, NULL);
  prctl(PR_GET_NAME, name);
  printf("thread named itself [%s], main still [%s]\n", thread_name, name);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    char n2[32] = {0};
    prctl(PR_GET_NAME, n2);
    printf("fork child inherits name: [%s]\n", n2);
    comm_file("child /proc/self/comm", "/proc/self/comm");
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  printf("PR_GET_NAME bad pointer: %s\n", res(prctl(PR_GET_NAME, (char *)8)));
  printf("PR_SET_NAME bad pointer: %s\n", res(prctl(PR_SET_NAME, (char *)8)));

  /* Parent-death signal. */
  v = -1;
  printf("PR_GET_PDEATHSIG: %s", res(prctl(PR_GET_PDEATHSIG, &v)));
  printf(" %d\n", v);
  printf("PR_SET_PDEATHSIG SIGUSR1: %s\n", res(prctl(PR_SET_PDEATHSIG, SIGUSR1)));
  prctl(PR_GET_PDEATHSIG, &v);
  printf("PR_GET_PDEATHSIG: %d\n", v);
  printf("PR_SET_PDEATHSIG 65: %s\n", res(prctl(PR_SET_PDEATHSIG, 65)));
  printf("PR_SET_PDEATHSIG -1: %s\n", res(prctl(PR_SET_PDEATHSIG, -1)));
  prctl(PR_GET_PDEATHSIG, &v);
  printf("PR_GET_PDEATHSIG unchanged: %d\n", v);
  printf("PR_GET_PDEATHSIG bad pointer: %s\n", res(prctl(PR_GET_PDEATHSIG, (int *)8)));
  prctl(PR_SET_PDEATHSIG, 0);

  /* Child subreaper. */
  v = -1;
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  printf("PR_GET_CHILD_SUBREAPER: %d\n", v);
  printf("PR_SET_CHILD_SUBREAPER 1: %s\n", res(prctl(PR_SET_CHILD_SUBREAPER, 1)));
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  printf("PR_GET_CHILD_SUBREAPER: %d\n", v);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    int cv = -1;
    prctl(PR_GET_CHILD_SUBREAPER, &cv);
    _exit(cv);
  }
  int st;
  waitpid(c, &st, 0);
  printf("fork child's subreaper flag: %d\n", WEXITSTATUS(st));
  printf("PR_SET_CHILD_SUBREAPER 0: %s\n", res(prctl(PR_SET_CHILD_SUBREAPER, 0)));
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  printf("PR_GET_CHILD_SUBREAPER: %d\n", v);

  /* No new privileges: starts 0, can be set, cannot be cleared, inherited. */
  printf("PR_GET_NO_NEW_PRIVS: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  printf("PR_SET_NO_NEW_PRIVS 0: %s\n", res(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0)));
  printf("PR_SET_NO_NEW_PRIVS 1 with extra arg: %s\n", res(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0)));
  fflush(stdout);
  c = fork();
  if (c == 0) {
    printf("  child: PR_SET_NO_NEW_PRIVS 1: %s\n", res(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)));
    printf("  child: PR_GET_NO_NEW_PRIVS: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    printf("  child: PR_GET_NO_NEW_PRIVS with extra arg: %s\n", res(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0)));
    fflush(stdout);
    pid_t g = fork();
    if (g == 0) _exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    int gs;
    waitpid(g, &gs, 0);
    printf("  grandchild inherits it: %d\n", WEXITSTATUS(gs));
    fflush(stdout);
    execl("/bin/sh", "sh", "-c", "grep NoNewPrivs /proc/self/status | tr -d ' \\t'", (char *)NULL);
    _exit(127);
  }
  waitpid(c, NULL, 0);
  printf("parent PR_GET_NO_NEW_PRIVS still: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));

  /* Dumpable. */
  printf("PR_GET_DUMPABLE: %d\n", prctl(PR_GET_DUMPABLE));
  printf("PR_SET_DUMPABLE 0: %s", res(prctl(PR_SET_DUMPABLE, 0)));
  printf(", now %d\n", prctl(PR_GET_DUMPABLE));
  printf("PR_SET_DUMPABLE 2: %s\n", res(prctl(PR_SET_DUMPABLE, 2)));
  printf("PR_SET_DUMPABLE 1: %s", res(prctl(PR_SET_DUMPABLE, 1)));
  printf(", now %d\n", prctl(PR_GET_DUMPABLE));

  /* Capability bounding set. */
  printf("PR_CAPBSET_READ CAP_CHOWN: %d\n", prctl(PR_CAPBSET_READ, 0));
  printf("PR_CAPBSET_READ 1000: %s\n", res(prctl(PR_CAPBSET_READ, 1000)));
  fflush(stdout);
  c = fork();
  if (c == 0) {
    printf("  PR_CAPBSET_DROP CAP_CHOWN: %s", res(prctl(PR_CAPBSET_DROP, 0)));
    printf(", read now %d\n", prctl(PR_CAPBSET_READ, 0));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);

  /* Unknown options. */
  printf("prctl(9999): %s\n", res(prctl(9999, 0, 0, 0, 0)));
  printf("prctl(-1): %s\n", res(prctl(-1, 0, 0, 0, 0)));
  return 0;
}
