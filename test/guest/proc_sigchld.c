/* SIGCHLD: a SA_SIGINFO handler sees the child's pid, code and status (exit,
 * kill, stop, continue); SIG_IGN makes children reap themselves (wait then
 * fails with ECHILD); SA_NOCLDWAIT does the same but still signals;
 * SA_NOCLDSTOP suppresses stop/continue notifications only. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static siginfo_t last;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  hits++;
  last = *si;
}

static const char *code_name(int c) {
  switch (c) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    case SI_USER: return "SI_USER";
    default: return "other";
  }
}

static void set_chld(void (*h)(int, siginfo_t *, void *), void (*plain)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  if (h) {
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | flags;
  } else {
    sa.sa_handler = plain;
    sa.sa_flags = flags;
  }
  sigaction(SIGCHLD, &sa, NULL);
}

/* Blocks SIGCHLD, runs `what` and returns once a SIGCHLD is pending, then
 * unblocks so the handler runs at a known point. */
static sigset_t chld_set;

static void block_chld(void) { sigprocmask(SIG_BLOCK, &chld_set, NULL); }

static void deliver_chld(void) {
  sigset_t none;
  sigemptyset(&none);
  sigsuspend(&none); /* returns after the handler ran */
  block_chld();
}

static void report(const char *what, pid_t c) {
  printf("%s: handler ran %d, code %s, pid==child %d, status %d, uid %d\n", what, hits, code_name(last.si_code),
         last.si_pid == c, last.si_status, last.si_uid);
  hits = 0;
}

struct held {
  pid_t pid;
  int release;
};

static struct held spawn_held(int code) {
  int p[2];
  if (pipe(p)) exit(1);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    /* Hold no other child's release pipe: only our own parent may free us. */
    close_range(3, p[0] - 1, 0);
    close_range(p[0] + 1, ~0U, 0);
    char b;
    (void)!read(p[0], &b, 1);
    _exit(code);
  }
  close(p[0]);
  return (struct held){c, p[1]};
}

int main(void) {
  sigemptyset(&chld_set);
  sigaddset(&chld_set, SIGCHLD);
  int st;

  /* Handler with SA_SIGINFO. */
  set_chld(on_chld, NULL, 0);
  block_chld();
  struct held h = spawn_held(9);
  close(h.release);
  deliver_chld();
  report("exit(9)", h.pid);
  int r = waitpid(h.pid, &st, 0);
  printf("  still waitable: %d status %d\n", r == h.pid, WEXITSTATUS(st));

  h = spawn_held(0);
  kill(h.pid, SIGKILL);
  deliver_chld();
  report("SIGKILL", h.pid);
  waitpid(h.pid, &st, 0);
  close(h.release);

  h = spawn_held(0);
  kill(h.pid, SIGSTOP);
  deliver_chld();
  report("SIGSTOP", h.pid);
  waitpid(h.pid, &st, WUNTRACED);
  kill(h.pid, SIGCONT);
  deliver_chld();
  report("SIGCONT", h.pid);
  waitpid(h.pid, &st, WCONTINUED);
  close(h.release);
  deliver_chld();
  report("exit(0) after continue", h.pid);
  waitpid(h.pid, &st, 0);

  /* Two children exit while SIGCHLD is blocked: one signal, two zombies. */
  struct held a = spawn_held(1), b = spawn_held(2);
  close(a.release);
  siginfo_t si;
  waitid(P_PID, a.pid, &si, WEXITED | WNOWAIT);
  close(b.release);
  waitid(P_PID, b.pid, &si, WEXITED | WNOWAIT);
  deliver_chld();
  printf("two exits while blocked: handler ran %d, first child's info %d\n", hits, last.si_pid == a.pid);
  hits = 0;
  printf("  both waitable: %d\n", waitpid(a.pid, &st, 0) == a.pid && waitpid(b.pid, &st, 0) == b.pid);
  sigprocmask(SIG_UNBLOCK, &chld_set, NULL);

  /* Taken synchronously with sigwaitinfo instead of a handler. */
  block_chld();
  h = spawn_held(11);
  close(h.release);
  siginfo_t wi;
  memset(&wi, 0, sizeof wi);
  int ws = sigwaitinfo(&chld_set, &wi);
  printf("sigwaitinfo: %s code %s pid==child %d status %d uid %d errno-field %d\n", ws == SIGCHLD ? "SIGCHLD" : "other",
         code_name(wi.si_code), wi.si_pid == h.pid, wi.si_status, wi.si_uid, wi.si_errno);
  waitpid(h.pid, &st, 0);
  h = spawn_held(0);
  kill(h.pid, SIGKILL);
  struct timespec ts = {5, 0};
  memset(&wi, 0, sizeof wi);
  ws = sigtimedwait(&chld_set, &wi, &ts);
  printf("sigtimedwait: %s code %s pid==child %d status %d\n", ws == SIGCHLD ? "SIGCHLD" : "other", code_name(wi.si_code),
         wi.si_pid == h.pid, wi.si_status);
  waitpid(h.pid, &st, 0);
  close(h.release);
  sigprocmask(SIG_UNBLOCK, &chld_set, NULL);

  /* SA_NOCLDSTOP: no signal for stop/continue, still one for exit. */
  set_chld(on_chld, NULL, SA_NOCLDSTOP);
  block_chld();
  h = spawn_held(3);
  kill(h.pid, SIGSTOP);
  waitpid(h.pid, &st, WUNTRACED);
  kill(h.pid, SIGCONT);
  waitpid(h.pid, &st, WCONTINUED);
  sigset_t pend;
  sigpending(&pend);
  printf("SA_NOCLDSTOP: SIGCHLD pending after stop+continue: %d\n", sigismember(&pend, SIGCHLD));
  close(h.release);
  deliver_chld();
  report("SA_NOCLDSTOP exit(3)", h.pid);
  waitpid(h.pid, &st, 0);
  sigprocmask(SIG_UNBLOCK, &chld_set, NULL);

  /* SIG_IGN: children are reaped automatically; wait fails with ECHILD. */
  signal(SIGCHLD, SIG_IGN);
  h = spawn_held(4);
  close(h.release);
  errno = 0;
  r = waitpid(h.pid, &st, 0);
  printf("SIG_IGN: waitpid: %d %s\n", r, strerrorname_np(errno));
  struct held hs[3];
  for (int i = 0; i < 3; i++) hs[i] = spawn_held(5);
  for (int i = 0; i < 3; i++) close(hs[i].release);
  errno = 0;
  r = wait(&st);
  printf("SIG_IGN: wait() blocks until all are gone, then: %d %s\n", r, strerrorname_np(errno));
  h = spawn_held(6);
  printf("SIG_IGN: WNOHANG with a running child: %d\n", waitpid(h.pid, &st, WNOHANG));
  kill(h.pid, SIGSTOP);
  r = waitpid(h.pid, &st, WUNTRACED);
  printf("SIG_IGN: stopped child still reported: %d\n", r == h.pid && WIFSTOPPED(st));
  kill(h.pid, SIGKILL);
  errno = 0;
  r = waitpid(h.pid, &st, 0);
  printf("SIG_IGN: killed child: %d %s\n", r, strerrorname_np(errno));
  close(h.release);

  /* SA_NOCLDWAIT with a handler: the handler runs, but no zombie is left. */
  set_chld(on_chld, NULL, SA_NOCLDWAIT);
  block_chld();
  h = spawn_held(7);
  close(h.release);
  deliver_chld();
  report("SA_NOCLDWAIT exit(7)", h.pid);
  errno = 0;
  r = waitpid(h.pid, &st, 0);
  printf("SA_NOCLDWAIT: waitpid: %d %s\n", r, strerrorname_np(errno));
  sigprocmask(SIG_UNBLOCK, &chld_set, NULL);

  /* Back to SIG_DFL: zombies again, and no handler. */
  signal(SIGCHLD, SIG_DFL);
  h = spawn_held(8);
  close(h.release);
  r = waitpid(h.pid, &st, 0);
  printf("SIG_DFL again: waitpid returns the child: %d status %d\n", r == h.pid, WEXITSTATUS(st));

  /* Setting SIG_IGN with a zombie present does not reap it (Linux keeps it). */
  h = spawn_held(10);
  close(h.release);
  waitid(P_PID, h.pid, &si, WEXITED | WNOWAIT);
  signal(SIGCHLD, SIG_IGN);
  r = waitpid(h.pid, &st, WNOHANG);
  printf("zombie from before SIG_IGN: %s\n", r == h.pid ? "reaped by wait" : r == 0 ? "not ready" : strerrorname_np(errno));
  signal(SIGCHLD, SIG_DFL);
  return 0;
}
