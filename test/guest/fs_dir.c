/* getdents64 and readdir(3) (telldir/seekdir/rewinddir) over a populated directory; mkdir/rmdir. */
#include "fs_util.h"
#include <dirent.h>
#include <sys/syscall.h>

struct ent {
  char name[256];
  int type;
};

static int cmp(const void *a, const void *b) {
  return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static const char *tname(int t) {
  switch (t) {
    case DT_REG: return "REG";
    case DT_DIR: return "DIR";
    case DT_LNK: return "LNK";
    case DT_FIFO: return "FIFO";
    case DT_SOCK: return "SOCK";
    case DT_CHR: return "CHR";
    case DT_UNKNOWN: return "UNKNOWN";
    default: return "?";
  }
}

/* Lists a directory with raw getdents64 in small buffers; prints sorted names and types. */
static void list_raw(const char *path, size_t bufsize) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    SAY("open %s: %s\n", path, ename(errno));
    return;
  }
  struct ent ents[64];
  int n = 0, calls = 0, inos_nonzero = 1;
  char buf[4096];
  for (;;) {
    long r = syscall(SYS_getdents64, fd, buf, bufsize);
    if (r < 0) {
      SAY("getdents64: %s\n", ename(errno));
      break;
    }
    if (r == 0) break;
    calls++;
    for (long off = 0; off < r;) {
      struct dirent64 *d = (struct dirent64 *)(buf + off);
      if (n < 64) {
        snprintf(ents[n].name, sizeof ents[n].name, "%s", d->d_name);
        ents[n].type = d->d_type;
        n++;
      }
      if (d->d_ino == 0) inos_nonzero = 0;
      off += d->d_reclen;
    }
  }
  qsort(ents, n, sizeof ents[0], cmp);
  SAY("%s (%d entries, several calls: %d, inodes nonzero: %d):", path, n, calls > 1, inos_nonzero);
  for (int i = 0; i < n; i++) SAY(" %s/%s", ents[i].name, tname(ents[i].type));
  SAY("\n");
  R("getdents64 again at end", syscall(SYS_getdents64, fd, buf, sizeof buf));
  R("lseek 0", lseek(fd, 0, SEEK_SET));
  long r = syscall(SYS_getdents64, fd, buf, sizeof buf);
  SAY("after rewind returns entries: %d\n", r > 0);
  R("lseek 0", lseek(fd, 0, SEEK_SET));
  R("getdents64 tiny buffer", syscall(SYS_getdents64, fd, buf, 8));
  close(fd);
}

int main(void) {
  fs_setup("dir");
  R("mkdir d", mkdir("d", 0755));
  R("mkdir d again", mkdir("d", 0755));
  R("mkdir d/sub", mkdir("d/sub", 0700));
  R("mkdir missing/x", mkdir("missing/x", 0755));
  R("mkdir through file", (put("file", ""), mkdir("file/x", 0755)));
  R("mkdir trailing slash", mkdir("d/t/", 0755));
  R("mkdir empty", mkdir("", 0755));
  R("mkdir .", mkdir(".", 0755));
  R("mkdir ..", mkdir("d/..", 0755));
  R("mkdir over symlink", (symlink("d", "ld"), mkdir("ld", 0755)));
  R("mkdir over dangling symlink", (symlink("nothere", "dang"), mkdir("dang", 0755)));
  R("mkdirat", mkdirat(AT_FDCWD, "d/sub2", 0755));
  put("d/a.txt", "a");
  put("d/b.txt", "bb");
  for (int i = 0; i < 30; i++) {
    char n[32];
    snprintf(n, sizeof n, "d/file_with_a_long_name_%02d", i);
    put(n, "");
  }
  R("symlink", symlink("a.txt", "d/link"));
  R("mkfifo", mkfifo("d/fifo", 0644));
  R("link", link("d/a.txt", "d/hard"));

  list_raw("d", 4096);
  list_raw("d", 200);
  list_raw("d/sub", 4096);

  int ffd = open("file", O_RDONLY);
  char buf[512];
  R("getdents64 on file", syscall(SYS_getdents64, ffd, buf, sizeof buf));
  close(ffd);
  R("getdents64 bad fd", syscall(SYS_getdents64, 99, buf, sizeof buf));

  /* Entries removed while listing: a fresh listing no longer shows them. */
  DIR *dir = opendir("d");
  int count = 0;
  while (readdir(dir)) count++;
  SAY("readdir count: %d\n", count);
  unlink("d/b.txt");
  rewinddir(dir);
  count = 0;
  int seen_b = 0;
  struct dirent *e;
  while ((e = readdir(dir))) {
    count++;
    if (!strcmp(e->d_name, "b.txt")) seen_b = 1;
  }
  SAY("after unlink + rewinddir: %d entries, b.txt seen %d\n", count, seen_b);

  /* telldir/seekdir: come back to a remembered position. */
  rewinddir(dir);
  for (int i = 0; i < 5; i++) readdir(dir);
  long pos = telldir(dir);
  e = readdir(dir);
  char at[256];
  snprintf(at, sizeof at, "%s", e ? e->d_name : "(end)");
  for (int i = 0; i < 10; i++) readdir(dir);
  seekdir(dir, pos);
  e = readdir(dir);
  SAY("seekdir returns to same entry: %d\n", e && !strcmp(e->d_name, at));
  closedir(dir);

  /* The inode numbers readdir gives are the ones stat gives. */
  dir = opendir("d");
  int match = 1, checked = 0;
  while ((e = readdir(dir))) {
    if (!strcmp(e->d_name, "..")) continue;
    char p[300];
    struct stat st;
    snprintf(p, sizeof p, "d/%s", e->d_name);
    if (lstat(p, &st) == 0) {
      checked++;
      if (st.st_ino != e->d_ino) match = 0;
    }
  }
  closedir(dir);
  SAY("d_ino equals st_ino for %d entries: %d\n", checked, match);

  /* rmdir */
  R("rmdir non-empty", rmdir("d"));
  R("rmdir file", rmdir("d/a.txt"));
  R("rmdir missing", rmdir("d/missing"));
  R("rmdir .", rmdir("d/sub/."));
  R("rmdir ..", rmdir("d/sub/.."));
  R("rmdir symlink to dir", rmdir("ld"));
  R("rmdir trailing slash", rmdir("d/sub/"));
  R("rmdir again", rmdir("d/sub"));
  R("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "d/sub2", AT_REMOVEDIR));
  R("unlinkat AT_REMOVEDIR on file", unlinkat(AT_FDCWD, "d/a.txt", AT_REMOVEDIR));
  R("unlinkat bad flags", unlinkat(AT_FDCWD, "d/a.txt", 0x1));

  /* A directory removed while open: listing it gives nothing, creating in it fails. */
  mkdir("gone", 0755);
  int gfd = open("gone", O_RDONLY | O_DIRECTORY);
  R("rmdir open dir", rmdir("gone"));
  R("getdents64 on removed dir", syscall(SYS_getdents64, gfd, buf, sizeof buf));
  R("openat . in removed dir", openat(gfd, ".", O_RDONLY));
  R("openat .. in removed dir", openat(gfd, "..", O_RDONLY));
  R("fchdir to removed dir", fchdir(gfd));
  char cwd[256];
  SAY("getcwd in removed dir: %s\n", getcwd(cwd, sizeof cwd) ? "ok" : ename(errno));
  R("open file in removed cwd", open("x", O_RDONLY));
  R("chdir ..", chdir(".."));
  SAY("getcwd back: %d\n", getcwd(cwd, sizeof cwd) && !strcmp(cwd, fs_dir));
  R("openat create in removed dir", openat(gfd, "x", O_CREAT | O_WRONLY, 0644));
  R("mkdirat in removed dir", mkdirat(gfd, "x", 0755));
  struct stat st;
  R("fstat removed dir", fstat(gfd, &st));
  SAY("nlink of removed dir: %ld\n", (long)st.st_nlink);
  close(gfd);

  fs_cleanup();
  return 0;
}
