/* stat/lstat/fstat/newfstatat/statx agree; AT_EMPTY_PATH; chmod/fchmod/chown/umask; utimensat. */
#include "fs_util.h"
#include <sys/sysmacros.h>

static int same(const struct stat *a, const struct stat *b) {
  return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_mode == b->st_mode && a->st_nlink == b->st_nlink &&
         a->st_size == b->st_size && a->st_uid == b->st_uid && a->st_gid == b->st_gid && a->st_rdev == b->st_rdev;
}

static int same_x(const struct stat *a, const struct statx *x) {
  return a->st_ino == x->stx_ino && major(a->st_dev) == x->stx_dev_major && minor(a->st_dev) == x->stx_dev_minor &&
         a->st_mode == x->stx_mode && a->st_nlink == x->stx_nlink && a->st_size == (off_t)x->stx_size &&
         a->st_uid == x->stx_uid && a->st_gid == x->stx_gid && major(a->st_rdev) == x->stx_rdev_major &&
         minor(a->st_rdev) == x->stx_rdev_minor && a->st_mtim.tv_sec == x->stx_mtime.tv_sec &&
         a->st_mtim.tv_nsec == (long)x->stx_mtime.tv_nsec;
}

/* Compares every way of asking about `path` (following symlinks unless nofollow). */
static void agree(const char *path, int nofollow) {
  struct stat a, b, c, d;
  struct statx x;
  int r1 = nofollow ? lstat(path, &a) : stat(path, &a);
  int r2 = fstatat(AT_FDCWD, path, &b, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
  int r3 = statx(AT_FDCWD, path, nofollow ? AT_SYMLINK_NOFOLLOW : 0, STATX_BASIC_STATS, &x);
  int fd = open(path, O_PATH | (nofollow ? O_NOFOLLOW : 0));
  int r4 = fstat(fd, &c);
  int r5 = fstatat(fd, "", &d, AT_EMPTY_PATH);
  struct statx y;
  int r6 = statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &y);
  close(fd);
  SAY("%s: rc %d %d %d %d %d %d; stat=fstatat %d stat=fstat(O_PATH) %d stat=AT_EMPTY_PATH %d stat=statx %d "
      "statx(AT_EMPTY_PATH) %d mask has basic %d\n",
      path, r1, r2, r3, r4, r5, r6, same(&a, &b), same(&a, &c), same(&a, &d), same_x(&a, &x), same_x(&a, &y),
      (x.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
  SAY("%s: type %o perm %o nlink %ld\n", path, (unsigned)(a.st_mode & S_IFMT), (unsigned)(a.st_mode & 07777),
      (long)a.st_nlink);
}

static void modeof(const char *what, const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) SAY("%s: -1 %s\n", what, ename(errno));
  else SAY("%s: mode %o uid %d gid %d\n", what, (unsigned)st.st_mode, (int)st.st_uid, (int)st.st_gid);
}

int main(void) {
  fs_setup("stat");
  put("f", "hello");
  R("mkdir d", mkdir("d", 0755));
  R("symlink", symlink("f", "l"));
  R("symlink dangling", symlink("nowhere", "dl"));
  R("mkfifo", mkfifo("p", 0600));

  agree("f", 0);
  agree("d", 0);
  agree("l", 0);
  agree("l", 1);
  agree("p", 0);
  agree(".", 0);
  agree("/dev/null", 0);

  struct stat a, b;
  stat("l", &a);
  stat("f", &b);
  SAY("link follows to f: %d\n", same(&a, &b));
  lstat("l", &a);
  SAY("lstat link: symlink %d size %lld\n", S_ISLNK(a.st_mode), (long long)a.st_size);
  R("stat dangling", stat("dl", &a));
  R("lstat dangling", lstat("dl", &a));
  R("stat missing", stat("missing", &a));
  R("stat f/", stat("f/", &a));
  R("stat d/", stat("d/", &a));
  R("lstat l/ (follows)", lstat("l/", &a));
  R("stat empty path", stat("", &a));
  R("fstatat empty path no flag", fstatat(AT_FDCWD, "", &a, 0));
  R("fstatat AT_EMPTY_PATH on cwd", fstatat(AT_FDCWD, "", &a, AT_EMPTY_PATH));
  stat(".", &b);
  SAY("AT_EMPTY_PATH on cwd is .: %d\n", same(&a, &b));
  R("fstatat bad flags", fstatat(AT_FDCWD, "f", &a, 0x4000000));
  R("fstat bad fd", fstat(99, &a));
  R("fstatat bad dirfd", fstatat(99, "f", &a, 0));
  int dfd = open("d", O_RDONLY);
  R("fstatat relative to dir fd", fstatat(dfd, "../f", &a, 0));
  SAY("same as f: %d\n", (stat("f", &b), same(&a, &b)));
  int ffd = open("f", O_RDONLY);
  R("fstatat relative to file fd", fstatat(ffd, "x", &a, 0));
  R("fstatat file fd AT_EMPTY_PATH", fstatat(ffd, "", &a, AT_EMPTY_PATH));
  R("fstat", fstat(ffd, &b));
  SAY("same: %d size %lld\n", same(&a, &b), (long long)b.st_size);
  struct statx x;
  R("statx bad mask reserved", statx(AT_FDCWD, "f", 0, 0x80000000u, &x));
  R("statx bad sync flags", statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &x));
  close(dfd);

  /* Size follows writes, including writes through another descriptor. */
  int wfd = open("f", O_WRONLY | O_APPEND);
  R("append 7", write(wfd, " world!", 7));
  R("fstat reader", fstat(ffd, &a));
  SAY("size seen by reader fd: %lld\n", (long long)a.st_size);
  stat("f", &b);
  SAY("size by path: %lld blocks>0 %d\n", (long long)b.st_size, b.st_blocks > 0);
  close(wfd);
  close(ffd);

  /* Directory link counts. */
  stat("d", &a);
  SAY("d nlink %ld\n", (long)a.st_nlink);
  mkdir("d/s1", 0755);
  mkdir("d/s2", 0755);
  put("d/file", "");
  stat("d", &a);
  SAY("d nlink after 2 subdirs %ld\n", (long)a.st_nlink);
  rmdir("d/s1");
  stat("d", &a);
  SAY("d nlink after rmdir %ld\n", (long)a.st_nlink);
  struct stat dd, dot, dotdot, top;
  stat("d/s2/..", &dotdot);
  stat("d", &dd);
  stat("d/.", &dot);
  stat(".", &top);
  SAY("d/s2/.. is d: %d d/. is d: %d\n", same(&dotdot, &dd), same(&dot, &dd));
  stat("d/..", &a);
  SAY("d/.. is .: %d\n", same(&a, &top));

  /* umask and created modes. */
  mode_t old = umask(027);
  SAY("old umask %o\n", (unsigned)old);
  put("m1", "");
  mkdir("md", 0777);
  mkfifo("mp", 0666);
  symlink("m1", "ml");
  modeof("file umask 027", "m1");
  modeof("dir umask 027", "md");
  modeof("fifo umask 027", "mp");
  modeof("symlink umask 027", "ml");
  SAY("umask returns previous: %o\n", (unsigned)umask(0));
  mkdir("md0", 07777);
  modeof("dir umask 0 mode 07777", "md0");
  umask(022);

  /* chmod/fchmod */
  R("chmod 0600", chmod("f", 0600));
  modeof("f", "f");
  R("chmod 04755", chmod("f", 04755));
  modeof("f", "f");
  R("chmod 017777 ignores type bits", chmod("f", 0177777));
  modeof("f", "f");
  R("chmod via symlink", chmod("l", 0640));
  modeof("f", "f");
  modeof("l", "l");
  R("chmod missing", chmod("missing", 0600));
  R("chmod dangling", chmod("dl", 0600));
  int fd = open("f", O_RDONLY);
  R("fchmod on rdonly fd", fchmod(fd, 0444));
  modeof("f", "f");
  close(fd);
  R("fchmod bad fd", fchmod(99, 0644));
  dfd = open("d", O_RDONLY);
  R("fchmod dir", fchmod(dfd, 0700));
  modeof("d", "d");
  R("fchmodat", fchmodat(dfd, "file", 0604, 0));
  modeof("d/file", "d/file");
  R("fchmodat AT_SYMLINK_NOFOLLOW on symlink", fchmodat(AT_FDCWD, "l", 0600, AT_SYMLINK_NOFOLLOW));
  close(dfd);

  /* chown as root: ids change, set-id bits go. */
  chmod("f", 06755);
  R("chown 1000:1000", chown("f", 1000, 1000));
  modeof("f after chown", "f");
  R("chown -1:-1", chown("f", -1, -1));
  modeof("f", "f");
  R("chown -1:2000", chown("f", -1, 2000));
  modeof("f", "f");
  R("lchown on symlink", lchown("l", 3000, 3000));
  modeof("l", "l");
  modeof("f", "f");
  R("chown via symlink", chown("l", 0, 0));
  modeof("f", "f");
  fd = open("f", O_RDONLY);
  R("fchown", fchown(fd, 5, 6));
  modeof("f", "f");
  R("fchownat AT_EMPTY_PATH", fchownat(fd, "", 7, 8, AT_EMPTY_PATH));
  modeof("f", "f");
  close(fd);
  R("fchownat bad flags", fchownat(AT_FDCWD, "f", 0, 0, 0x2));
  chown("f", 0, 0);

  /* utimensat with explicit times */
  struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
  R("utimensat", utimensat(AT_FDCWD, "f", ts, 0));
  stat("f", &a);
  SAY("atime %ld.%09ld mtime %ld.%09ld\n", (long)a.st_atim.tv_sec, a.st_atim.tv_nsec, (long)a.st_mtim.tv_sec,
      a.st_mtim.tv_nsec);
  struct timespec omit[2] = {{5, UTIME_OMIT}, {1300000000, 5}};
  R("utimensat omit atime", utimensat(AT_FDCWD, "f", omit, 0));
  stat("f", &a);
  SAY("atime %ld.%09ld mtime %ld.%09ld\n", (long)a.st_atim.tv_sec, a.st_atim.tv_nsec, (long)a.st_mtim.tv_sec,
      a.st_mtim.tv_nsec);
  struct timespec badns[2] = {{0, 1000000000}, {0, 0}};
  R("utimensat bad nsec", utimensat(AT_FDCWD, "f", badns, 0));
  R("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
  R("utimensat nofollow on symlink", utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
  lstat("l", &a);
  SAY("symlink mtime %ld.%09ld\n", (long)a.st_mtim.tv_sec, a.st_mtim.tv_nsec);
  fd = open("d/file", O_RDONLY);
  struct timespec t2[2] = {{1, 2}, {3, 4}};
  R("futimens", futimens(fd, t2));
  fstat(fd, &a);
  SAY("atime %ld.%09ld mtime %ld.%09ld\n", (long)a.st_atim.tv_sec, a.st_atim.tv_nsec, (long)a.st_mtim.tv_sec,
      a.st_mtim.tv_nsec);
  R("utimensat AT_EMPTY_PATH", utimensat(fd, "", ts, AT_EMPTY_PATH));
  fstat(fd, &a);
  SAY("mtime %ld.%09ld\n", (long)a.st_mtim.tv_sec, a.st_mtim.tv_nsec);
  close(fd);
  R("utimensat bad flags", utimensat(AT_FDCWD, "f", ts, 0x4));
  struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  R("utimensat UTIME_NOW", utimensat(AT_FDCWD, "f", now, 0));
  stat("f", &a);
  SAY("now is recent: %d\n", a.st_mtim.tv_sec > 1600000000);

  /* Writing moves mtime forward from an old value. */
  struct timespec old2[2] = {{100, 0}, {100, 0}};
  utimensat(AT_FDCWD, "f", old2, 0);
  fd = open("f", O_WRONLY);
  R("write", write(fd, "x", 1));
  close(fd);
  stat("f", &a);
  SAY("mtime moved by write: %d\n", a.st_mtim.tv_sec > 100);
  utimensat(AT_FDCWD, "f", old2, 0);
  R("truncate", truncate("f", 1));
  stat("f", &a);
  SAY("mtime moved by truncate: %d\n", a.st_mtim.tv_sec > 100);
  utimensat(AT_FDCWD, "d", old2, 0);
  put("d/new", "");
  stat("d", &a);
  SAY("dir mtime moved by create: %d\n", a.st_mtim.tv_sec > 100);

  fs_cleanup();
  return 0;
}
