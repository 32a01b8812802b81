/* waitid: P_PID, P_PGID, P_ALL, WEXITED/WSTOPPED/WCONTINUED, WNOHANG and
 * WNOWAIT, the siginfo it fills (si_signo, si_code, si_status, si_pid, si_uid),
 * EINVAL cases, and clone children whose exit signal is not SIGCHLD (only
 * __WCLONE or __WALL wait for them). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *code_name(int c) {
  switch (c) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    case CLD_TRAPPED: return "CLD_TRAPPED";
    case 0: return "0";
    default: return "?";
  }
}

static void show(const char *what, int r, siginfo_t *si, pid_t expect) {
  if (r < 0) {
    printf("%s: %s\n", what, strerrorname_np(errno));
    return;
  }
  printf("%s: ret %d signo %s code %s status %d pid==child %d uid %d\n", what, r,
         si->si_signo ? sigabbrev_np(si->si_signo) : "0", code_name(si->si_code), si->si_status,
         si->si_pid == expect, si->si_uid);
}

struct held {
  pid_t pid;
  int release;
};

static struct held spawn_held(int code, int new_group) {
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
  if (new_group) setpgid(c, c);
  return (struct held){c, p[1]};
}

static char stack1[65536] __attribute__((aligned(16)));
static char stack2[65536] __attribute__((aligned(16)));
static int clone_child(void *arg) { return (int)(long)arg; }

int main(void) {
  siginfo_t si;
  int r;

  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED);
  show("P_ALL with no children", r, &si, 0);
  r = waitid(P_ALL, 0, &si, 0);
  show("no WEXITED/WSTOPPED/WCONTINUED", r, &si, 0);
  r = waitid(P_PID, 0, &si, WEXITED);
  show("P_PID 0", r, &si, 0);
  r = waitid(7, 0, &si, WEXITED);
  show("bad idtype", r, &si, 0);

  /* P_PID: exit code. */
  struct held a = spawn_held(3, 0);
  memset(&si, 0x55, sizeof si);
  r = waitid(P_PID, a.pid, &si, WEXITED | WNOHANG);
  show("WNOHANG while running (zeroed)", r, &si, 0);
  close(a.release);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WEXITED | WNOWAIT);
  show("P_PID WNOWAIT", r, &si, a.pid);
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED | WNOWAIT);
  show("P_ALL WNOWAIT again: same child", r, &si, a.pid);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WEXITED);
  show("P_PID reaps it", r, &si, a.pid);
  r = waitid(P_PID, a.pid, &si, WEXITED | WNOHANG);
  show("P_PID after reaping", r, &si, a.pid);

  /* waitid without WEXITED does not report an exit. */
  a = spawn_held(4, 0);
  close(a.release);
  waitid(P_PID, a.pid, &si, WEXITED | WNOWAIT);
  memset(&si, 0x55, sizeof si);
  r = waitid(P_PID, a.pid, &si, WSTOPPED | WCONTINUED | WNOHANG);
  show("zombie with only WSTOPPED|WCONTINUED", r, &si, 0);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WEXITED);
  show("then WEXITED", r, &si, a.pid);

  /* Killed by a signal. */
  a = spawn_held(5, 0);
  kill(a.pid, SIGKILL);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WEXITED);
  show("SIGKILL", r, &si, a.pid);
  close(a.release);
  a = spawn_held(5, 0);
  kill(a.pid, SIGUSR2);
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED);
  show("SIGUSR2", r, &si, a.pid);
  close(a.release);

  /* Stopped and continued. */
  a = spawn_held(6, 0);
  kill(a.pid, SIGSTOP);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WSTOPPED);
  show("SIGSTOP", r, &si, a.pid);
  memset(&si, 0x55, sizeof si);
  r = waitid(P_PID, a.pid, &si, WSTOPPED | WNOHANG);
  show("stop already consumed", r, &si, 0);
  kill(a.pid, SIGCONT);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WCONTINUED | WNOWAIT);
  show("SIGCONT WNOWAIT", r, &si, a.pid);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WCONTINUED);
  show("SIGCONT", r, &si, a.pid);
  /* (SIGSTOP again, not SIGTSTP: Linux ignores SIGTSTP in an orphaned
   * process group, which depends on how this program was started.) */
  kill(a.pid, SIGSTOP);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WSTOPPED | WEXITED);
  show("SIGSTOP again, WSTOPPED|WEXITED", r, &si, a.pid);
  kill(a.pid, SIGCONT);
  close(a.release);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, a.pid, &si, WEXITED);
  show("exit after continue", r, &si, a.pid);

  /* P_PGID: only members of that group. */
  struct held g1 = spawn_held(7, 1);
  struct held g2 = spawn_held(8, 0);
  setpgid(g2.pid, g1.pid);
  struct held outsider = spawn_held(9, 0);
  close(outsider.release);
  waitid(P_PID, outsider.pid, &si, WEXITED | WNOWAIT);
  memset(&si, 0x55, sizeof si);
  r = waitid(P_PGID, g1.pid, &si, WEXITED | WNOHANG);
  show("P_PGID with members running (outsider exited)", r, &si, 0);
  close(g2.release);
  memset(&si, 0, sizeof si);
  r = waitid(P_PGID, g1.pid, &si, WEXITED);
  show("P_PGID returns the exited member", r, &si, g2.pid);
  close(g1.release);
  memset(&si, 0, sizeof si);
  r = waitid(P_PGID, g1.pid, &si, WEXITED);
  show("P_PGID returns the leader", r, &si, g1.pid);
  r = waitid(P_PGID, g1.pid, &si, WEXITED);
  show("P_PGID now empty", r, &si, 0);
  memset(&si, 0, sizeof si);
  r = waitid(P_PGID, 0, &si, WEXITED);
  show("P_PGID 0 (our group) gets the outsider", r, &si, outsider.pid);

  /* Clone children with exit signal 0. */
  fflush(stdout);
  pid_t c1 = clone(clone_child, stack1 + sizeof stack1, 0, (void *)12L);
  pid_t c2 = clone(clone_child, stack2 + sizeof stack2, 0, (void *)13L);
  printf("clone children created: %d\n", c1 > 0 && c2 > 0 && c1 != c2);
  /* Make sure both are zombies before probing. */
  waitid(P_PID, c1, &si, WEXITED | WNOWAIT | __WCLONE);
  waitid(P_PID, c2, &si, WEXITED | WNOWAIT | __WALL);
  int st = 0;
  r = waitpid(c1, &st, WNOHANG);
  printf("waitpid(clone child) without __WCLONE: %s\n", r < 0 ? strerrorname_np(errno) : "found");
  r = waitpid(-1, &st, WNOHANG);
  printf("waitpid(-1) without __WCLONE: %s\n", r < 0 ? strerrorname_np(errno) : "found");
  r = waitpid(c1, &st, __WCLONE);
  printf("waitpid(__WCLONE): %d status %d\n", r == c1, WEXITSTATUS(st));
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED | __WALL);
  show("waitid(__WALL)", r, &si, c2);
  struct held normal = spawn_held(14, 0);
  close(normal.release);
  waitid(P_PID, normal.pid, &si, WEXITED | WNOWAIT);
  r = waitpid(-1, &st, __WCLONE | WNOHANG);
  printf("waitpid(__WCLONE) with only a normal child: %s\n", r < 0 ? strerrorname_np(errno) : "found");
  r = waitpid(-1, &st, __WALL);
  printf("waitpid(__WALL) gets the normal child: %d status %d\n", r == normal.pid, WEXITSTATUS(st));

  /* A clone child with a different exit signal (SIGUSR1 is not SIGCHLD). */
  signal(SIGUSR1, SIG_IGN);
  pid_t c3 = clone(clone_child, stack1 + sizeof stack1, SIGUSR1, (void *)15L);
  r = waitpid(c3, &st, __WCLONE);
  printf("exit signal SIGUSR1 child via __WCLONE: %d status %d\n", r == c3, WEXITSTATUS(st));

  /* SIGCHLD ignored auto-reaps only children that would send SIGCHLD. */
  signal(SIGCHLD, SIG_IGN);
  pid_t c4 = clone(clone_child, stack1 + sizeof stack1, 0, (void *)16L);
  r = waitpid(c4, &st, __WCLONE);
  printf("SIGCHLD ignored, exit-signal-0 child still waitable: %d status %d\n", r == c4, WEXITSTATUS(st));
  fflush(stdout);
  pid_t c5 = fork();
  if (c5 == 0) _exit(17);
  r = waitpid(c5, &st, 0);
  printf("SIGCHLD ignored, fork child: %s\n", r < 0 ? strerrorname_np(errno) : "found");
  signal(SIGCHLD, SIG_DFL);

  r = waitid(P_ALL, 0, &si, WEXITED | __WALL);
  show("nothing left", r, &si, 0);
  return 0;
}
