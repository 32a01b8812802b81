/* getcwd/chdir/fchdir, including getcwd after the cwd's parent is renamed. */
#include "fs_util.h"
#include <sys/syscall.h>
#include <sys/wait.h>

static void pwd(const char *what) {
  char buf[512];
  if (!getcwd(buf, sizeof buf)) {
    SAY("%s: -1 %s\n", what, ename(errno));
    return;
  }
  /* Print relative to the test directory: natively and in the sandbox it is the same path. */
  size_t n = strlen(fs_dir);
  if (!strncmp(buf, fs_dir, n)) SAY("%s: <dir>%s\n", what, buf + n);
  else SAY("%s: %s\n", what, buf);
}

int main(void) {
  fs_setup("cwd");
  pwd("start");
  R("mkdir a", mkdir("a", 0755));
  R("mkdir a/b", mkdir("a/b", 0755));
  R("mkdir a/b/c", mkdir("a/b/c", 0755));
  R("chdir a/b/c", chdir("a/b/c"));
  pwd("in c");
  R("chdir ..", chdir(".."));
  pwd("in b");
  R("chdir ./c/../c/.", chdir("./c/../c/."));
  pwd("in c again");
  R("chdir missing", chdir("missing"));
  put("file", "");
  R("chdir file", chdir("file"));
  R("chdir empty", chdir(""));
  pwd("still c");

  /* Rename an ancestor: the cwd follows the directory, not the name. */
  R("rename a -> z (cwd inside)", rename(fs_dir_join("a"), fs_dir_join("z")));
  pwd("after parent renamed");
  R("rename z/b -> z/bb", rename("../../b", "../../bb"));
  pwd("after grandparent-child renamed");
  R("create relative to moved cwd", (put("here", "x"), 0));
  struct stat st;
  R("stat through new path", stat(fs_dir_join("z/bb/c/here"), &st));

  /* getcwd buffer sizes. */
  char small[4];
  errno = 0;
  const char *got = getcwd(small, sizeof small);
  SAY("getcwd small buffer: %s %s\n", got ? "ok" : "NULL", ename(errno));
  char buf[512];
  long r = syscall(SYS_getcwd, buf, sizeof buf);
  SAY("raw getcwd returns strlen+1: %d\n", r == (long)strlen(buf) + 1);
  R("raw getcwd size 0", syscall(SYS_getcwd, buf, 0));
  R("raw getcwd exact size", syscall(SYS_getcwd, buf, strlen(buf) + 1));
  R("raw getcwd one short", syscall(SYS_getcwd, buf, strlen(buf)));

  /* fchdir */
  int top = open(fs_dir, O_RDONLY | O_DIRECTORY);
  int fd = open("here", O_RDONLY);
  R("fchdir file", fchdir(fd));
  close(fd);
  R("fchdir bad fd", fchdir(99));
  R("fchdir top", fchdir(top));
  pwd("after fchdir");
  int pfd = open("z/bb", O_PATH);
  R("fchdir O_PATH dir", fchdir(pfd));
  pwd("after fchdir O_PATH");
  close(pfd);
  R("fchdir top", fchdir(top));

  /* The cwd removed: getcwd fails, relative names fail, .. still works. */
  R("mkdir gone", mkdir("gone", 0755));
  R("chdir gone", chdir("gone"));
  R("rmdir own cwd", rmdir(fs_dir_join("gone")));
  pwd("cwd removed");
  R("open . in removed cwd", open(".", O_RDONLY));
  R("chdir ..", chdir(".."));
  pwd("back");

  /* chdir through a symlink: getcwd shows the physical path. */
  R("symlink", symlink("z/bb/c", "lnk"));
  R("chdir lnk", chdir("lnk"));
  pwd("via symlink");
  R("chdir ..", chdir(".."));
  pwd("physical parent");
  R("fchdir top", fchdir(top));

  /* cwd is per process: a child's chdir does not move the parent. */
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir("z") != 0) _exit(1);
    pwd("child");
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  pwd("parent after child chdir");

  /* Permissions on the way (root may search anything). */
  R("chmod z 0", chmod("z", 0));
  R("chdir z mode 0 as root", chdir("z"));
  R("fchdir top", fchdir(top));
  chmod("z", 0755);
  R("chdir /", chdir("/"));
  pwd("root");
  R("chdir /..", chdir("/.."));
  pwd("root's parent is root");
  close(top);
  fs_cleanup();
  return 0;
}
