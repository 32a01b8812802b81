// cflags: -O1 -static -pthread
// Executing a host program: its host path directly, through /proc, through
// the platform's loader fd, and the exec race. The tracer turns an exec into
// execveat(loader fd, <pointer to the NUL ending the guest's path>,
// AT_EMPTY_PATH); a thread that rewrites that NUL into "/" while the call is
// in flight hands the host an absolute path (HOST_PROG, a script next to the
// rootfs). The tracer must kill such a process before its first instruction:
// the host program never prints.
#include "escape.h"

#include <pthread.h>
#include <sys/resource.h>

static char buf[8192];
static size_t nul_at;
static volatile int go;

static void *flipper(void *a) {
  (void)a;
  while (!go) {
  }
  volatile char *v = buf;  // both stores must happen
  for (;;) {
    v[nul_at] = '/';
    v[nul_at] = 0;
  }
  return NULL;
}

int main(void) {
  const char *host = env("HOST_PROG");
  char *argv[] = {(char *)"true", NULL};
  char *envp[] = {NULL};
  must_fail("execve(host path)", execve(host, argv, envp), ENOENT);
  char p[4200];
  snprintf(p, sizeof p, "/proc/1/root/..%s", host);
  must_fail("execve(/proc/1/root/.. + host path)", execve(p, argv, envp), ENOENT);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  for (long fd = (long)rl.rlim_max - 2; fd < (long)rl.rlim_max + 8; fd++) {
    snprintf(p, sizeof p, "execveat(%ld, \"\", AT_EMPTY_PATH)", fd);
    must_fail(strdup(p), syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH), 0);
  }
  must_fail("execveat(AT_FDCWD, host path)", syscall(SYS_execveat, AT_FDCWD, host, argv, envp, 0), ENOENT);

  // The race: "/bin/true" NUL "<host path minus its first '/'>".
  strcpy(buf, "/bin/true");
  nul_at = strlen(buf);
  strcpy(buf + nul_at + 1, host + 1);
  int ran = 0, killed = 0, failed = 0, other = 0;
  for (int i = 0; i < 300; i++) {
    pid_t c = fork();
    if (c == 0) {
      pthread_t t;
      pthread_create(&t, NULL, flipper, NULL);
      go = 1;
      for (int k = 0; k < 50; k++) execve(buf, argv, envp);
      _exit(111);
    }
    int st;
    waitpid(c, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) ran++;
    else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) killed++;
    else if (WIFEXITED(st) && WEXITSTATUS(st) == 111) failed++;
    else other++;
  }
  report(other > 0, "exec while a thread rewrites the path's NUL", "300 tries: %d ran /bin/true of the sandbox, %d killed by the tracer, %d only failed, %d other", ran, killed, failed, other);
  return finish();
}
