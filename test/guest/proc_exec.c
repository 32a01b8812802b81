/* exec of ELF programs: absolute and relative paths, PATH search (execvp),
 * fexecve/execveat, symlinks, argv/envp as passed (including an empty argv),
 * and what survives exec (pid, parent, cwd, umask, process group, rlimits). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char self[PATH_MAX];  /* canonical path of this program */
static char bindir[PATH_MAX];

static int env_is(const char *k, long v) {
  const char *s = getenv(k);
  return s && atol(s) == v;
}

/* The exec'd side: print what it was given and what it inherited. */
static int report(int argc, char **argv) {
  printf("  argc=%d", argc);
  for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\n");
  int n = 0;
  for (char **e = environ; *e; e++) n++;
  /* The inherited environment differs natively and in the sandbox; only an
   * environment we built ourselves is counted. */
  if (!getenv("EXP_PID")) printf("  envc=%d", n);
  printf("  FOO=%s\n", getenv("FOO") ? getenv("FOO") : "(unset)");
  if (getenv("EXP_PID")) {
    printf("  pid unchanged: %d, ppid unchanged: %d, pgid unchanged: %d\n", env_is("EXP_PID", getpid()),
           env_is("EXP_PPID", getppid()), env_is("EXP_PGID", getpgrp()));
    char cwd[PATH_MAX], exe[PATH_MAX];
    printf("  cwd kept: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, getenv("EXP_CWD")) == 0);
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l >= 0) exe[l] = 0;
    printf("  /proc/self/exe is this program: %d\n", l > 0 && strcmp(exe, getenv("EXP_EXE")) == 0);
    if (getenv("EXP_UMASK")) {
      mode_t um = umask(0);
      printf("  umask kept: %d\n", env_is("EXP_UMASK", um));
      struct rlimit rl;
      getrlimit(RLIMIT_NOFILE, &rl);
      printf("  RLIMIT_NOFILE soft kept: %d\n", env_is("EXP_NOFILE", (long)rl.rlim_cur));
    }
  }
  fflush(stdout);
  return argc;
}

static void setenvl(const char *k, long v) {
  char b[32];
  snprintf(b, sizeof b, "%ld", v);
  setenv(k, b, 1);
}

/* Runs fn in a child (which execs) and prints how the child ended. */
static void run(const char *what, void (*fn)(void)) {
  printf("%s:\n", what);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    setenvl("EXP_PID", getpid());
    setenvl("EXP_PPID", getppid());
    setenvl("EXP_PGID", getpgrp());
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) setenv("EXP_CWD", cwd, 1);
    setenv("EXP_EXE", self, 1);
    fn();
    printf("  exec failed: %s\n", strerrorname_np(errno));
    fflush(stdout);
    _exit(127);
  }
  int st;
  waitpid(c, &st, 0);
  if (WIFEXITED(st))
    printf("  -> exited %d\n", WEXITSTATUS(st));
  else
    printf("  -> signaled %d\n", WTERMSIG(st));
}

static void t_abs(void) {
  char *a[] = {"argv0-abs", "report", "with space", "", "last", NULL};
  execv(self, a);
}

static void t_rel_dot(void) {
  if (chdir(bindir)) return;
  setenv("EXP_CWD", bindir, 1);
  char *a[] = {"argv0-rel", "report", NULL};
  char rel[PATH_MAX];
  snprintf(rel, sizeof rel, "./%s", basename(self));
  execv(rel, a);
}

static void t_rel_parent(void) {
  char parent[PATH_MAX + 8];
  snprintf(parent, sizeof parent, "%s/..", bindir);
  if (chdir(parent)) return;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd)) setenv("EXP_CWD", cwd, 1);
  char rel[PATH_MAX];
  snprintf(rel, sizeof rel, "bin/../bin/%s", basename(self));
  char *a[] = {"argv0-rel2", "report", NULL};
  execv(rel, a);
}

static void t_execvp(void) {
  char path[PATH_MAX + 64];
  snprintf(path, sizeof path, "/nonexistent-dir:/proc/self:%s", bindir);
  setenv("PATH", path, 1);
  char *a[] = {basename(self), "report", "via-PATH", NULL};
  execvp(basename(self), a);
}

static void t_execvp_sh(void) {
  setenv("PATH", "/nonexistent-dir:/usr/bin:/bin", 1);
  char *a[] = {"sh", "-c", "echo \"  sh via PATH: $0 $1\"; exit 6", "zero", "one", NULL};
  execvp("sh", a);
}

static void t_envp(void) {
  char *a[] = {"argv0-env", "report", NULL};
  char *e[] = {"FOO=bar baz", "EMPTY=", "X=1", NULL};
  execve(self, a, e);
}

static void t_envp_empty(void) {
  char *a[] = {"argv0-noenv", "report", NULL};
  char *e[] = {NULL};
  execve(self, a, e);
}

static void t_argv_empty(void) {
  /* Linux passes a single empty string when argv is empty. */
  setenv("PROC_EXEC_MODE", "report", 1);
  char *a[] = {NULL};
  execve(self, a, environ);
}

static void t_fexecve(void) {
  int fd = open(self, O_RDONLY | O_CLOEXEC);
  char *a[] = {"argv0-fexecve", "report", NULL};
  fexecve(fd, a, environ);
}

static void t_execveat(void) {
  int d = open(bindir, O_DIRECTORY | O_RDONLY);
  char *a[] = {"argv0-execveat", "report", NULL};
  syscall(SYS_execveat, d, basename(self), a, environ, 0);
}

static char link_path[PATH_MAX];
static void t_symlink(void) {
  char *a[] = {"argv0-symlink", "report", NULL};
  execv(link_path, a);
}

static void t_inherit(void) {
  umask(027);
  setenvl("EXP_UMASK", 027);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = 200;
  setrlimit(RLIMIT_NOFILE, &rl);
  setenvl("EXP_NOFILE", 200);
  setpgid(0, 0);
  setenvl("EXP_PGID", getpgrp());
  char *a[] = {"argv0-inherit", "report", NULL};
  execv(self, a);
}

static void t_long_args(void) {
  /* Many arguments of moderate size, well under the limit. */
  enum { N = 2000 };
  static char *a[N + 3];
  static char buf[N][48];
  a[0] = "argv0-many";
  a[1] = "count";
  for (int i = 0; i < N; i++) {
    snprintf(buf[i], sizeof buf[i], "argument-number-%d-xxxxxxxxxxxxxxx", i);
    a[i + 2] = buf[i];
  }
  a[N + 2] = NULL;
  execv(self, a);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : getenv("PROC_EXEC_MODE");
  if (mode && strcmp(mode, "report") == 0) return report(argc, argv);
  if (mode && strcmp(mode, "count") == 0) {
    long total = 0;
    int ok = 1;
    for (int i = 2; i < argc; i++) {
      char want[48];
      snprintf(want, sizeof want, "argument-number-%d-xxxxxxxxxxxxxxx", i - 2);
      if (strcmp(argv[i], want) != 0) ok = 0;
      total += strlen(argv[i]);
    }
    printf("  argc=%d bytes=%ld intact=%d\n", argc, total, ok);
    return 0;
  }

  if (!realpath(argv[0], self)) return 1;
  strcpy(bindir, self);
  strcpy(bindir, dirname(bindir));
  unsetenv("PROC_EXEC_MODE");
  setenv("FOO", "from-parent", 1);

  run("absolute path", t_abs);
  run("relative ./name", t_rel_dot);
  run("relative bin/../bin/name", t_rel_parent);
  run("execvp via PATH", t_execvp);
  run("execvp sh", t_execvp_sh);
  run("execve with envp", t_envp);
  run("execve with empty envp", t_envp_empty);
  run("execve with empty argv", t_argv_empty);
  run("fexecve", t_fexecve);
  run("execveat dirfd+name", t_execveat);

  char dir[] = "/tmp/proc_exec_XXXXXX";
  if (!mkdtemp(dir)) return 1;
  snprintf(link_path, sizeof link_path, "%s/link", dir);
  if (symlink(self, link_path)) return 1;
  run("exec through a symlink", t_symlink);
  unlink(link_path);
  rmdir(dir);

  run("what survives exec", t_inherit);
  run("2000 arguments", t_long_args);
  return 0;
}
