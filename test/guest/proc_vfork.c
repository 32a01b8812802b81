/* vfork: the parent is suspended until the child execs or exits, the child
 * shares the parent's memory meanwhile, and exec/_exit statuses come back. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int shared_step;
static volatile int child_errno;
static volatile pid_t child_seen_pid, child_seen_ppid;

static void show_status(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "exec-target") == 0) {
    printf("exec'd by vfork child with %d args, last=%s\n", argc, argv[argc - 1]);
    return 33;
  }
  pid_t me = getpid();
  int st;

  /* vfork + _exit: the child's writes are visible (shared memory), and the
   * parent only runs after the child is gone. */
  shared_step = 0;
  fflush(stdout);
  pid_t c = vfork();
  if (c == 0) {
    child_seen_pid = getpid();
    child_seen_ppid = getppid();
    shared_step = 1;
    _exit(7);
  }
  printf("parent resumed after child ran: %d\n", shared_step == 1);
  printf("vfork() returned the child's pid: %d\n", child_seen_pid == c);
  printf("child getppid() == parent pid: %d\n", child_seen_ppid == me);
  printf("child pid differs from parent: %d\n", c != me);
  printf("waitpid: %d\n", waitpid(c, &st, 0) == c);
  show_status("vfork+_exit(7)", st);

  /* vfork + exec of ourselves: the parent resumes once exec succeeded; the
   * exec'd program's output comes before the parent's wait returns. */
  shared_step = 0;
  fflush(stdout);
  c = vfork();
  if (c == 0) {
    shared_step = 2;
    char *args[] = {argv[0], "exec-target", "x", "y", NULL};
    execv(argv[0], args);
    child_errno = errno;
    _exit(127);
  }
  printf("parent resumed after exec: %d\n", shared_step == 2);
  printf("waitpid: %d\n", waitpid(c, &st, 0) == c);
  show_status("vfork+exec", st);

  /* vfork + exec of /bin/sh with a command writing to our stdout. */
  fflush(stdout);
  c = vfork();
  if (c == 0) {
    execl("/bin/sh", "sh", "-c", "echo from sh; exit 4", (char *)NULL);
    _exit(127);
  }
  waitpid(c, &st, 0);
  show_status("vfork+sh", st);

  /* vfork + failed exec: the child reports errno through shared memory. */
  child_errno = 0;
  fflush(stdout);
  c = vfork();
  if (c == 0) {
    char *args[] = {"nope", NULL};
    execv("/nonexistent/program", args);
    child_errno = errno;
    _exit(127);
  }
  printf("failed exec errno: %s\n", strerrorname_np(child_errno));
  waitpid(c, &st, 0);
  show_status("vfork+failed exec", st);

  /* Several vforks in a row, each fully serialised. */
  int order_ok = 1;
  for (int i = 0; i < 5; i++) {
    shared_step = -1;
    fflush(stdout);
    c = vfork();
    if (c == 0) {
      shared_step = i;
      _exit(i);
    }
    if (shared_step != i) order_ok = 0;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != i) order_ok = 0;
  }
  printf("five vforks serialised: %d\n", order_ok);

  printf("no children left: %d\n", wait(NULL) == -1 && errno == ECHILD);
  return 0;
}
