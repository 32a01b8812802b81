/* /proc/self: exe, fd/, cmdline, stat, status, maps, cwd; /proc/PID of a child. */
// args: first second-arg third
#include "fs_util.h"
#include <dirent.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sys/wait.h>

static size_t slurp(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  size_t n = 0;
  ssize_t r;
  while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0) n += r;
  buf[n] = 0;
  close(fd);
  return n;
}

static int cmp_int(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

/* The fds /proc/self/fd lists, sorted, printed. */
static void list_fds(const char *what) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) {
    SAY("%s: opendir %s\n", what, ename(errno));
    return;
  }
  int self = dirfd(d), fds[64], n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.' && n < 64 && atoi(e->d_name) != self) fds[n++] = atoi(e->d_name);
  closedir(d);
  qsort(fds, n, sizeof fds[0], cmp_int);
  SAY("%s:", what);
  for (int i = 0; i < n; i++) SAY(" %d", fds[i]);
  SAY("\n");
}

int main(int argc, char **argv) {
  /* Whatever the caller left open beyond stdio goes: the listings below are exact. */
  R("close_range(3, ~0)", close_range(3, ~0U, 0));
  fs_setup("proc");
  static char buf[1 << 16];
  char link[PATH_MAX], real[PATH_MAX];

  /* exe */
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("exe readlink ok: %d\n", n > 0);
  SAY("exe equals realpath(argv[0]): %d\n", realpath(argv[0], real) && !strcmp(real, link));
  struct stat a, b;
  stat("/proc/self/exe", &a);
  stat(argv[0], &b);
  SAY("stat(exe) is the program: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
  lstat("/proc/self/exe", &a);
  SAY("lstat(exe) is a symlink: %d\n", S_ISLNK(a.st_mode));

  /* cmdline */
  size_t len = slurp("/proc/self/cmdline", buf, sizeof buf);
  size_t want = 0;
  int same = 1;
  for (int i = 0; i < argc; i++) {
    size_t l = strlen(argv[i]) + 1;
    if (want + l > len || memcmp(buf + want, argv[i], l)) same = 0;
    want += l;
  }
  SAY("cmdline is argv joined with NULs: %d (argc %d)\n", same && want == len, argc);
  for (int i = 1; i < argc; i++) SAY("argv[%d] = %s\n", i, argv[i]);

  /* stat */
  slurp("/proc/self/stat", buf, sizeof buf);
  int pid = atoi(buf);
  SAY("stat field 1 is getpid(): %d\n", pid == getpid());
  char *rp = strrchr(buf, ')');
  char state = rp && rp[1] == ' ' ? rp[2] : '?';
  int ppid = rp ? atoi(rp + 4) : -1;
  SAY("stat state R or S: %d, ppid is getppid(): %d\n", state == 'R' || state == 'S', ppid == getppid());
  char *lp = strchr(buf, '(');
  SAY("comm in stat: %.*s\n", rp && lp ? (int)(rp - lp - 1) : 0, lp ? lp + 1 : "");

  /* status */
  slurp("/proc/self/status", buf, sizeof buf);
  char *pl = strstr(buf, "\nPid:\t");
  SAY("status Pid is getpid(): %d\n", pl && atoi(pl + 6) == getpid());
  char *ppl = strstr(buf, "\nPPid:\t");
  SAY("status PPid is getppid(): %d\n", ppl && atoi(ppl + 7) == getppid());
  char *ul = strstr(buf, "\nUid:");
  if (ul) {
    char *end = strchr(ul + 1, '\n');
    SAY("status %.*s\n", end ? (int)(end - ul - 1) : 0, ul + 1);
  }
  char *gl = strstr(buf, "\nGid:");
  if (gl) {
    char *end = strchr(gl + 1, '\n');
    SAY("status %.*s\n", end ? (int)(end - gl - 1) : 0, gl + 1);
  }
  char *nl = strstr(buf, "Name:\t");
  if (nl) {
    char *end = strchr(nl, '\n');
    SAY("status %.*s\n", end ? (int)(end - nl) : 0, nl);
  }
  char *um = strstr(buf, "\nUmask:\t");
  if (um) SAY("status Umask: %.4s\n", um + 8);

  /* maps */
  slurp("/proc/self/maps", buf, sizeof buf);
  SAY("maps has a line with the program's path: %d\n", strstr(buf, real) != NULL);
  int has_stack = strstr(buf, "[stack]") != NULL;
  SAY("maps has [stack]: %d\n", has_stack);

  /* fd/ */
  list_fds("fds at start");
  put("file", "x");
  int f1 = open("file", O_RDONLY);
  R("mkdir dir", mkdir("dir", 0755));
  int f2 = open("dir", O_RDONLY | O_DIRECTORY);
  int p[2];
  if (pipe(p) != 0) return 1;
  int f3 = dup2(f1, 20);
  list_fds("fds after opening");
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", f1);
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("fd of file reads as the path opened: %d\n", !strcmp(link, fs_dir_join("file")));
  snprintf(path, sizeof path, "/proc/self/fd/%d", f2);
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("fd of dir reads as the path opened: %d\n", !strcmp(link, fs_dir_join("dir")));
  snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("pipe fd reads as pipe:[...]: %d\n", !strncmp(link, "pipe:[", 6) && link[n - 1] == ']');
  snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
  char link2[PATH_MAX];
  ssize_t n2 = readlink(path, link2, sizeof link2 - 1);
  link2[n2 > 0 ? n2 : 0] = 0;
  SAY("both pipe ends read the same: %d\n", !strcmp(link, link2));
  snprintf(path, sizeof path, "/proc/self/fd/%d", f3);
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("dup2'd fd reads as the file: %d\n", !strcmp(link, fs_dir_join("file")));
  R("rename file", rename("file", "renamed"));
  snprintf(path, sizeof path, "/proc/self/fd/%d", f1);
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("after rename the fd reads as the new path: %d\n", !strcmp(link, fs_dir_join("renamed")));
  R("unlink", unlink("renamed"));
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  char want_del[PATH_MAX];
  snprintf(want_del, sizeof want_del, "%s (deleted)", fs_dir_join("renamed"));
  SAY("after unlink it reads ... (deleted): %d\n", !strcmp(link, want_del));
  /* The deleted file can still be opened through its fd link. */
  int again = open(path, O_RDONLY);
  SAY("reopen deleted file via /proc/self/fd: %s\n", again >= 0 ? "ok" : ename(errno));
  if (again >= 0) show_read("reads", again, 10);
  close(again);
  lstat(path, &a);
  SAY("fd entry lstat: symlink %d perm %o\n", S_ISLNK(a.st_mode), (unsigned)(a.st_mode & 0777));
  close(f1);
  close(f2);
  close(p[0]);
  close(p[1]);
  close(f3);
  list_fds("fds after closing");
  R("readlink closed fd", readlink(path, link, sizeof link));

  /* cwd */
  n = readlink("/proc/self/cwd", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("cwd link is the cwd: %d\n", !strcmp(link, fs_dir));
  R("chdir /proc/self/cwd/dir", chdir("/proc/self/cwd/dir"));
  getcwd(link, sizeof link);
  SAY("now in dir: %d\n", !strcmp(link, fs_dir_join("dir")));
  R("chdir back", chdir(fs_dir));

  /* /proc/self is the caller; /proc/PID of a child is the child's. */
  n = readlink("/proc/self", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("/proc/self names getpid(): %d\n", atoi(link) == getpid());
  int sync[2];
  if (pipe(sync) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    close(sync[1]);
    char c;
    (void)!read(sync[0], &c, 1);
    _exit(0);
  }
  snprintf(path, sizeof path, "/proc/%d/stat", child);
  slurp(path, buf, sizeof buf);
  rp = strrchr(buf, ')');
  SAY("child stat pid: %d ppid is us: %d\n", atoi(buf) == child, rp && atoi(rp + 4) == getpid());
  snprintf(path, sizeof path, "/proc/%d/cmdline", child);
  len = slurp(path, buf, sizeof buf);
  SAY("child cmdline is ours: %d\n", len == want);
  snprintf(path, sizeof path, "/proc/%d", child);
  SAY("child dir exists: %d\n", stat(path, &a) == 0);
  close(sync[1]);
  int st;
  waitpid(child, &st, 0);
  SAY("child dir gone after reaping: %d\n", stat(path, &a) != 0 && errno == ENOENT);
  close(sync[0]);

  fs_cleanup();
  return 0;
}
