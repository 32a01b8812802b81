/* openat2's RESOLVE_* restrictions: beneath, in-root, no symlinks, no magic
 * links, no mount crossings, cached; argument checks and their order. */
#include "fs_util.h"
#include <linux/openat2.h>
#include <sys/syscall.h>

#ifndef RESOLVE_CACHED
#define RESOLVE_CACHED 0x20
#endif

static long o2(int dfd, const char *path, unsigned long long flags, unsigned long long mode, unsigned long long resolve) {
  struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
  return syscall(SYS_openat2, dfd, path, &how, sizeof how);
}

/* The files a successful open may have reached, by inode. */
static const char *names[] = {"d/file", "d/sub/file", "outside", "d", "d/sub", "d/abs", "d/new_in_root", NULL};
static ino_t inos[8];

static void learn(void) {
  struct stat st;
  for (int i = 0; names[i]; i++) inos[i] = lstat(names[i], &st) == 0 ? st.st_ino : 0;
}

/* Prints the result of an openat2: which of our files it opened, or the errno. */
static void show(const char *what, long fd) {
  if (fd < 0) {
    SAY("%s: -1 %s\n", what, ename(errno));
    return;
  }
  struct stat st;
  const char *label = "something else";
  if (fstat(fd, &st) == 0)
    for (int i = 0; names[i]; i++)
      if (inos[i] && st.st_ino == inos[i]) label = names[i];
  SAY("%s: %s\n", what, label);
  close(fd);
}

#define T(what, dfd, path, flags, resolve) (errno = 0, show((what), o2((dfd), (path), (flags), 0, (resolve))))

int main(void) {
  fs_setup("openat2");
  R("mkdir d", mkdir("d", 0755));
  R("mkdir d/sub", mkdir("d/sub", 0755));
  put("d/file", "f");
  put("d/sub/file", "s");
  put("outside", "o");
  char abs[512];
  snprintf(abs, sizeof abs, "%s/d/file", fs_dir);
  R("symlink abs", symlink(abs, "d/abs"));
  R("symlink rootabs", symlink("/file", "d/rootabs"));
  R("symlink rel", symlink("sub/file", "d/rel"));
  R("symlink up", symlink("../outside", "d/up"));
  R("symlink dotdot", symlink("..", "d/dotdot"));
  R("symlink back", symlink("../file", "d/sub/back"));
  R("symlink self", symlink("/proc/self", "d/procself"));
  learn();
  int dfd = open("d", O_PATH | O_DIRECTORY);
  int cwdfd = open(".", O_RDONLY | O_DIRECTORY);
  SAY("dfd ok: %d\n", dfd >= 0);

  /* Argument checks. */
  T("resolve 0x40", dfd, "file", O_RDONLY, 0x40);
  T("beneath|in_root", dfd, "file", O_RDONLY, RESOLVE_BENEATH | RESOLVE_IN_ROOT);
  errno = 0;
  show("mode without O_CREAT", o2(dfd, "file", O_RDONLY, 0644, 0));
  errno = 0;
  show("bad resolve before bad mode", o2(dfd, "file", O_RDONLY, 0644, 0x80));
  T("empty path", dfd, "", O_RDONLY, 0);
  T("empty path, bad dirfd", 999, "", O_RDONLY, 0);

  /* No restrictions. */
  const char *paths[] = {"file", "sub/file", "rel", "abs", "rootabs", "up", "../outside", "sub/../file", "sub/back",
                         "dotdot/outside", "/file", "dotdot/d/file", ".", "..", NULL};
  struct {
    const char *name;
    unsigned long long r;
  } modes[] = {{"none", 0},
               {"beneath", RESOLVE_BENEATH},
               {"in_root", RESOLVE_IN_ROOT},
               {"no_symlinks", RESOLVE_NO_SYMLINKS},
               {"no_magiclinks", RESOLVE_NO_MAGICLINKS},
               {"no_xdev", RESOLVE_NO_XDEV},
               {"beneath|no_symlinks", RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS},
               {NULL, 0}};
  /* RESOLVE_CACHED lookups are not in the matrix: whether Linux answers
   * EAGAIN depends on its dentry cache and the filesystem (docs/differences.md). */
  char what[256];
  for (int m = 0; modes[m].name; m++)
    for (int i = 0; paths[i]; i++) {
      snprintf(what, sizeof what, "%s %s", modes[m].name, paths[i]);
      T(what, dfd, paths[i], O_RDONLY, modes[m].r);
    }

  /* O_NOFOLLOW and O_PATH on a last symlink. */
  T("no_symlinks rel O_NOFOLLOW", dfd, "rel", O_RDONLY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  T("no_symlinks rel O_PATH|O_NOFOLLOW", dfd, "rel", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  T("beneath abs O_PATH|O_NOFOLLOW", dfd, "abs", O_PATH | O_NOFOLLOW, RESOLVE_BENEATH);

  /* Absolute paths: BENEATH refuses them before looking at the dirfd. */
  T("beneath /etc, bad dirfd", 999, "/etc", O_RDONLY, RESOLVE_BENEATH);
  T("in_root /file, bad dirfd", 999, "/file", O_RDONLY, RESOLVE_IN_ROOT);
  T("in_root file, dirfd is a file", open("d/file", O_RDONLY), "file", O_RDONLY, RESOLVE_IN_ROOT);
  T("beneath with AT_FDCWD", AT_FDCWD, "d/file", O_RDONLY, RESOLVE_BENEATH);
  T("beneath with AT_FDCWD, ..", AT_FDCWD, "../x", O_RDONLY, RESOLVE_BENEATH);
  T("in_root with AT_FDCWD, /outside", AT_FDCWD, "/outside", O_RDONLY, RESOLVE_IN_ROOT);

  /* Magic links and mounts (/proc and /tmp are mounts here and natively). */
  char fdpath[64];
  int ffd = open("d/file", O_RDONLY);
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", ffd);
  T("none fd link", AT_FDCWD, fdpath, O_RDONLY, 0);
  T("no_magiclinks fd link", AT_FDCWD, fdpath, O_RDONLY, RESOLVE_NO_MAGICLINKS);
  T("no_magiclinks fd link O_PATH|O_NOFOLLOW", AT_FDCWD, fdpath, O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS);
  T("no_symlinks fd link", AT_FDCWD, fdpath, O_RDONLY, RESOLVE_NO_SYMLINKS);
  T("no_xdev fd link", AT_FDCWD, fdpath, O_RDONLY, RESOLVE_NO_XDEV);
  int procfd = open("/proc", O_PATH | O_DIRECTORY);
  snprintf(fdpath, sizeof fdpath, "self/fd/%d", ffd);
  T("no_xdev proc-relative fd link", procfd, fdpath, O_RDONLY, RESOLVE_NO_XDEV);
  T("beneath proc-relative fd link", procfd, fdpath, O_RDONLY, RESOLVE_BENEATH);
  T("in_root proc-relative fd link", procfd, fdpath, O_RDONLY, RESOLVE_IN_ROOT);
  T("no_magiclinks procself/status", dfd, "procself/status", O_RDONLY, RESOLVE_NO_MAGICLINKS);
  T("no_xdev procself", dfd, "procself", O_RDONLY, RESOLVE_NO_XDEV);
  T("no_xdev abs into /tmp", AT_FDCWD, abs, O_RDONLY, RESOLVE_NO_XDEV);
  T("no_xdev .. out of /tmp", cwdfd, "../..", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV);
  T("no_xdev .. inside /tmp", dfd, "sub/../file", O_RDONLY, RESOLVE_NO_XDEV);
  T("no_xdev /proc from /", AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV);
  int rootfd = open("/", O_PATH | O_DIRECTORY);
  T("no_xdev proc from rootfd", rootfd, "proc", O_PATH, RESOLVE_NO_XDEV);
  T("no_xdev proc/.. from rootfd", rootfd, "proc/..", O_PATH, RESOLVE_NO_XDEV);
  T("no_xdev . from rootfd", rootfd, ".", O_PATH, RESOLVE_NO_XDEV);

  /* Creating. */
  errno = 0;
  show("beneath create new", o2(dfd, "new_beneath", O_CREAT | O_WRONLY, 0644, RESOLVE_BENEATH));
  errno = 0;
  show("beneath create ../escape", o2(dfd, "../escape", O_CREAT | O_WRONLY, 0644, RESOLVE_BENEATH));
  SAY("escape exists: %d\n", access("escape", F_OK) == 0);
  errno = 0;
  show("beneath create /x", o2(dfd, "/x", O_CREAT | O_WRONLY, 0644, RESOLVE_BENEATH));
  errno = 0;
  long nfd = o2(dfd, "/new_in_root", O_CREAT | O_WRONLY, 0644, RESOLVE_IN_ROOT);
  SAY("in_root create /new_in_root: %s\n", nfd >= 0 ? "ok" : ename(errno));
  if (nfd >= 0) close(nfd);
  SAY("d/new_in_root exists: %d\n", access("d/new_in_root", F_OK) == 0);
  R("symlink dangling", symlink("/made_through_link", "d/dangling"));
  errno = 0;
  nfd = o2(dfd, "dangling", O_CREAT | O_WRONLY, 0644, RESOLVE_IN_ROOT);
  SAY("in_root create through absolute dangling link: %s\n", nfd >= 0 ? "ok" : ename(errno));
  if (nfd >= 0) close(nfd);
  SAY("d/made_through_link exists: %d\n", access("d/made_through_link", F_OK) == 0);
  errno = 0;
  show("beneath create through absolute dangling link", o2(dfd, "dangling", O_CREAT | O_WRONLY, 0644, RESOLVE_BENEATH));
  errno = 0;
  show("no_symlinks create through link", o2(dfd, "rel", O_CREAT | O_WRONLY, 0644, RESOLVE_NO_SYMLINKS));
  errno = 0;
  show("beneath create ..", o2(dfd, "..", O_CREAT | O_WRONLY, 0644, RESOLVE_BENEATH));
  errno = 0;
  show("cached create", o2(dfd, "cached_new", O_CREAT | O_WRONLY, 0644, RESOLVE_CACHED));
  errno = 0;
  show("cached trunc", o2(dfd, "file", O_TRUNC | O_WRONLY, 0, RESOLVE_CACHED));
  errno = 0;
  show("cached tmpfile", o2(dfd, ".", O_TMPFILE | O_RDWR, 0600, RESOLVE_CACHED));
  errno = 0;
  show("no_xdev create in /tmp from /", o2(rootfd, "tmp/fs_test_openat2/xdev_new", O_CREAT | O_WRONLY, 0644, RESOLVE_NO_XDEV));
  fs_cleanup();
  return 0;
}
