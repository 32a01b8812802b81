/* The path walk: slashes, dots, trailing slashes and dots, long names, *at() with odd dirfds. */
#include "fs_util.h"
#include <limits.h>

static void st(const char *what, const char *path) {
  struct stat s;
  errno = 0;
  if (stat(path, &s) != 0) SAY("%s: -1 %s\n", what, ename(errno));
  else SAY("%s: type %o\n", what, (unsigned)(s.st_mode & S_IFMT));
}

int main(void) {
  fs_setup("paths");
  put("f", "file");
  R("mkdir d", mkdir("d", 0755));
  R("mkdir d/e", mkdir("d/e", 0755));
  R("symlink ld -> d", symlink("d", "ld"));
  R("symlink lf -> f", symlink("f", "lf"));
  R("symlink abs -> /tmp", symlink("/tmp", "abs"));
  R("symlink dots -> ../..", symlink("../..", "d/dots"));

  st("/", "/");
  st("//", "//");
  st("/..", "/..");
  st("/../../tmp", "/../../tmp");
  st("//tmp//fs_test_paths///f", "//tmp//fs_test_paths///f");
  st("/./tmp/./../tmp/fs_test_paths/./f", "/./tmp/./../tmp/fs_test_paths/./f");
  st("f/", "f/");
  st("f/.", "f/.");
  st("f/..", "f/..");
  st("d/.", "d/.");
  st("d/e/../..//d/./e/", "d/e/../..//d/./e/");
  st("ld/e", "ld/e");
  st("ld/../f", "ld/../f");
  st("lf/", "lf/");
  st("lf/.", "lf/.");
  st("abs/fs_test_paths/f", "abs/fs_test_paths/f");
  st("d/dots/tmp", "d/dots/tmp");
  st("ld/dots/tmp/fs_test_paths/d", "ld/dots/tmp/fs_test_paths/d");
  st(".", ".");
  st("./", "./");
  st("..", "..");

  /* Name and path lengths. */
  char name[300];
  memset(name, 'n', sizeof name);
  name[255] = 0;
  int fd = R("create a 255-byte name", open(name, O_CREAT | O_WRONLY, 0644));
  close(fd);
  st("stat 255-byte name", name);
  name[255] = 'n';
  name[256] = 0;
  R("open 256-byte name", open(name, O_RDONLY));
  R("mkdir 256-byte name", mkdir(name, 0755));
  R("stat 256-byte name", stat(name, &(struct stat){0}));
  static char longpath[PATH_MAX + 10];
  size_t n = 0;
  while (n < PATH_MAX - 2) {
    longpath[n++] = '.';
    longpath[n++] = '/';
  }
  longpath[n] = 0; /* 4094 bytes of "./" */
  SAY("path of %zu bytes: ", strlen(longpath));
  st("stat", longpath);
  longpath[n++] = 'f';
  longpath[n] = 0; /* 4095 bytes: still fits with its NUL */
  SAY("path of %zu bytes: ", strlen(longpath));
  st("stat", longpath);
  longpath[n++] = 'f';
  longpath[n] = 0; /* 4096 bytes: too long */
  SAY("path of %zu bytes: ", strlen(longpath));
  st("stat", longpath);

  /* Special names as targets of the calls that create and remove. */
  R("mkdir /", mkdir("/", 0755));
  R("mkdir .", mkdir(".", 0755));
  R("mkdir d/e/..", mkdir("d/e/..", 0755));
  R("rmdir /", rmdir("/"));
  R("rmdir d/.", rmdir("d/."));
  R("rmdir d/..", rmdir("d/.."));
  R("unlink /", unlink("/"));
  R("unlink d/", unlink("d/"));
  /* Both sides on the root mount (natively /tmp may share it, in the sandbox it does not):
   * the kernel refuses these before touching anything. */
  R("rename / /x", rename("/", "/fs_test_paths_no_such_name"));
  R("rename /etc/hostname /", rename("/etc/hostname", "/"));
  R("rename d d/", rename("d", "d/"));
  R("rename f f/", rename("f", "f/"));
  R("link d/ x", link("d/", "x"));
  R("link f/ x", link("f/", "x"));
  R("symlink x f/", symlink("x", "f/"));
  R("mknod d/", mknod("d/", S_IFIFO | 0644, 0));
  R("open f/. O_CREAT", open("f/.", O_CREAT | O_RDWR, 0644));
  R("open d/. O_CREAT", open("d/.", O_CREAT | O_RDWR, 0644));
  R("open / O_CREAT", open("/", O_CREAT | O_RDWR, 0644));
  R("open / O_CREAT|O_EXCL", open("/", O_CREAT | O_EXCL | O_RDWR, 0644));

  /* *at() and dirfds. */
  int dfd = open("d", O_RDONLY | O_DIRECTORY);
  int ffd = open("f", O_RDONLY);
  R("openat(dir, \"\")", openat(dfd, "", O_RDONLY));
  R("openat(dir, \".\")", (fd = openat(dfd, ".", O_RDONLY), close(fd), fd >= 0 ? 0 : -1));
  R("mkdirat(file fd, x)", mkdirat(ffd, "x", 0755));
  R("mkdirat(file fd, /tmp/fs_test_paths/viaabs)", mkdirat(ffd, "/tmp/fs_test_paths/viaabs", 0755));
  R("unlinkat(dir, \"..\", AT_REMOVEDIR)", unlinkat(dfd, "..", AT_REMOVEDIR));
  R("unlinkat(dir, \".\", AT_REMOVEDIR)", unlinkat(dfd, ".", AT_REMOVEDIR));
  R("renameat within dir fd", (put("d/r1", ""), renameat(dfd, "r1", dfd, "r2")));
  R("renameat across fds", renameat(dfd, "r2", AT_FDCWD, "r3"));
  st("r3", "r3");
  R("fstatat(file fd, \"\", 0)", fstatat(ffd, "", &(struct stat){0}, 0));
  R("readlinkat(dir fd, dots)", readlinkat(dfd, "dots", name, sizeof name));
  R("symlinkat into file fd", symlinkat("x", ffd, "y"));
  R("linkat from file fd path", linkat(ffd, "x", AT_FDCWD, "z", 0));
  R("faccessat(-1, relative)", faccessat(-1, "f", F_OK, 0));
  R("faccessat(-1, absolute)", faccessat(-1, "/tmp", F_OK, 0));
  R("fchownat(dir, \"\", AT_EMPTY_PATH)", fchownat(dfd, "", 0, 0, AT_EMPTY_PATH));
  close(dfd);
  close(ffd);

  /* chdir through symlinks and dots. */
  R("chdir ld/e/../e", chdir("ld/e/../e"));
  char cwd[PATH_MAX];
  SAY("cwd ends with /d/e: %d\n", getcwd(cwd, sizeof cwd) && strlen(cwd) > 4 && !strcmp(cwd + strlen(cwd) - 4, "/d/e"));
  R("chdir ../../lf", chdir("../../lf"));
  R("chdir ../../abs", chdir("../../abs"));
  SAY("cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : ename(errno));

  fs_cleanup();
  return 0;
}
