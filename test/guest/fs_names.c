/* unlink/rename/link/symlink/readlink/access/faccessat. */
#include "fs_util.h"
#include <sys/syscall.h>
#include <sys/wait.h>

static void nlink_of(const char *what, const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) SAY("%s: -1 %s\n", what, ename(errno));
  else SAY("%s: nlink %ld size %lld\n", what, (long)st.st_nlink, (long long)st.st_size);
}

static void rl(const char *what, const char *path) {
  char buf[256];
  errno = 0;
  ssize_t n = readlink(path, buf, sizeof buf);
  if (n < 0) SAY("%s: -1 %s\n", what, ename(errno));
  else SAY("%s: %zd \"%.*s\"\n", what, n, (int)n, buf);
}

static int exists(const char *p) {
  struct stat st;
  return lstat(p, &st) == 0;
}

int main(void) {
  fs_setup("names");
  struct stat a, b;

  /* unlink */
  put("f", "data");
  R("unlink", unlink("f"));
  R("unlink again", unlink("f"));
  R("mkdir d", mkdir("d", 0755));
  R("unlink dir", unlink("d"));
  R("unlink trailing slash on file", (put("g", "x"), unlink("g/")));
  R("unlink dir trailing slash", unlink("d/"));
  R("unlink empty", unlink(""));
  R("unlink .", unlink("."));
  R("unlink through file", unlink("g/x"));
  R("symlink ld -> d", symlink("d", "ld"));
  R("unlink symlink to dir", unlink("ld"));
  SAY("d survives: %d\n", exists("d"));
  R("unlinkat in dir fd", (put("d/in", ""), unlinkat(open("d", O_RDONLY), "in", 0)));

  /* link */
  put("orig", "12345");
  R("link", link("orig", "hard"));
  nlink_of("orig", "orig");
  R("link to existing name", link("orig", "hard"));
  R("link missing", link("missing", "x"));
  R("link dir", link("d", "dlink"));
  R("link into missing dir", link("orig", "nodir/x"));
  R("link trailing slash", link("orig", "h2/"));
  stat("orig", &a);
  stat("hard", &b);
  SAY("same inode: %d\n", a.st_ino == b.st_ino);
  R("unlink orig", unlink("orig"));
  nlink_of("hard", "hard");
  show_file("hard content", "hard");
  R("symlink sl -> hard", symlink("hard", "sl"));
  R("link symlink (no follow)", link("sl", "sl2"));
  lstat("sl2", &a);
  SAY("sl2 is symlink: %d\n", S_ISLNK(a.st_mode));
  nlink_of("sl", "sl");
  R("linkat AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "sl", AT_FDCWD, "hard2", AT_SYMLINK_FOLLOW));
  lstat("hard2", &a);
  SAY("hard2 is regular: %d\n", S_ISREG(a.st_mode));
  nlink_of("hard", "hard");
  int fd = open("hard", O_RDONLY);
  R("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "hard3", AT_EMPTY_PATH));
  nlink_of("hard", "hard");
  close(fd);
  R("linkat bad flags", linkat(AT_FDCWD, "hard", AT_FDCWD, "hard4", 0x1));

  /* symlink/readlink */
  R("symlink relative", symlink("hard", "rel"));
  R("symlink absolute", symlink("/tmp/fs_test_names/hard", "abs"));
  R("symlink dangling", symlink("does/not/exist", "dang"));
  R("symlink existing name", symlink("x", "hard"));
  R("symlink empty target", symlink("", "empty"));
  R("symlink trailing slash name", symlink("x", "sname/"));
  R("symlink trailing slash existing", symlink("x", "d/"));
  R("mknod trailing slash name", mknod("nname/", S_IFREG | 0644, 0));
  R("mkfifo trailing slash existing", mkfifo("hard/", 0644));
  R("link trailing slash existing", link("hard", "d/"));
  R("symlink long target", symlink("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "long"));
  rl("readlink rel", "rel");
  rl("readlink abs", "abs");
  rl("readlink dang", "dang");
  rl("readlink long", "long");
  rl("readlink file", "hard");
  rl("readlink missing", "missing");
  rl("readlink through symlink dir", "ld");
  rl("readlink trailing slash", "ld/");
  char small[4];
  R("readlink small buffer truncates", readlink("rel", small, sizeof small));
  SAY("truncated: %.4s\n", small);
  R("readlink size 0", readlink("rel", small, 0));
  show_file("via rel", "rel");
  show_file("via abs", "abs");
  show_file("via dang", "dang");
  nlink_of("lstat rel", "rel");
  R("symlink loop a->b", symlink("b", "a"));
  R("symlink loop b->a", symlink("a", "b"));
  R("stat loop", stat("a", &a));
  R("lstat loop", lstat("a", &a));
  R("access loop", access("a", F_OK));
  /* A chain of 40 links resolves, 41 does not. */
  char n1[32], n2[32];
  put("end", "end");
  snprintf(n1, sizeof n1, "c0");
  symlink("end", n1);
  for (int i = 1; i <= 40; i++) {
    snprintf(n1, sizeof n1, "c%d", i);
    snprintf(n2, sizeof n2, "c%d", i - 1);
    symlink(n2, n1);
  }
  R("stat chain of 40", stat("c39", &a));
  R("stat chain of 41", stat("c40", &a));
  R("symlink to dir then ..", (mkdir("d/sub", 0755), symlink("d/sub", "tosub"), stat("tosub/..", &a)));
  stat("d", &b);
  SAY("tosub/.. is d (physical ..): %d\n", a.st_ino == b.st_ino);
  int dfd = open("d", O_RDONLY);
  R("symlinkat", symlinkat("../hard", dfd, "up"));
  show_file("via d/up", "d/up");
  char buf[64];
  R("readlinkat", readlinkat(dfd, "up", buf, sizeof buf));
  close(dfd);

  /* rename */
  put("r1", "one");
  put("r2", "two");
  R("rename over file", rename("r1", "r2"));
  show_file("r2", "r2");
  SAY("r1 gone: %d\n", !exists("r1"));
  R("rename missing", rename("r1", "r3"));
  R("rename to same", rename("r2", "r2"));
  R("rename hard links of same inode", (link("r2", "r2b"), rename("r2", "r2b")));
  SAY("both names kept: %d %d\n", exists("r2"), exists("r2b"));
  R("mkdir e1", mkdir("e1", 0755));
  R("mkdir e2", mkdir("e2", 0755));
  R("rename dir over empty dir", rename("e1", "e2"));
  SAY("e1 gone: %d e2 exists: %d\n", !exists("e1"), exists("e2"));
  R("mkdir full", mkdir("full", 0755));
  put("full/x", "");
  R("rename dir over non-empty dir", rename("e2", "full"));
  R("rename dir over file", rename("e2", "r2"));
  R("rename file over dir", rename("r2", "e2"));
  R("rename dir into own subdir", rename("full", "full/sub"));
  R("mkdir full/deep", mkdir("full/deep", 0755));
  R("rename dir into own deeper subdir", rename("full", "full/deep/x"));
  R("rename . ", rename(".", "x"));
  R("rename to ..", rename("r2", "full/.."));
  R("renameat2 NOREPLACE to ..", renameat2(AT_FDCWD, "r2", AT_FDCWD, "full/..", RENAME_NOREPLACE));
  R("rename across mounts", rename("r2", "/dev/shm/r2"));
  R("rename . across mounts", rename(".", "/dev/shm/r2"));
  R("rename parent into child (target is ancestor)", (mkdir("full/deep2", 0755), rename("full/deep2", "full")));
  R("rename file with trailing slash", rename("r2", "r9/"));
  R("rename dir with trailing slash", rename("e2/", "e3/"));
  SAY("e3 exists: %d\n", exists("e3"));
  R("rename into missing dir", rename("r2", "missing/r2"));
  R("rename symlink (not its target)", rename("rel", "rel2"));
  rl("rel2", "rel2");
  show_file("hard still", "hard");
  R("renameat2 RENAME_NOREPLACE existing", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r2b", RENAME_NOREPLACE));
  R("renameat2 RENAME_NOREPLACE new", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r5", RENAME_NOREPLACE));
  put("x1", "X1");
  put("x2", "X2");
  R("renameat2 RENAME_EXCHANGE", renameat2(AT_FDCWD, "x1", AT_FDCWD, "x2", RENAME_EXCHANGE));
  show_file("x1", "x1");
  show_file("x2", "x2");
  R("renameat2 RENAME_EXCHANGE missing", renameat2(AT_FDCWD, "x1", AT_FDCWD, "x9", RENAME_EXCHANGE));
  R("renameat2 EXCHANGE|NOREPLACE", renameat2(AT_FDCWD, "x1", AT_FDCWD, "x2", RENAME_EXCHANGE | RENAME_NOREPLACE));
  R("renameat2 bad flags", renameat2(AT_FDCWD, "x1", AT_FDCWD, "x2", 0x100));
  R("rename dir across to other parent", rename("e3", "full/e3"));
  stat("full", &a);
  SAY("full nlink: %ld\n", (long)a.st_nlink);
  stat(".", &a);
  SAY("top nlink: %ld\n", (long)a.st_nlink);
  /* An open file keeps working across a rename of it and of its directory. */
  put("full/e3/inner", "inner");
  fd = open("full/e3/inner", O_RDWR);
  R("rename dir holding an open file", rename("full/e3", "moved"));
  R("write after rename", write(fd, "INNER", 5));
  show_file("moved/inner", "moved/inner");
  close(fd);

  /* access/faccessat */
  put("acc", "");
  chmod("acc", 0);
  R("access F_OK", access("acc", F_OK));
  R("access R_OK mode 0 as root", access("acc", R_OK));
  R("access W_OK mode 0 as root", access("acc", W_OK));
  R("access X_OK mode 0 as root", access("acc", X_OK));
  chmod("acc", 0100);
  R("access X_OK with owner x", access("acc", X_OK));
  chmod("acc", 0001);
  R("access X_OK with other x", access("acc", X_OK));
  chmod("acc", 0644);
  R("access X_OK on 0644", access("acc", X_OK));
  R("access X_OK on dir", access("d", X_OK));
  chmod("d", 0);
  R("access X_OK on dir mode 0", access("d", X_OK));
  R("access R_OK|W_OK on dir mode 0", access("d", R_OK | W_OK));
  R("stat through dir mode 0 as root", stat("d/sub", &a));
  chmod("d", 0755);
  R("access missing", access("missing", F_OK));
  R("access bad mode", access("acc", 0x10));
  R("access dangling", access("dang", F_OK));
  R("faccessat AT_SYMLINK_NOFOLLOW dangling", faccessat(AT_FDCWD, "dang", F_OK, AT_SYMLINK_NOFOLLOW));
  R("faccessat AT_EACCESS", faccessat(AT_FDCWD, "acc", R_OK, AT_EACCESS));
  R("faccessat bad flags", faccessat(AT_FDCWD, "acc", R_OK, 0x1));
  R("faccessat2 AT_EMPTY_PATH", syscall(SYS_faccessat2, open("acc", O_RDONLY), "", R_OK, AT_EMPTY_PATH));
  R("access /dev/null W_OK", access("/dev/null", W_OK));

  /* Root may execute only what has an x bit (the one access check root does not pass). */
  put("script", "#!/bin/sh\necho script ran\n");
  chmod("script", 0644);
  char *args[] = {"script", NULL};
  char *env[] = {NULL};
  R("execve without x bits", execve("./script", args, env));
  R("execve a directory", execve("d", args, env));
  R("execve missing", execve("./nothing", args, env));
  R("execve through a file", execve("./script/x", args, env));
  chmod("script", 0100);
  pid_t pid = fork();
  if (pid == 0) {
    execve("./script", args, env);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  SAY("execve with owner x only: exit %d\n", WEXITSTATUS(status));

  fs_cleanup();
  return 0;
}
