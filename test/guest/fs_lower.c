/* Reading the lower layer (host files seen through the sandbox's root): open,
 * read, stat, readdir, symlinks, realpath. Read-only: never writes a host file. */
#include "fs_util.h"
#include <dirent.h>
#include <limits.h>

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a directory, their count, and whether d_ino/d_type agree with lstat. */
static void listing(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    SAY("opendir %s: %s\n", dir, ename(errno));
    return;
  }
  static char *names[4096];
  int n = 0, ino_ok = 1, type_ok = 1, checked = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 4096) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    names[n++] = strdup(e->d_name);
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (lstat(p, &st) != 0) continue;
    checked++;
    if (st.st_ino != e->d_ino) ino_ok = 0;
    if (e->d_type != DT_UNKNOWN && e->d_type != IFTODT(st.st_mode)) type_ok = 0;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmpstr);
  unsigned long h = 5381;
  for (int i = 0; i < n; i++)
    for (const char *c = names[i]; *c; c++) h = h * 33 + (unsigned char)*c;
  SAY("%s: %d entries, name hash %lx, first %s, last %s, d_ino=st_ino %d, d_type=lstat type %d (%d checked)\n", dir, n,
      h, n ? names[0] : "-", n ? names[n - 1] : "-", ino_ok, type_ok, checked);
  for (int i = 0; i < n; i++) free(names[i]);
}

static void agree(const char *path) {
  struct stat a, b;
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    SAY("open %s: %s\n", path, ename(errno));
    return;
  }
  int r1 = stat(path, &a), r2 = fstat(fd, &b);
  SAY("%s: stat %d fstat %d same ino/dev/mode/size/nlink/uid/mtime %d, regular %d\n", path, r1, r2,
      a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_mode == b.st_mode && a.st_size == b.st_size &&
          a.st_nlink == b.st_nlink && a.st_uid == b.st_uid && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
          a.st_mtim.tv_nsec == b.st_mtim.tv_nsec,
      S_ISREG(a.st_mode));
  /* Read it all and compare with the size. */
  static char buf[1 << 20];
  ssize_t total = 0, n;
  while ((n = read(fd, buf, sizeof buf)) > 0) total += n;
  SAY("%s: read %zd bytes = st_size %d\n", path, total, total == a.st_size);
  R("lseek end", lseek(fd, 0, SEEK_END) == a.st_size);
  R("pread first byte", pread(fd, buf, 1, 0));
  close(fd);
}

int main(void) {
  char real[PATH_MAX], link[PATH_MAX];

  agree("/etc/passwd");
  agree("/usr/bin/env");
  agree("/bin/sh");

  /* Symlinks in the lower layer are resolved by the sandbox the way the host does. */
  ssize_t n = readlink("/bin", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("readlink /bin: %s\n", link);
  SAY("realpath /bin/sh: %s\n", realpath("/bin/sh", real) ? real : ename(errno));
  SAY("realpath /usr/bin/../lib/../bin/.: %s\n", realpath("/usr/bin/../lib/../bin/.", real) ? real : ename(errno));
  SAY("realpath /etc/../etc/./passwd: %s\n", realpath("/etc/../etc/./passwd", real) ? real : ename(errno));
  struct stat a, b;
  stat("/bin/sh", &a);
  stat("/usr/bin/sh", &b);
  SAY("/bin/sh is /usr/bin/sh: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
  lstat("/bin", &a);
  SAY("lstat /bin: symlink %d size %lld\n", S_ISLNK(a.st_mode), (long long)a.st_size);
  R("stat /bin/", stat("/bin/", &a));
  SAY("/bin/ is a dir: %d\n", S_ISDIR(a.st_mode));
  R("lstat /bin/ follows", lstat("/bin/", &a));
  SAY("lstat /bin/ is a dir: %d\n", S_ISDIR(a.st_mode));
  R("/.. is /", (stat("/..", &a), stat("/", &b), a.st_ino == b.st_ino));

  /* Directories of the lower layer. */
  listing("/");
  listing("/usr/share");
  listing("/usr/include/linux");
  listing("/etc/apt");

  /* Errors from the lower layer. */
  R("open missing lower file", open("/etc/does-not-exist", O_RDONLY));
  R("open lower file as dir", open("/etc/passwd/x", O_RDONLY));
  R("O_DIRECTORY on lower file", open("/etc/passwd", O_RDONLY | O_DIRECTORY));
  R("O_EXCL on lower file", open("/etc/passwd", O_RDWR | O_CREAT | O_EXCL, 0644));
  R("mkdir on lower dir", mkdir("/etc", 0755));
  R("rmdir non-empty lower dir", rmdir("/usr/share"));
  R("access /etc/passwd R_OK", access("/etc/passwd", R_OK));
  R("access /usr/bin/env X_OK", access("/usr/bin/env", X_OK));
  R("access /etc/passwd X_OK", access("/etc/passwd", X_OK));
  R("O_NOFOLLOW on /bin", open("/bin", O_RDONLY | O_NOFOLLOW));
  int fd = R("O_PATH|O_NOFOLLOW on /bin", open("/bin", O_PATH | O_NOFOLLOW));
  n = readlinkat(fd, "", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("readlinkat(O_PATH symlink, \"\"): %s\n", link);
  close(fd);
  fd = open("/usr", O_RDONLY | O_DIRECTORY);
  R("openat relative to a lower dir", openat(fd, "bin/env", O_RDONLY) >= 0);
  R("fstatat relative to a lower dir", fstatat(fd, "share", &a, 0));
  R("fchdir to a lower dir", fchdir(fd));
  SAY("getcwd: %s\n", getcwd(real, sizeof real) ? real : ename(errno));
  R("chdir bin/../share", chdir("bin/../share"));
  SAY("getcwd: %s\n", getcwd(real, sizeof real) ? real : ename(errno));
  close(fd);
  return 0;
}
