// cflags: -pthread
/* What exec does to a process's state: close-on-exec descriptors are closed
 * and the others kept (every way of setting the flag), exec from a non-main
 * thread kills the other threads and keeps the pid, signal dispositions are
 * reset (handled -> default, ignored stays ignored), and the blocked mask and
 * pending signals survive. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[PATH_MAX];

static const char *fdstate(int fd) {
  int f = fcntl(fd, F_GETFD);
  if (f < 0) return strerrorname_np(errno);
  return f & FD_CLOEXEC ? "open,cloexec" : "open";
}

static int count_threads(void) {
  DIR *d = opendir("/proc/self/task");
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n;
}

static const char *disp(int sig) {
  struct sigaction sa;
  sigaction(sig, NULL, &sa);
  if (sa.sa_handler == SIG_DFL) return "default";
  if (sa.sa_handler == SIG_IGN) return "ignored";
  return "handler";
}

/* ---- the exec'd side ---- */

static int after_exec(int argc, char **argv) {
  const char *mode = argv[1];
  if (strcmp(mode, "fds") == 0) {
    for (int i = 2; i < argc; i++) printf("  fd %s: %s\n", argv[i], fdstate(atoi(argv[i])));
  } else if (strcmp(mode, "thread") == 0) {
    printf("  after exec from a thread: pid kept %d, tid == pid %d, threads %d\n", atol(argv[2]) == getpid(),
           gettid() == getpid(), count_threads());
    printf("  parent kept: %d\n", atol(argv[3]) == getppid());
  } else if (strcmp(mode, "sigs") == 0) {
    printf("  SIGUSR1 (had a handler): %s\n", disp(SIGUSR1));
    printf("  SIGUSR2 (was ignored): %s\n", disp(SIGUSR2));
    printf("  SIGTERM (was default): %s\n", disp(SIGTERM));
    printf("  SIGPIPE (was ignored): %s\n", disp(SIGPIPE));
    printf("  SIGCHLD (had a handler): %s\n", disp(SIGCHLD));
    sigset_t m, p;
    sigprocmask(SIG_BLOCK, NULL, &m);
    sigpending(&p);
    printf("  SIGHUP still blocked: %d, pending: %d\n", sigismember(&m, SIGHUP), sigismember(&p, SIGHUP));
    printf("  SIGINT still blocked: %d, pending: %d\n", sigismember(&m, SIGINT), sigismember(&p, SIGINT));
    printf("  SIGQUIT blocked: %d\n", sigismember(&m, SIGQUIT));
    /* SIGCHLD is back to default: a child must be waitable again. */
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) _exit(4);
    int st;
    pid_t w = waitpid(c, &st, 0);
    printf("  child after exec waitable: %d status %d\n", w == c, WEXITSTATUS(st));
  } else if (strcmp(mode, "clonewait") == 0) {
    /* Our clone child's exit signal was SIGUSR1; since we exec'd, Linux
     * sends SIGCHLD instead (SIGUSR1 would kill us: its handler is gone). */
    pid_t c = atoi(argv[2]);
    close(atoi(argv[3]));
    int st;
    pid_t w = waitpid(c, &st, __WALL);
    printf("  clone child after our exec: waited %d, exited %d code %d\n", w == c, WIFEXITED(st), WEXITSTATUS(st));
  } else if (strcmp(mode, "sigchld-ign") == 0) {
    printf("  SIGCHLD (was ignored): %s\n", disp(SIGCHLD));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) _exit(4);
    int r = waitpid(c, NULL, 0);
    printf("  child auto-reaped after exec: %s\n", r < 0 ? strerrorname_np(errno) : "no");
  }
  fflush(stdout);
  return 0;
}

/* ---- the driver ---- */

static void wait_child(pid_t c) {
  int st;
  waitpid(c, &st, 0);
  if (WIFEXITED(st))
    printf("  -> exited %d\n", WEXITSTATUS(st));
  else
    printf("  -> signaled %s\n", sigabbrev_np(WTERMSIG(st)));
}

static void cloexec_test(void) {
  printf("close-on-exec:\n");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    int a = open("/dev/null", O_RDONLY);
    int b = open("/dev/null", O_RDONLY | O_CLOEXEC);
    dup2(a, 20);                     /* plain: kept */
    dup2(b, 21);                     /* dup2 clears the flag: kept */
    dup3(a, 22, O_CLOEXEC);          /* closed */
    fcntl(a, F_DUPFD_CLOEXEC, 23);   /* lands on 23: closed */
    fcntl(b, F_DUPFD, 24);           /* F_DUPFD clears the flag: kept */
    dup2(a, 25);
    fcntl(25, F_SETFD, FD_CLOEXEC);  /* set later: closed */
    dup2(b, 26);
    fcntl(26, F_SETFD, 0);           /* cleared later: kept */
    int p[2];
    pipe2(p, O_CLOEXEC);
    dup2(p[0], 27);                  /* kept */
    dup3(p[1], 28, O_CLOEXEC);       /* closed */
    int s = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    dup3(s, 29, O_CLOEXEC);          /* closed */
    printf("  before exec: 20 %s, 22 %s, 25 %s\n", fdstate(20), fdstate(22), fdstate(25));
    fflush(stdout);
    char *args[] = {self, "fds", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", NULL};
    execv(self, args);
    _exit(127);
  }
  wait_child(c);

  /* The same seen by another program, through /proc/self/fd. */
  printf("close-on-exec seen by /bin/sh:\n");
  fflush(stdout);
  c = fork();
  if (c == 0) {
    int a = open("/dev/null", O_RDONLY);
    dup2(a, 40);
    dup3(a, 41, O_CLOEXEC);
    execl("/bin/sh", "sh", "-c",
          "for n in 40 41; do if test -e /proc/self/fd/$n; then echo \"  fd $n open\"; else echo \"  fd $n closed\"; fi; done",
          (char *)NULL);
    _exit(127);
  }
  wait_child(c);
}

static pid_t thread_parent;
static void *exec_from_thread(void *arg) {
  (void)arg;
  char pid[24], ppid[24];
  snprintf(pid, sizeof pid, "%d", getpid());
  snprintf(ppid, sizeof ppid, "%d", getppid());
  char *args[] = {self, "thread", pid, ppid, NULL};
  execv(self, args);
  _exit(127);
}

static void *spin_forever(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void thread_exec_test(void) {
  printf("exec from a non-main thread:\n");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    pthread_t t[3];
    pthread_create(&t[0], NULL, spin_forever, NULL);
    pthread_create(&t[1], NULL, spin_forever, NULL);
    printf("  threads before exec: %d\n", count_threads());
    fflush(stdout);
    pthread_create(&t[2], NULL, exec_from_thread, NULL);
    for (;;) pause();
  }
  (void)thread_parent;
  wait_child(c);
}

static void on_sig(int s) { (void)s; }

static void signals_test(void) {
  printf("signal dispositions across exec:\n");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGHUP);
    sigaddset(&m, SIGINT);
    sigprocmask(SIG_BLOCK, &m, NULL);
    raise(SIGHUP); /* pending across exec */
    char *args[] = {self, "sigs", NULL};
    execv(self, args);
    _exit(127);
  }
  wait_child(c);

  printf("SIGCHLD ignored across exec:\n");
  fflush(stdout);
  c = fork();
  if (c == 0) {
    signal(SIGCHLD, SIG_IGN);
    char *args[] = {self, "sigchld-ign", NULL};
    execv(self, args);
    _exit(127);
  }
  wait_child(c);
}

static char clone_stack[65536] __attribute__((aligned(16)));
static int clone_write_end;
static int clone_reader(void *arg) {
  char b;
  close(clone_write_end); /* EOF once the exec'd parent closes its copy */
  (void)!read((int)(long)arg, &b, 1);
  return 6;
}

static void exit_signal_test(void) {
  printf("exit signal of a clone child after the parent exec'd:\n");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    int p[2];
    if (pipe(p)) _exit(1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGUSR1, &sa, NULL);
    clone_write_end = p[1];
    pid_t k = clone(clone_reader, clone_stack + sizeof clone_stack, SIGUSR1, (void *)(long)p[0]);
    close(p[0]);
    char ks[24], ws[24];
    snprintf(ks, sizeof ks, "%d", k);
    snprintf(ws, sizeof ws, "%d", p[1]);
    char *args[] = {self, "clonewait", ks, ws, NULL};
    execv(self, args);
    _exit(127);
  }
  wait_child(c);
}

int main(int argc, char **argv) {
  if (argc > 1) return after_exec(argc, argv);
  if (!realpath(argv[0], self)) return 1;
  cloexec_test();
  thread_exec_test();
  signals_test();
  exit_signal_test();
  return 0;
}
