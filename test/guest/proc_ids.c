/* Process ids, groups and sessions: getpid/getppid/gettid, getpgid/getpgrp,
 * setpgid (and its EPERM/ESRCH/EACCES/EINVAL cases), setsid (EPERM for a
 * group leader) and getsid. The program itself is the sandbox's init but not
 * a session leader natively, so session tests run in children. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void show(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else
    printf("%s: signaled %d\n", what, WTERMSIG(st));
}

struct held {
  pid_t pid;
  int release;
};

static struct held spawn_held(void) {
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
    _exit(0);
  }
  close(p[0]);
  return (struct held){c, p[1]};
}

static void finish(struct held h) {
  close(h.release);
  waitpid(h.pid, NULL, 0);
}

int main(int argc, char **argv) {
  if (argc > 1) {
    /* exec'd child: nothing to do but exist until released */
    char b;
    (void)!read(0, &b, 1);
    return 0;
  }
  pid_t me = getpid();
  printf("getpid() > 0: %d, gettid() == getpid(): %d\n", me > 0, (pid_t)syscall(SYS_gettid) == me);
  printf("getppid() != getpid(): %d\n", getppid() != me);
  printf("getpgrp() == getpgid(0): %d\n", getpgrp() == getpgid(0));
  printf("getpgid(self) == getpgid(0): %d\n", getpgid(me) == getpgid(0));
  printf("getsid(0) == getsid(self): %d\n", getsid(0) == getsid(me));
  printf("getpgid(-1): %s\n", res(getpgid(-1)));
  printf("getsid(-1): %s\n", res(getsid(-1)));
  printf("getpgid(unused pid): %s\n", res(getpgid(4000000)));
  printf("getsid(unused pid): %s\n", res(getsid(4000000)));

  /* setpgid on a child. */
  struct held h = spawn_held();
  printf("child starts in our group: %d, our session: %d\n", getpgid(h.pid) == getpgrp(), getsid(h.pid) == getsid(0));
  printf("setpgid(child, child): %s", res(setpgid(h.pid, h.pid)));
  printf(", now its own group: %d\n", getpgid(h.pid) == h.pid);
  printf("setpgid(child, 0) (same): %s\n", res(setpgid(h.pid, 0)));
  printf("setpgid(child, our group): %s", res(setpgid(h.pid, getpgrp())));
  printf(", back: %d\n", getpgid(h.pid) == getpgrp());
  printf("setpgid(child, -1): %s\n", res(setpgid(h.pid, -1)));
  printf("setpgid(child, nonexistent group): %s\n", res(setpgid(h.pid, 4000000)));
  printf("setpgid(unrelated pid): %s\n", res(setpgid(4000000, 0)));
  printf("setpgid(-5, 0): %s\n", res(setpgid(-5, 0)));

  /* A grandchild is not ours to move. */
  /* One pipe per direction: a process never reads what it wrote itself. */
  int up[2], down[2];
  if (pipe(up) || pipe(down)) return 1;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct held g = spawn_held();
    (void)!write(up[1], &g.pid, sizeof g.pid);
    char b;
    (void)!read(down[0], &b, 1);
    finish(g);
    _exit(0);
  }
  pid_t gpid;
  (void)!read(up[0], &gpid, sizeof gpid);
  printf("setpgid(grandchild): %s\n", res(setpgid(gpid, gpid)));
  (void)!write(down[1], "x", 1);
  waitpid(c, NULL, 0);

  /* A child in another session cannot be moved (EPERM). */
  int s2[2];
  if (pipe(s2)) return 1;
  fflush(stdout);
  c = fork();
  if (c == 0) {
    pid_t sid = setsid();
    int ok = sid == getpid();
    (void)!write(s2[1], &ok, sizeof ok);
    char b;
    (void)!read(down[0], &b, 1);
    _exit(0);
  }
  int ok;
  (void)!read(s2[0], &ok, sizeof ok);
  printf("child setsid() returned its pid: %d\n", ok);
  printf("getsid(child) == child: %d, getpgid(child) == child: %d\n", getsid(c) == c, getpgid(c) == c);
  printf("setpgid(child in other session): %s\n", res(setpgid(c, getpgrp())));
  (void)!write(down[1], "x", 1);
  waitpid(c, NULL, 0);

  /* After exec, the parent may no longer change the child's group (EACCES). */
  int in[2];
  if (pipe(in)) return 1;
  int sync[2];
  if (pipe2(sync, O_CLOEXEC)) return 1;
  fflush(stdout);
  c = fork();
  if (c == 0) {
    dup2(in[0], 0);
    close(in[1]);
    char *a[] = {argv[0], "exec'd", NULL};
    execv(argv[0], a);
    _exit(127);
  }
  close(sync[1]);
  char b;
  (void)!read(sync[0], &b, 1); /* EOF once the child exec'd (close-on-exec) */
  printf("setpgid(child after exec): %s\n", res(setpgid(c, c)));
  close(in[1]);
  close(in[0]);
  waitpid(c, NULL, 0);

  /* setsid: EPERM for a process group leader, fine otherwise. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    setpgid(0, 0);
    printf("  group leader: setsid(): %s\n", res(setsid()));
    fflush(stdout);
    pid_t g = fork();
    if (g == 0) {
      pid_t sid = setsid();
      printf("  non-leader: setsid() == pid: %d, getsid(0) == pid: %d, getpgrp() == pid: %d\n", sid == getpid(),
             getsid(0) == getpid(), getpgrp() == getpid());
      printf("  setsid() again: %s\n", res(setsid()));
      printf("  setpgid(0, 0) as session leader: %s\n", res(setpgid(0, 0)));
      fflush(stdout);
      _exit(0);
    }
    waitpid(g, NULL, 0);
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  show("session child", st);

  /* setpgid(0, pgid) joining an existing group of our session. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    setpgid(0, 0);
    pid_t leader = getpid();
    pid_t g = fork();
    if (g == 0) {
      setpgid(0, 0);
      printf("  member made its own group: %d\n", getpgrp() == getpid());
      printf("  setpgid(0, leader's group): %s", res(setpgid(0, leader)));
      printf(", joined: %d\n", getpgrp() == leader);
      fflush(stdout);
      _exit(0);
    }
    waitpid(g, NULL, 0);
    _exit(0);
  }
  waitpid(c, NULL, 0);

  /* A group outlives its leader while a member lives. The member is
   * orphaned: as a subreaper we get it, natively and in the sandbox. */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    setpgid(0, 0);
    pid_t m = fork(); /* stays in c's group until killed */
    if (m == 0)
      for (;;) pause();
    (void)!write(up[1], &m, sizeof m);
    _exit(0);
  }
  pid_t member;
  (void)!read(up[0], &member, sizeof member);
  waitpid(c, NULL, 0);
  printf("leader gone, member still in its group: %d\n", getpgid(member) == c);
  printf("kill(-old leader's group, 0): %s\n", res(kill(-c, 0)));
  printf("kill(old leader, 0): %s\n", res(kill(c, 0)));
  struct held other = spawn_held();
  printf("setpgid(our child, leaderless group in our session): %s\n", res(setpgid(other.pid, c)));
  finish(other);
  printf("member reparented to us (running, waitable): %d\n", waitpid(member, NULL, WNOHANG) == 0);
  kill(member, SIGKILL);
  int mst;
  waitpid(member, &mst, 0);
  show("member", mst);
  finish(h);
  return 0;
}
