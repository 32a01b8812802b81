// cflags: -O1 -static -pthread
// One resource limit at a time, as test/security/limits.test.ts asks
// (argv[1]): the guest reaches it and prints what Linux gave it, one
// "key value" per line; then shows the sentry still answers ("alive").
//   pids      fork until it fails, then pthread_create
//   files     open until it fails, then pipe, dup, fork
//   fill PATH write PATH until it fails
//   cpus      its CPU count, and sched_setaffinity to every CPU and to one outside
//   memory    a child touches memory until something stops it
//   cpu [h]   spin (h: with a SIGXCPU handler that prints and carries on)
//   sleep     sleep until killed
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void alive(void) {
  pid_t pp = getppid();
  int fd = open("/proc/self/status", O_RDONLY);
  printf("alive %s\n", fd >= 0 && pp == 0 ? "yes" : "no");
  if (fd >= 0) close(fd);
  fflush(stdout);
}

static void *idle(void *arg) {
  (void)arg;
  pause();
  return NULL;
}

static int pids(void) {
  static pid_t kids[4096];
  int made = 0, e = 0;
  for (; made < 4096; made++) {
    kids[made] = fork();
    if (kids[made] == 0) {
      pause();
      _exit(0);
    }
    if (kids[made] < 0) {
      e = errno;
      break;
    }
  }
  printf("forks %d\nfork_errno %s\n", made, e ? strerrorname_np(e) : "none");
  pthread_t th;
  int r = pthread_create(&th, NULL, idle, NULL);
  printf("thread_errno %s\n", r ? strerrorname_np(r) : "none");
  for (int i = 0; i < made; i++) kill(kids[i], SIGKILL);
  for (int i = 0; i < made; i++) waitpid(kids[i], NULL, 0);
  // Room again once they are gone.
  pid_t c = fork();
  if (c == 0) _exit(0);
  printf("fork_after %s\n", c < 0 ? strerrorname_np(errno) : "ok");
  if (c > 0) waitpid(c, NULL, 0);
  alive();
  return 0;
}

static int files(void) {
  int n = 0, last = -1;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0) break;
    last = fd;
    n++;
  }
  printf("opened %d\nopen_errno %s\n", n, strerrorname_np(errno));
  printf("dup_errno %s\n", dup(0) < 0 ? strerrorname_np(errno) : "none");
  close(last);
  int p[2];
  printf("pipe_errno %s\n", pipe(p) < 0 ? strerrorname_np(errno) : "none");
  pid_t c = fork();
  if (c == 0) _exit(0);
  printf("fork_errno %s\n", c < 0 ? strerrorname_np(errno) : "none");
  if (c > 0) waitpid(c, NULL, 0);
  for (int fd = 3; fd < last; fd++) close(fd);
  int fd = open("/dev/null", O_RDONLY);
  printf("open_after %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
  alive();
  return 0;
}

static int fill(const char *path) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) {
    printf("open_errno %s\n", strerrorname_np(errno));
    return 1;
  }
  static char chunk[1 << 20];
  memset(chunk, 'f', sizeof chunk);
  size_t wrote = 0;
  int e = 0;
  while (wrote < (1024u << 20)) {
    ssize_t n = write(fd, chunk, sizeof chunk);
    if (n <= 0) {
      e = n < 0 ? errno : 0;
      break;
    }
    wrote += (size_t)n;
  }
  printf("wrote_mb %zu\nwrite_errno %s\n", wrote >> 20, e ? strerrorname_np(e) : "none");
  close(fd);
  unlink(path);
  // The space is back.
  fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  printf("write_after %s\n", fd >= 0 && write(fd, chunk, 4096) == 4096 ? "ok" : strerrorname_np(errno));
  close(fd);
  unlink(path);
  alive();
  return 0;
}

static int cpus(void) {
  cpu_set_t s;
  CPU_ZERO(&s);
  sched_getaffinity(0, sizeof s, &s);
  printf("cpus %d\n", CPU_COUNT(&s));
  int first = -1;
  for (int i = 0; i < CPU_SETSIZE; i++)
    if (CPU_ISSET(i, &s)) {
      first = i;
      break;
    }
  // Asking for every CPU keeps the allowed ones only.
  cpu_set_t all;
  CPU_ZERO(&all);
  for (int i = 0; i < 64; i++) CPU_SET(i, &all);
  int r = sched_setaffinity(0, sizeof all, &all);
  CPU_ZERO(&s);
  sched_getaffinity(0, sizeof s, &s);
  printf("set_all %s\ncpus_after %d\n", r < 0 ? strerrorname_np(errno) : "ok", CPU_COUNT(&s));
  // Only CPUs outside: EINVAL, as in a cpuset without them.
  cpu_set_t out;
  CPU_ZERO(&out);
  for (int i = 0; i < 64; i++)
    if (i != first) CPU_SET(i, &out);
  r = sched_setaffinity(0, sizeof out, &out);
  printf("set_outside %s\n", r < 0 ? strerrorname_np(errno) : "ok");
  alive();
  return 0;
}

static int memory(void) {
  pid_t c = fork();
  if (c == 0) {
    size_t got = 0;
    for (;;) {
      char *p = malloc(16 << 20);
      if (!p) {
        printf("malloc_failed_mb %zu\n", got);
        fflush(stdout);
        _exit(3);
      }
      memset(p, 1, 16 << 20);
      got += 16;
      if (got >= 8192) _exit(4);
    }
  }
  int st;
  waitpid(c, &st, 0);
  printf("child_status %x\n", st);
  return 0;
}

static void on_xcpu(int sig) {
  (void)sig;
  static const char m[] = "got SIGXCPU\n";
  write(1, m, sizeof m - 1);
}

static int cpu(int handle) {
  if (handle) signal(SIGXCPU, on_xcpu);
  // A child spins as well: the limit is the sandbox's, not a process's.
  if (fork() == 0)
    for (;;) {
    }
  for (;;) {
  }
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "pids")) return pids();
  if (!strcmp(m, "files")) return files();
  if (!strcmp(m, "fill") && argc > 2) return fill(argv[2]);
  if (!strcmp(m, "cpus")) return cpus();
  if (!strcmp(m, "memory")) return memory();
  if (!strcmp(m, "cpu")) return cpu(argc > 2);
  if (!strcmp(m, "sleep")) {
    if (fork() == 0) pause();
    sleep(1000);
    return 0;
  }
  fprintf(stderr, "usage: limits pids|files|fill PATH|cpus|memory|cpu [h]|sleep\n");
  return 2;
}
