// cflags: -pthread
/* Orphans: with PR_SET_CHILD_SUBREAPER set on this program, a grandchild whose
 * parent exits is reparented to us (natively and in the sandbox alike), may
 * be waited for by us, and gets its PR_SET_PDEATHSIG signal when its parent
 * dies. The nearest subreaper wins; an orphaned zombie is reported too. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void xwrite(int fd, const void *b, size_t n) {
  if (write(fd, b, n) != (ssize_t)n) _exit(100);
}

static int xread(int fd, void *b, size_t n) { return read(fd, b, n) == (ssize_t)n; }

static void show(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: signaled %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

struct fork_args {
  int report, up;
  pid_t proc;
};

/* Forks a child that waits for its pdeathsig, then ends (only this thread). */
static void *forking_thread(void *arg) {
  struct fork_args *fa = arg;
  int ready[2];
  if (pipe(ready)) return NULL;
  pid_t c = fork();
  if (c == 0) {
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m, NULL);
    prctl(PR_SET_PDEATHSIG, SIGUSR2);
    xwrite(ready[1], "r", 1);
    siginfo_t si;
    sigwaitinfo(&m, &si);
    int res[2] = {si.si_signo, getppid() == fa->proc};
    xwrite(fa->report, res, sizeof res);
    _exit(0);
  }
  char b;
  xread(ready[0], &b, 1);
  return NULL;
}

int main(void) {
  pid_t me = getpid();
  int v = -1;
  printf("subreaper initially: %d\n", prctl(PR_GET_CHILD_SUBREAPER, &v) == 0 ? v : -1);
  printf("PR_SET_CHILD_SUBREAPER: %d\n", prctl(PR_SET_CHILD_SUBREAPER, 1));
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  printf("subreaper now: %d\n", v);

  /* 1. Parent exits first; the orphan asks who its parent is once we have
   * reaped that parent (so reparenting is complete). */
  int up[2], down[2];
  if (pipe(up) || pipe(down)) return 1;
  fflush(stdout);
  pid_t a = fork();
  if (a == 0) {
    int priv[2];
    if (pipe(priv)) _exit(91);
    pid_t g = fork();
    if (g == 0) {
      pid_t before = getppid();
      xwrite(priv[1], "r", 1);
      char b;
      if (!xread(down[0], &b, 1)) _exit(90);
      pid_t after[2] = {before, getppid()};
      xwrite(up[1], after, sizeof after);
      _exit(44);
    }
    char b;
    xread(priv[0], &b, 1); /* g has looked at its parent: we may go */
    xwrite(up[1], &g, sizeof g);
    _exit(0);
  }
  pid_t g;
  xread(up[0], &g, sizeof g);
  int st;
  waitpid(a, &st, 0);
  show("middle process", st);
  xwrite(down[1], "x", 1);
  pid_t pp[2];
  xread(up[0], pp, sizeof pp);
  printf("orphan's parent was the middle process: %d\n", pp[0] == a);
  printf("orphan's getppid() == subreaper pid: %d\n", pp[1] == me);
  printf("subreaper reaps the orphan: %d\n", waitpid(g, &st, 0) == g);
  show("orphan", st);

  /* 2. The orphan is already a zombie when its parent exits: we get it. */
  fflush(stdout);
  a = fork();
  if (a == 0) {
    pid_t z = fork();
    if (z == 0) _exit(45);
    siginfo_t si;
    waitid(P_PID, z, &si, WEXITED | WNOWAIT); /* a zombie, not reaped */
    xwrite(up[1], &z, sizeof z);
    _exit(0);
  }
  pid_t z;
  xread(up[0], &z, sizeof z);
  waitpid(a, &st, 0);
  printf("orphaned zombie is ours to reap: %d\n", waitpid(z, &st, 0) == z);
  show("orphaned zombie", st);

  /* 3. Nearest subreaper: A (subreaper) -> B -> C; B exits; C goes to A. */
  fflush(stdout);
  a = fork();
  if (a == 0) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t aself = getpid();
    pid_t b = fork();
    if (b == 0) {
      pid_t c = fork();
      if (c == 0) {
        char x;
        if (!xread(down[0], &x, 1)) _exit(90);
        pid_t r[2] = {getppid(), aself};
        xwrite(up[1], r, sizeof r);
        _exit(46);
      }
      _exit(0);
    }
    int bst;
    waitpid(b, &bst, 0);
    xwrite(down[1], "y", 1);
    /* C is now our child. */
    int cst;
    pid_t w = waitpid(-1, &cst, 0);
    _exit(w > 0 && WIFEXITED(cst) ? WEXITSTATUS(cst) : 1);
  }
  pid_t r2[2];
  xread(up[0], r2, sizeof r2);
  printf("grandchild reparented to the nearest subreaper: %d\n", r2[0] == r2[1]);
  waitpid(a, &st, 0);
  show("nearest subreaper reaped it and exited with its code", st);

  /* 4. PR_SET_PDEATHSIG: the orphan is signalled when its parent dies. */
  fflush(stdout);
  a = fork();
  if (a == 0) {
    int priv[2];
    if (pipe(priv)) _exit(91);
    pid_t c = fork();
    if (c == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      int s = -1;
      prctl(PR_GET_PDEATHSIG, &s);
      xwrite(priv[1], &s, sizeof s);
      for (;;) pause();
    }
    int s;
    xread(priv[0], &s, sizeof s); /* the child set it */
    xwrite(up[1], &c, sizeof c);
    _exit(0);
  }
  pid_t c;
  xread(up[0], &c, sizeof c);
  waitpid(a, &st, 0);
  printf("pdeathsig child reaped by us: %d\n", waitpid(c, &st, 0) == c);
  show("pdeathsig child", st);

  /* 5. pdeathsig with a handler: the signal arrives after reparenting. */
  fflush(stdout);
  a = fork();
  if (a == 0) {
    int priv[2];
    if (pipe(priv)) _exit(91);
    pid_t c2 = fork();
    if (c2 == 0) {
      sigset_t m;
      sigemptyset(&m);
      sigaddset(&m, SIGUSR1);
      sigprocmask(SIG_BLOCK, &m, NULL);
      prctl(PR_SET_PDEATHSIG, SIGUSR1);
      xwrite(priv[1], "r", 1);
      siginfo_t si;
      sigwaitinfo(&m, &si);
      int got[2] = {si.si_signo, getppid() == me};
      xwrite(up[1], got, sizeof got);
      _exit(47);
    }
    char x;
    xread(priv[0], &x, 1);
    xwrite(up[1], &c2, sizeof c2);
    _exit(0);
  }
  xread(up[0], &c, sizeof c);
  waitpid(a, &st, 0);
  int got[2];
  xread(up[0], got, sizeof got);
  printf("pdeathsig delivered: %s, parent then is the subreaper: %d\n", sigabbrev_np(got[0]), got[1]);
  waitpid(c, &st, 0);
  show("pdeathsig handler child", st);

  /* 6. PR_SET_PDEATHSIG is not inherited by a fork child. */
  prctl(PR_SET_PDEATHSIG, SIGHUP);
  fflush(stdout);
  a = fork();
  if (a == 0) {
    int s = -1;
    prctl(PR_GET_PDEATHSIG, &s);
    _exit(s);
  }
  waitpid(a, &st, 0);
  show("fork child's pdeathsig", st);
  prctl(PR_SET_PDEATHSIG, 0);

  /* 7. The parent is a thread: when the thread that forked a child exits,
   * the child gets its pdeathsig although its parent process lives on. */
  fflush(stdout);
  a = fork();
  if (a == 0) {
    pthread_t t;
    int priv[2];
    if (pipe(priv)) _exit(91);
    struct fork_args fa = {priv[1], up[1], getpid()};
    pthread_create(&t, NULL, forking_thread, &fa);
    pthread_join(t, NULL); /* the creating thread is gone now */
    int res[2];
    if (!xread(priv[0], res, sizeof res)) _exit(92);
    printf("  thread-parent: pdeathsig %s, child's parent still our process: %d\n", sigabbrev_np(res[0]), res[1]);
    int cst;
    pid_t w = waitpid(-1, &cst, 0);
    printf("  the child is still ours to wait for: %d\n", w > 0);
    fflush(stdout);
    _exit(0);
  }
  waitpid(a, &st, 0);
  show("thread-parent test", st);

  printf("nothing left: %s\n", wait(NULL) < 0 ? strerrorname_np(errno) : "child");
  return 0;
}
