/* The wait4 family: wait, waitpid(pid), waitpid(-1), waitpid(0) and
 * waitpid(-pgid), WNOHANG with running children, WUNTRACED/WCONTINUED with
 * SIGSTOP/SIGCONT, wait4's rusage, ECHILD, and EINVAL for bad options.
 * Children are held on pipes, so every ordering below is forced. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* A child that blocks until its pipe is written or closed, then exits with code. */
struct held {
  pid_t pid;
  int release;
};

static struct held spawn_held(int code, int new_group, pid_t join_group) {
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
  /* Set the group from the parent side so it holds before we go on. */
  if (new_group) setpgid(c, c);
  if (join_group) setpgid(c, join_group);
  return (struct held){c, p[1]};
}

static void release(struct held h) { close(h.release); }

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void show(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: signaled %s\n", what, sigabbrev_np(WTERMSIG(st)));
  else if (WIFSTOPPED(st))
    printf("%s: stopped %s\n", what, sigabbrev_np(WSTOPSIG(st)));
  else if (WIFCONTINUED(st))
    printf("%s: continued\n", what);
  else
    printf("%s: ? 0x%x\n", what, st);
}

int main(void) {
  int st;
  pid_t r;

  /* ECHILD with no children at all. */
  errno = 0;
  printf("wait() with no children: %s\n", err(wait(&st)));
  printf("waitpid(-1) with no children: %s\n", err(waitpid(-1, &st, 0)));
  printf("waitpid(-1, WNOHANG) with no children: %s\n", err(waitpid(-1, &st, WNOHANG)));
  printf("waitpid(self): %s\n", err(waitpid(getpid(), &st, 0)));
  printf("waitpid(bad options): %s\n", err(waitpid(-1, &st, 0x40000)));

  /* wait(): any child. */
  struct held a = spawn_held(1, 0, 0);
  release(a);
  r = wait(&st);
  printf("wait() returns the only child: %d\n", r == a.pid);
  show("  status", st);

  /* waitpid(pid) picks that child even when others have exited. */
  struct held h[3];
  for (int i = 0; i < 3; i++) h[i] = spawn_held(10 + i, 0, 0);
  release(h[0]);
  release(h[2]);
  r = waitpid(h[2].pid, &st, 0);
  printf("waitpid(third) returns it: %d\n", r == h[2].pid);
  show("  status", st);
  printf("waitpid(second, WNOHANG) while it runs: %d\n", waitpid(h[1].pid, &st, WNOHANG));
  r = waitpid(-1, &st, 0);
  printf("waitpid(-1) returns the exited first: %d\n", r == h[0].pid);
  show("  status", st);
  printf("waitpid(-1, WNOHANG) with a running child: %d\n", waitpid(-1, &st, WNOHANG));
  release(h[1]);
  r = waitpid(-1, &st, 0);
  printf("waitpid(-1) then returns the second: %d\n", r == h[1].pid);
  show("  status", st);
  printf("waitpid(reaped pid): %s\n", err(waitpid(h[1].pid, &st, 0)));

  /* waitpid(0): only children in our process group. */
  struct held same = spawn_held(20, 0, 0);
  struct held other = spawn_held(21, 1, 0);
  struct held other2 = spawn_held(22, 0, other.pid);
  printf("child moved to its own group: %d\n", getpgid(other.pid) == other.pid);
  printf("second child joined that group: %d\n", getpgid(other2.pid) == other.pid);
  printf("same-group child kept our group: %d\n", getpgid(same.pid) == getpgrp());
  release(other);
  release(other2);
  /* Wait for both by group, so they are zombies (and reaped) in order. */
  r = waitpid(-other.pid, &st, 0);
  printf("waitpid(-pgid) returns a member: %d\n", r == other.pid || r == other2.pid);
  pid_t first = r;
  r = waitpid(-other.pid, &st, 0);
  printf("waitpid(-pgid) returns the other member: %d\n", (r == other.pid || r == other2.pid) && r != first);
  printf("waitpid(-pgid) with the group empty: %s\n", err(waitpid(-other.pid, &st, WNOHANG)));
  printf("waitpid(0, WNOHANG) with our-group child running: %d\n", waitpid(0, &st, WNOHANG));
  release(same);
  r = waitpid(0, &st, 0);
  printf("waitpid(0) returns the same-group child: %d\n", r == same.pid);
  show("  status", st);

  /* waitpid(0) ignores a zombie in another group. */
  struct held lone = spawn_held(23, 1, 0);
  release(lone);
  r = waitpid(lone.pid, &st, WNOWAIT | WEXITED) ;
  /* (WNOWAIT is not a wait4 option: EINVAL; then wait for real.) */
  printf("wait4 with WNOWAIT: %s\n", err(r));
  siginfo_t si;
  waitid(P_PID, lone.pid, &si, WEXITED | WNOWAIT);
  printf("waitpid(0) with only another group's zombie: %s\n", err(waitpid(0, &st, WNOHANG)));
  r = waitpid(-1, &st, 0);
  printf("waitpid(-1) takes it: %d\n", r == lone.pid);

  /* WUNTRACED / WCONTINUED. */
  struct held s = spawn_held(30, 0, 0);
  kill(s.pid, SIGSTOP);
  r = waitpid(s.pid, &st, WUNTRACED);
  printf("WUNTRACED after SIGSTOP: %d\n", r == s.pid);
  show("  status", st);
  printf("stop reported once (WUNTRACED|WNOHANG again): %d\n", waitpid(s.pid, &st, WUNTRACED | WNOHANG));
  printf("without WUNTRACED a stopped child is not reported: %d\n", waitpid(s.pid, &st, WNOHANG));
  kill(s.pid, SIGCONT);
  r = waitpid(s.pid, &st, WCONTINUED);
  printf("WCONTINUED after SIGCONT: %d\n", r == s.pid);
  show("  status", st);
  printf("continue reported once: %d\n", waitpid(s.pid, &st, WCONTINUED | WNOHANG));
  kill(s.pid, SIGSTOP);
  r = waitpid(-1, &st, WUNTRACED);
  printf("stopped again, waitpid(-1, WUNTRACED): %d\n", r == s.pid);
  show("  status", st);
  kill(s.pid, SIGTERM); /* pending while stopped */
  printf("SIGTERM while stopped: still stopped (WNOHANG): %d\n", waitpid(s.pid, &st, WNOHANG));
  kill(s.pid, SIGCONT);
  r = waitpid(s.pid, &st, 0);
  printf("after SIGCONT it dies: %d\n", r == s.pid);
  show("  status", st);

  /* A stopped child killed with SIGKILL. */
  s = spawn_held(31, 0, 0);
  kill(s.pid, SIGSTOP);
  waitpid(s.pid, &st, WUNTRACED);
  kill(s.pid, SIGKILL);
  r = waitpid(s.pid, &st, WUNTRACED | WCONTINUED);
  show("stopped then SIGKILL", st);
  release(s);

  /* wait4 with rusage: a child that burns a little CPU. */
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 20000000; i++) x += i;
    _exit(0);
  }
  struct rusage ru;
  memset(&ru, 0xff, sizeof ru);
  r = wait4(c, &st, 0, &ru);
  printf("wait4 with rusage: %d\n", r == c);
  printf("  ru_utime sane: %d\n", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
  printf("  ru_stime sane: %d\n", ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
  printf("  some CPU time: %d\n", ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
  struct rusage self_ru, kids_ru;
  getrusage(RUSAGE_SELF, &self_ru);
  getrusage(RUSAGE_CHILDREN, &kids_ru);
  printf("  RUSAGE_CHILDREN includes it: %d\n",
         kids_ru.ru_utime.tv_sec * 1000000L + kids_ru.ru_utime.tv_usec >= ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec);
  fflush(stdout);
  c = fork();
  if (c == 0) _exit(0);
  printf("wait4 with NULL status and rusage: %d\n", wait4(c, NULL, 0, NULL) == c);

  /* Many zombies, collected with wait() in any order. */
  enum { N = 8 };
  pid_t kids[N];
  for (int i = 0; i < N; i++) {
    fflush(stdout);
    kids[i] = fork();
    if (kids[i] == 0) _exit(i);
  }
  int seen = 0, codes = 0;
  for (int i = 0; i < N; i++) {
    r = wait(&st);
    for (int j = 0; j < N; j++)
      if (r == kids[j]) seen |= 1 << j, codes += WEXITSTATUS(st) == j;
  }
  printf("wait() collected all %d: %d, codes right: %d\n", N, seen == (1 << N) - 1, codes == N);
  printf("then ECHILD: %s\n", err(wait(&st)));
  return 0;
}
