/* open/openat/creat: flags, modes and errors; close. */
#include "fs_util.h"

static void mode_of(const char *what, const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) SAY("%s: lstat -1 %s\n", what, ename(errno));
  else SAY("%s: mode %o size %lld\n", what, (unsigned)st.st_mode, (long long)st.st_size);
}

int main(void) {
  fs_setup("open");
  int fd;

  /* Plain errors. */
  R("open missing", open("missing", O_RDONLY));
  R("open empty path", open("", O_RDONLY));
  R("open missing/x", open("missing/x", O_RDONLY));
  char longname[300];
  memset(longname, 'a', 299);
  longname[299] = 0;
  R("open name too long", open(longname, O_RDONLY | O_CREAT, 0644));

  /* O_CREAT, modes and umask. */
  fd = R("creat f", open("f", O_RDWR | O_CREAT, 0666));
  mode_of("f", "f");
  R("write f", write(fd, "hello", 5));
  R("close f", close(fd));
  R("close f again", close(fd));
  R("close -1", close(-1));
  R("close 1000", close(1000));
  umask(077);
  fd = R("creat g umask 077", open("g", O_WRONLY | O_CREAT, 0666));
  close(fd);
  mode_of("g", "g");
  umask(0);
  fd = R("creat h umask 0 mode 4755", open("h", O_WRONLY | O_CREAT, 04755));
  close(fd);
  mode_of("h", "h");
  umask(022);
  fd = R("creat existing keeps mode", open("g", O_WRONLY | O_CREAT, 0777));
  close(fd);
  mode_of("g", "g");

  /* O_EXCL */
  R("O_EXCL existing", open("f", O_RDWR | O_CREAT | O_EXCL, 0644));
  fd = R("O_EXCL new", open("e", O_RDWR | O_CREAT | O_EXCL, 0644));
  close(fd);
  R("O_CREAT trailing slash", open("newdir/", O_RDWR | O_CREAT, 0644));
  R("O_CREAT trailing slash existing file", open("f/", O_RDWR | O_CREAT, 0644));
  R("O_CREAT on . ", open(".", O_RDWR | O_CREAT, 0644));

  /* O_TRUNC */
  mode_of("f before trunc", "f");
  fd = R("O_TRUNC rdonly", open("f", O_RDONLY | O_TRUNC));
  close(fd);
  mode_of("f after O_RDONLY|O_TRUNC", "f");
  put("f", "hello");
  fd = R("O_TRUNC wronly", open("f", O_WRONLY | O_TRUNC));
  close(fd);
  mode_of("f after O_WRONLY|O_TRUNC", "f");
  put("f", "hello");
  fd = R("creat() existing", creat("f", 0600));
  mode_of("f after creat", "f");
  R("read on creat fd", read(fd, longname, 1));
  R("write on creat fd", write(fd, "abc", 3));
  close(fd);
  fd = R("open rdonly", open("f", O_RDONLY));
  R("write on rdonly fd", write(fd, "x", 1));
  close(fd);
  fd = R("open wronly", open("f", O_WRONLY));
  R("read on wronly fd", read(fd, longname, 1));
  close(fd);

  /* Directories. */
  R("mkdir d", mkdir("d", 0755));
  fd = R("open dir rdonly", open("d", O_RDONLY));
  close(fd);
  R("open dir wronly", open("d", O_WRONLY));
  R("open dir rdwr", open("d", O_RDWR));
  R("open dir O_CREAT", open("d", O_RDONLY | O_CREAT, 0644));
  R("open dir O_TRUNC", open("d", O_RDONLY | O_TRUNC));
  fd = R("O_DIRECTORY on dir", open("d", O_RDONLY | O_DIRECTORY));
  R("read on dir fd", read(fd, longname, 10));
  close(fd);
  R("O_DIRECTORY on file", open("f", O_RDONLY | O_DIRECTORY));
  R("O_DIRECTORY|O_CREAT new", open("dc", O_RDONLY | O_DIRECTORY | O_CREAT, 0755));
  R("O_DIRECTORY|O_CREAT existing dir", open("d", O_RDONLY | O_DIRECTORY | O_CREAT, 0755));
  R("file as dir", open("f/x", O_RDONLY));
  R("file with slash", open("f/", O_RDONLY));
  fd = R("dir with slash", open("d/", O_RDONLY));
  close(fd);
  fd = R("dir/. ", open("d/.", O_RDONLY));
  close(fd);
  fd = R("dir/.. ", open("d/..", O_RDONLY));
  close(fd);

  /* Symlinks. */
  R("symlink lf -> f", symlink("f", "lf"));
  R("symlink ld -> d", symlink("d", "ld"));
  R("symlink dangling -> target", symlink("target", "dangling"));
  R("symlink loop1 -> loop2", symlink("loop2", "loop1"));
  R("symlink loop2 -> loop1", symlink("loop1", "loop2"));
  R("symlink self -> self", symlink("self", "self"));
  fd = R("open via link", open("lf", O_RDONLY));
  close(fd);
  R("O_NOFOLLOW on link", open("lf", O_RDONLY | O_NOFOLLOW));
  R("O_NOFOLLOW on dir link", open("ld", O_RDONLY | O_NOFOLLOW));
  fd = R("O_NOFOLLOW in middle component", open("ld/../f", O_RDONLY | O_NOFOLLOW));
  close(fd);
  R("O_NOFOLLOW|O_CREAT on link", open("lf", O_RDWR | O_CREAT | O_NOFOLLOW, 0644));
  R("loop", open("loop1", O_RDONLY));
  R("self loop", open("self", O_RDONLY));
  R("loop as dir", open("loop1/x", O_RDONLY));
  R("dangling", open("dangling", O_RDONLY));
  R("O_EXCL on dangling", open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644));
  R("O_EXCL on link to file", open("lf", O_RDWR | O_CREAT | O_EXCL, 0644));
  fd = R("O_CREAT through dangling creates target", open("dangling", O_RDWR | O_CREAT, 0600));
  close(fd);
  mode_of("target", "target");
  mode_of("dangling", "dangling");
  R("O_CREAT through loop", open("loop1", O_RDWR | O_CREAT, 0600));
  fd = R("link to dir with slash", open("ld/", O_RDONLY));
  close(fd);
  R("O_DIRECTORY on link to file", open("lf", O_RDONLY | O_DIRECTORY));

  /* O_CLOEXEC */
  fd = R("O_CLOEXEC", open("f", O_RDONLY | O_CLOEXEC));
  R("F_GETFD O_CLOEXEC", fcntl(fd, F_GETFD));
  close(fd);
  fd = R("no O_CLOEXEC", open("f", O_RDONLY));
  R("F_GETFD plain", fcntl(fd, F_GETFD));
  close(fd);

  /* O_PATH */
  fd = R("O_PATH file", open("f", O_PATH));
  R("O_PATH read", read(fd, longname, 1));
  R("O_PATH write", write(fd, "x", 1));
  R("O_PATH F_GETFL", fcntl(fd, F_GETFL) & (O_ACCMODE | O_PATH | O_APPEND | O_NONBLOCK));
  R("O_PATH fchmod", fchmod(fd, 0600));
  struct stat st;
  R("O_PATH fstat", fstat(fd, &st));
  SAY("O_PATH fstat regular: %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
  close(fd);
  fd = R("O_PATH|O_NOFOLLOW on link", open("lf", O_PATH | O_NOFOLLOW));
  R("fstat", fstat(fd, &st));
  SAY("is symlink: %d\n", S_ISLNK(st.st_mode));
  char buf[64];
  ssize_t n = readlinkat(fd, "", buf, sizeof buf);
  SAY("readlinkat(fd, \"\"): %zd %.*s\n", n, n > 0 ? (int)n : 0, buf);
  close(fd);
  fd = R("O_PATH dir", open("d", O_PATH | O_DIRECTORY));
  int fd2 = R("openat via O_PATH dir", openat(fd, "../f", O_RDONLY));
  close(fd2);
  R("getdents via read on O_PATH dir", read(fd, buf, 1));
  close(fd);
  R("O_PATH on dangling", open("dangling2", O_PATH));

  /* openat */
  int dfd = R("open d", open("d", O_RDONLY | O_DIRECTORY));
  fd = R("openat create in d", openat(dfd, "inner", O_WRONLY | O_CREAT | O_EXCL, 0640));
  close(fd);
  mode_of("d/inner", "d/inner");
  fd = R("openat ..", openat(dfd, "../f", O_RDONLY));
  close(fd);
  int ffd = open("f", O_RDONLY);
  R("openat file dirfd", openat(ffd, "x", O_RDONLY));
  fd = R("openat file dirfd absolute", openat(ffd, "/tmp", O_RDONLY));
  close(fd);
  close(ffd);
  R("openat bad dirfd", openat(999, "x", O_RDONLY));
  fd = R("openat bad dirfd absolute", openat(999, "/tmp", O_RDONLY));
  close(fd);
  fd = R("openat AT_FDCWD", openat(AT_FDCWD, "f", O_RDONLY));
  close(fd);
  R("openat bad flags", openat(dfd, "f", O_RDONLY | 0x80000000 | 0x40000000));
  close(dfd);

  /* Lowest free descriptor. */
  int a = open("f", O_RDONLY), b = open("f", O_RDONLY), c = open("f", O_RDONLY);
  close(b);
  int d = open("f", O_RDONLY);
  SAY("reuses lowest: %d\n", d == b);
  SAY("increasing: %d %d\n", b == a + 1, c == b + 1);
  close(a);
  close(c);
  close(d);

  /* Unlinked but open. */
  fd = R("open then unlink", open("gone", O_RDWR | O_CREAT, 0644));
  R("write", write(fd, "abc", 3));
  R("unlink", unlink("gone"));
  R("fstat", fstat(fd, &st));
  SAY("nlink %ld size %lld\n", (long)st.st_nlink, (long long)st.st_size);
  R("pread", pread(fd, buf, 3, 0));
  close(fd);
  R("open after unlink", open("gone", O_RDONLY));

  fs_cleanup();
  return 0;
}
