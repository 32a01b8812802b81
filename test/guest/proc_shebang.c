/* `#!` scripts: how the interpreter's argv is built (with and without an
 * optional argument, whitespace, nesting), the nesting limit (ELOOP), and
 * exec's errors: ENOENT, EACCES, ENOEXEC, ENOTDIR, E2BIG. The interpreter is
 * this program itself, which prints the argv it receives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[PATH_MAX];
static char dir[] = "/tmp/proc_shebang_XXXXXX";

/* Prints s with the temporary directory and our own path replaced. */
static void put_masked(const char *s, const char *tdir, const char *me) {
  size_t tl = strlen(tdir), ml = strlen(me);
  while (*s) {
    if (tl && strncmp(s, tdir, tl) == 0) {
      fputs("$T", stdout);
      s += tl;
    } else if (ml && strncmp(s, me, ml) == 0) {
      fputs("$SELF", stdout);
      s += ml;
    } else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f) {
      printf("\\x%02x", (unsigned char)*s++);
    } else {
      putchar(*s++);
    }
  }
}

static int interp(int argc, char **argv) {
  const char *tdir = getenv("T_DIR");
  const char *me = getenv("T_SELF");
  printf("  interp argc=%d:", argc);
  for (int i = 0; i < argc; i++) {
    printf(" [");
    put_masked(argv[i], tdir ? tdir : "", me ? me : "");
    printf("]");
  }
  printf("\n");
  return 0;
}

static void write_file(const char *name, const void *data, size_t len, mode_t mode) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
    printf("cannot create %s\n", name);
    exit(1);
  }
  close(fd);
  chmod(p, mode);
}

static void write_script(const char *name, const char *first_line, mode_t mode) {
  char body[PATH_MAX * 2];
  int n = snprintf(body, sizeof body, "%s\nthis is not run\n", first_line);
  write_file(name, body, n, mode);
}

/* Runs path with args in a child; prints the interpreter's output or the error. */
static void try_exec(const char *what, const char *path, char *const *args) {
  printf("%s:\n", what);
  fflush(stdout);
  int p[2];
  if (pipe2(p, O_CLOEXEC)) exit(1);
  pid_t c = fork();
  if (c == 0) {
    execv(path, args);
    int e = errno;
    (void)!write(p[1], &e, sizeof e);
    _exit(127);
  }
  close(p[1]);
  int e = 0;
  ssize_t n = read(p[0], &e, sizeof e);
  close(p[0]);
  int st;
  waitpid(c, &st, 0);
  if (n == sizeof e)
    printf("  error: %s\n", strerrorname_np(e));
  else
    printf("  -> exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void script(const char *what, const char *name, char *extra) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *args[] = {"argv0-ignored", extra, NULL};
  try_exec(what, path, args);
}

int main(int argc, char **argv) {
  /* Run as an interpreter: the driver below sets T_DIR for its children. */
  if (getenv("T_DIR")) return interp(argc, argv);
  if (!realpath(argv[0], self)) return 1;
  if (!mkdtemp(dir)) return 1;
  setenv("T_DIR", dir, 1);
  setenv("T_SELF", self, 1);
  char line[PATH_MAX + 64];

  /* Interpreter without and with an optional argument. */
  snprintf(line, sizeof line, "#!%s", self);
  write_script("plain", line, 0755);
  script("no interpreter argument", "plain", "interp");
  snprintf(line, sizeof line, "#!%s interp", self);
  write_script("witharg", line, 0755);
  script("one interpreter argument", "witharg", "user-arg");
  snprintf(line, sizeof line, "#! \t%s   interp  two words \t ", self);
  write_script("spaces", line, 0755);
  script("whitespace around and inside the argument", "spaces", "u");
  snprintf(line, sizeof line, "#!%s interp\r", self);
  write_script("crlf", line, 0755);
  script("carriage return before newline", "crlf", NULL);

  /* Lines longer than the 256-byte buffer: the argument is cut (at 255
   * bytes), an interpreter path that does not end inside it is refused. */
  {
    char longl[600];
    int n = snprintf(longl, sizeof longl, "#!%s interp-", self);
    memset(longl + n, 'a', 400);
    longl[n + 400] = 0;
    write_script("longarg", longl, 0755);
    script("argument cut at the buffer end", "longarg", NULL);
    n = snprintf(longl, sizeof longl, "#!/");
    memset(longl + n, 'p', 400);
    longl[n + 400] = 0;
    write_script("longinterp", longl, 0755);
    script("interpreter path longer than the buffer", "longinterp", NULL);
    /* No newline at all, but the interpreter ends inside the buffer. */
    n = snprintf(longl, sizeof longl, "#!%s interp", self);
    write_file("nonewline", longl, n, 0755);
    script("no newline", "nonewline", NULL);
    n = snprintf(longl, sizeof longl, "#!%s", self);
    write_file("nonewline2", longl, n, 0755);
    script("no newline and no argument", "nonewline2", "interp");
    n = snprintf(longl, sizeof longl, "#!%s", self);
    memcpy(longl + n, "\0 ignored after NUL\n", 21);
    write_file("nul", longl, n + 21, 0755);
    script("NUL ends the line", "nul", "interp");
  }

  /* Nesting: a script whose interpreter is another script. */
  snprintf(line, sizeof line, "#!%s/witharg nested-arg", dir);
  write_script("nested", line, 0755);
  script("script interpreted by a script", "nested", "u");

  /* Chains of 1..7 scripts ending in this program: Linux allows a bounded depth. */
  for (int depth = 1; depth <= 7; depth++) {
    char name[32], prev[PATH_MAX];
    snprintf(prev, sizeof prev, "%s/witharg", dir);
    for (int i = 1; i < depth; i++) {
      snprintf(name, sizeof name, "chain%d_%d", depth, i);
      snprintf(line, sizeof line, "#!%s", prev);
      write_script(name, line, 0755);
      snprintf(prev, sizeof prev, "%s/%s", dir, name);
    }
    char what[64];
    snprintf(what, sizeof what, "chain of %d script(s)", depth);
    if (depth == 1)
      script(what, "witharg", NULL);
    else
      script(what, name, NULL);
  }

  /* Errors. */
  script("missing file", "does-not-exist", NULL);
  snprintf(line, sizeof line, "#!%s/no-such-interpreter", dir);
  write_script("badinterp", line, 0755);
  script("missing interpreter", "badinterp", NULL);
  snprintf(line, sizeof line, "#!%s interp", self);
  write_script("noexec", line, 0644);
  script("script without x bit", "noexec", NULL);
  write_script("notx_interp", "#!/etc/passwd", 0755);
  script("interpreter without x bit", "notx_interp", NULL);
  write_script("dir_interp", "#!/tmp", 0755);
  script("interpreter is a directory", "dir_interp", NULL);
  {
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s/adir", dir);
    mkdir(d, 0755);
    script("a directory", "adir", NULL);
    rmdir(d);
  }
  write_file("garbage", "\x01\x02garbage that is not a program\n", 32, 0755);
  script("garbage content", "garbage", NULL);
  write_file("empty", "", 0, 0755);
  script("empty file", "empty", NULL);
  write_file("badelf", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24, 0755);
  script("truncated ELF header", "badelf", NULL);
  write_script("emptyinterp", "#!", 0755);
  script("#! with nothing after it", "emptyinterp", NULL);
  write_script("blankinterp", "#!   \t", 0755);
  script("#! with only blanks", "blankinterp", NULL);
  script("path through a regular file", "garbage/child", NULL);
  {
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/plain", dir);
    char *args[] = {"x", "interp", NULL};
    char p2[PATH_MAX + 8];
    snprintf(p2, sizeof p2, "%s/", p);
    try_exec("trailing slash on a script", p2, args);
  }

  /* E2BIG: 3 MiB of arguments, and one argument above MAX_ARG_STRLEN. */
  {
    enum { N = 3 * 1024 };
    char **args = calloc(N + 3, sizeof *args);
    char *blob = malloc(1024);
    memset(blob, 'a', 1023);
    blob[1023] = 0;
    args[0] = "big";
    args[1] = "interp";
    for (int i = 0; i < N; i++) args[i + 2] = blob;
    try_exec("3 MiB of arguments", self, args);
    char *huge = malloc(200 * 1024);
    memset(huge, 'b', 200 * 1024 - 1);
    huge[200 * 1024 - 1] = 0;
    char *args2[] = {"big", "interp", huge, NULL};
    try_exec("one 200 KiB argument", self, args2);
    snprintf(line, sizeof line, "%s/plain", dir);
    try_exec("3 MiB of arguments to a script", line, args);
    free(args);
    free(blob);
    free(huge);
  }

  /* Clean up. */
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : 1;
}
