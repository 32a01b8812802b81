/* O_TMPFILE: an unnamed file in a directory; linkat gives it a name unless
 * it was opened with O_EXCL; argument checks. */
#include "fs_util.h"
#include <dirent.h>
#include <limits.h>

static void fd_path(const char *what, int fd) {
  char p[64], link[PATH_MAX];
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(p, link, sizeof link - 1);
  if (n < 0) {
    SAY("%s: readlink -1 %s\n", what, ename(errno));
    return;
  }
  link[n] = 0;
  struct stat st;
  fstat(fd, &st);
  char want[PATH_MAX];
  snprintf(want, sizeof want, "%s/#%lu (deleted)", fs_dir, (unsigned long)st.st_ino);
  size_t dl = strlen(fs_dir);
  SAY("%s: in the directory: %d, is DIR/#INO (deleted): %d, ends in (deleted): %d\n", what,
      !strncmp(link, fs_dir, dl) && link[dl] == '/', !strcmp(link, want),
      n > 10 && !strcmp(link + n - 10, " (deleted)"));
}

static void names(const char *what) {
  DIR *d = opendir(".");
  struct dirent *e;
  int n = 0;
  char list[1024] = "";
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    n++;
    if (strlen(list) + strlen(e->d_name) + 2 < sizeof list) strcat(strcat(list, " "), e->d_name);
  }
  closedir(d);
  SAY("%s: %d entries (the order is the filesystem's)\n", what, n);
}

static void st(const char *what, int fd) {
  struct stat s;
  if (fstat(fd, &s) < 0) {
    SAY("%s: fstat -1 %s\n", what, ename(errno));
    return;
  }
  SAY("%s: reg %d mode %o nlink %lu size %ld\n", what, S_ISREG(s.st_mode), s.st_mode & 07777, (unsigned long)s.st_nlink,
      (long)s.st_size);
}

int main(void) {
  fs_setup("tmpfile");
  umask(022);
  int fd = R("O_TMPFILE|O_RDWR 0666", open(".", O_TMPFILE | O_RDWR, 0666)) >= 0 ? 3 : -1;
  if (fd < 0) return 1;
  st("fresh", fd);
  names("names after O_TMPFILE");
  fd_path("fd path", fd);
  R("write", write(fd, "hello", 5));
  R("fchmod 0640", fchmod(fd, 0640));
  st("written", fd);
  struct stat a, b;
  fstat(fd, &a);
  R("linkat AT_EMPTY_PATH named", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
  st("after link", fd);
  stat("named", &b);
  SAY("named is the file: %d, size %ld\n", a.st_ino == b.st_ino, (long)b.st_size);
  show_file("named content", "named");
  fd_path("fd path after link", fd);
  R("linkat again second", linkat(fd, "", AT_FDCWD, "second", AT_EMPTY_PATH));
  st("two names", fd);
  R("linkat onto existing", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
  R("unlink named", unlink("named"));
  R("unlink second", unlink("second"));
  st("names gone", fd);
  R("linkat after its names went", linkat(fd, "", AT_FDCWD, "again", AT_EMPTY_PATH));
  close(fd);

  /* O_EXCL: never linkable. */
  int x = open(".", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
  SAY("O_TMPFILE|O_WRONLY|O_EXCL ok: %d\n", x >= 0);
  st("excl", x);
  R("linkat excl", linkat(x, "", AT_FDCWD, "excl", AT_EMPTY_PATH));
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", x);
  R("linkat excl via /proc/self/fd", linkat(AT_FDCWD, p, AT_FDCWD, "excl", AT_SYMLINK_FOLLOW));
  close(x);

  /* Through /proc/self/fd. */
  int y = open(".", O_TMPFILE | O_RDWR, 0600);
  snprintf(p, sizeof p, "/proc/self/fd/%d", y);
  R("linkat via /proc/self/fd", linkat(AT_FDCWD, p, AT_FDCWD, "via_proc", AT_SYMLINK_FOLLOW));
  st("via proc", y);
  close(y);

  /* A file whose name was removed is no O_TMPFILE: it gets no name back. */
  put("plain", "p");
  int z = open("plain", O_RDWR);
  R("unlink plain", unlink("plain"));
  R("linkat deleted plain", linkat(z, "", AT_FDCWD, "plain2", AT_EMPTY_PATH));
  close(z);

  /* Argument checks. */
  R("O_TMPFILE|O_RDONLY", open(".", O_TMPFILE | O_RDONLY, 0600));
  R("O_TMPFILE|O_CREAT", open(".", O_TMPFILE | O_CREAT | O_RDWR, 0600));
  R("O_TMPFILE on a file", open("via_proc", O_TMPFILE | O_RDWR, 0600));
  R("O_TMPFILE on a missing dir", open("missing", O_TMPFILE | O_RDWR, 0600));
  R("mkdir sub", mkdir("sub", 0755));
  int s = open("sub", O_RDONLY | O_DIRECTORY);
  R("rmdir sub", rmdir("sub"));
  R("O_TMPFILE in a removed dir", openat(s, ".", O_TMPFILE | O_RDWR, 0600));
  close(s);
  R("mkdir ro", mkdir("ro", 0555));
  R("symlink link -> .", symlink(".", "link"));
  int l = open("link", O_TMPFILE | O_RDWR, 0600);
  SAY("O_TMPFILE through a symlink ok: %d\n", l >= 0);
  if (l >= 0) close(l);
  R("O_TMPFILE|O_NOFOLLOW through a symlink", open("link", O_TMPFILE | O_RDWR | O_NOFOLLOW, 0600));
  R("O_TMPFILE on /proc", open("/proc", O_TMPFILE | O_RDWR, 0600));
  /* The bytes are real: a second fd through /proc/self/fd reads them. */
  int w = open(".", O_TMPFILE | O_RDWR, 0600);
  R("write tmp", write(w, "abc", 3));
  snprintf(p, sizeof p, "/proc/self/fd/%d", w);
  show_file("reopened", p);
  close(w);
  names("names at the end");
  fs_cleanup();
  return 0;
}
