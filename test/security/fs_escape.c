// cflags: -O1 -static
// Reading a host file outside the rootfs: the host path itself, "..", symlinks
// (absolute, relative, chained, to /proc), hard links, /proc/PID/root,
// /proc/self/cwd and /proc/self/fd tricks, chroot breakouts, file handles,
// openat2, and openat on every fd number a guest could guess.
// SECRET_PATH is the host path of a file next to the rootfs (outside it).
#include "escape.h"

#include <dirent.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/stat.h>

static const char *secret;

/** Sorted names of a directory, as one string. */
static void listing(int dirfd, char *out, size_t cap) {
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY);
  out[0] = 0;
  if (fd < 0) return;
  DIR *d = fdopendir(fd);
  char names[256][64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256) snprintf(names[n++], 64, "%.63s", e->d_name);
  closedir(d);
  qsort(names, n, 64, (int (*)(const void *, const void *))strcmp);
  for (int i = 0; i < n; i++) {
    strncat(out, names[i], cap - strlen(out) - 2);
    strncat(out, " ", cap - strlen(out) - 1);
  }
}

static void same_as_root(const char *name, int dirfd) {
  static char root[8192], here[8192];
  int r = open("/", O_RDONLY | O_DIRECTORY);
  listing(r, root, sizeof root);
  close(r);
  listing(dirfd, here, sizeof here);
  if (strcmp(root, here) != 0 || strstr(here, "secret.txt")) report(1, name, "a directory other than the sandbox's root: %s", here);
  else report(0, name, "the sandbox's own root");
}

int main(void) {
  secret = env("SECRET_PATH");
  char p[8192];

  // The host path, and ".." above the root.
  try_read("host path", AT_FDCWD, secret, 0);
  try_read("/../secret.txt", AT_FDCWD, "/../secret.txt", 0);
  try_read("/../../../secret.txt", AT_FDCWD, "/../../../secret.txt", 0);
  p[0] = 0;
  for (int i = 0; i < 64; i++) strcat(p, "../");
  strcat(p, "secret.txt");
  try_read("64 x ../ from /", AT_FDCWD, p, 0);
  snprintf(p, sizeof p, "/..%s", secret);
  try_read("/.. + host path", AT_FDCWD, p, 0);
  mkdir("/tmp/a", 0755);
  mkdir("/tmp/a/b", 0755);
  chdir("/tmp/a/b");
  try_read("../../../../secret.txt from /tmp/a/b", AT_FDCWD, "../../../../secret.txt", 0);
  for (int i = 0; i < 20; i++) chdir("..");
  char cwd[256];
  if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, "/") != 0) report(1, "chdir(..) x 20", "cwd is %s", cwd);
  else report(0, "chdir(..) x 20", "stays at /");
  try_read("secret.txt after chdir(..) x 20", AT_FDCWD, "secret.txt", 0);
  int up = open("/", O_RDONLY | O_DIRECTORY);
  for (int i = 0; i < 20; i++) {
    int n = openat(up, "..", O_RDONLY | O_DIRECTORY);
    if (n < 0) break;
    close(up);
    up = n;
  }
  same_as_root("openat(.., ..) x 20", up);
  try_read("secret.txt from openat(..) x 20", up, "secret.txt", 0);
  fchdir(up);
  same_as_root("fchdir to it", AT_FDCWD);
  close(up);
  chdir("/");

  // Symlinks the sentry must resolve inside the sandbox.
  symlink(secret, "/tmp/l-abs");
  try_read("symlink to the host path", AT_FDCWD, "/tmp/l-abs", 0);
  symlink("../../../../../../../../secret.txt", "/tmp/l-rel");
  try_read("symlink with ../", AT_FDCWD, "/tmp/l-rel", 0);
  symlink("/..", "/tmp/l-dotdot");
  try_read("symlink to /.., then secret.txt", AT_FDCWD, "/tmp/l-dotdot/secret.txt", 0);
  symlink("l-chain2/..", "/tmp/l-chain1");
  symlink("/tmp/l-dotdot/..", "/tmp/l-chain2");
  try_read("chained symlinks", AT_FDCWD, "/tmp/l-chain1/../secret.txt", 0);
  symlink("/proc/self/root/..", "/tmp/l-proc");
  try_read("symlink through /proc/self/root", AT_FDCWD, "/tmp/l-proc/secret.txt", 0);
  int tmpfd = open("/tmp", O_RDONLY | O_DIRECTORY);
  try_read("O_NOFOLLOW on the host-path symlink", tmpfd, "l-abs", O_NOFOLLOW);
  close(tmpfd);

  // Hard links to something outside.
  must_fail("link(host path)", link(secret, "/tmp/h1"), ENOENT);
  must_fail("link(/../secret.txt)", link("/../secret.txt", "/tmp/h2"), ENOENT);
  must_fail("linkat(AT_EMPTY_PATH) of a dir fd", linkat(open("/", O_RDONLY | O_DIRECTORY), "", AT_FDCWD, "/tmp/h3", AT_EMPTY_PATH), 0);

  // /proc/PID/root, cwd, fd.
  try_read("/proc/1/root/../secret.txt", AT_FDCWD, "/proc/1/root/../secret.txt", 0);
  try_read("/proc/self/root/../../secret.txt", AT_FDCWD, "/proc/self/root/../../secret.txt", 0);
  chdir("/tmp");
  try_read("/proc/self/cwd/../../secret.txt", AT_FDCWD, "/proc/self/cwd/../../secret.txt", 0);
  chdir("/");
  int rfd = open("/", O_RDONLY | O_DIRECTORY);
  snprintf(p, sizeof p, "/proc/self/fd/%d/../secret.txt", rfd);
  try_read("/proc/self/fd/N/../secret.txt", AT_FDCWD, p, 0);
  snprintf(p, sizeof p, "/proc/self/fd/%d/..", rfd);
  int pfd = open(p, O_RDONLY | O_DIRECTORY);
  if (pfd >= 0) same_as_root("/proc/self/fd/N/..", pfd), close(pfd);
  else report(0, "/proc/self/fd/N/..", "%s", strerrorname_np(errno));
  ssize_t n = readlink("/proc/self/root", p, sizeof p - 1);
  p[n > 0 ? n : 0] = 0;
  if (strcmp(p, "/") != 0) report(1, "readlink /proc/self/root", "%s", p);
  else report(0, "readlink /proc/self/root", "/");
  n = readlink("/proc/1/cwd", p, sizeof p - 1);
  p[n > 0 ? n : 0] = 0;
  if (n > 0 && strstr(p, "tsv-sec")) report(1, "readlink /proc/1/cwd", "shows a host path: %s", p);
  else report(0, "readlink /proc/1/cwd", "%s", n > 0 ? p : strerrorname_np(errno));
  n = readlink("/proc/self/exe", p, sizeof p - 1);
  p[n > 0 ? n : 0] = 0;
  if (n > 0 && strstr(p, "tsv-sec")) report(1, "readlink /proc/self/exe", "shows a host path: %s", p);
  else report(0, "readlink /proc/self/exe", "%s", n > 0 ? p : strerrorname_np(errno));

  // chroot breakouts (in a child: the root is per process).
  pid_t c = fork();
  if (c == 0) {
    mkdir("/tmp/jail", 0755);
    int outside = open("/", O_RDONLY | O_DIRECTORY);
    chroot("/tmp/jail");
    fchdir(outside);
    for (int i = 0; i < 30; i++) chdir("..");
    chroot(".");
    try_read("chroot + fchdir(outside) + chdir(..) x 30", AT_FDCWD, "secret.txt", 0);
    try_read("... then /../secret.txt", AT_FDCWD, "/../secret.txt", 0);
    same_as_root("... then /", open("/", O_RDONLY | O_DIRECTORY));
    exit(escapes ? 1 : 0);
  }
  int st;
  waitpid(c, &st, 0);
  if (WIFEXITED(st) && WEXITSTATUS(st) == 1) escapes++;

  // File handles and openat2.
  struct {
    struct file_handle h;
    unsigned char b[128];
  } fh = {.h = {.handle_bytes = 128}};
  int mnt;
  must_fail("name_to_handle_at(/)", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &fh.h, &mnt, 0), 0);
  fh.h.handle_bytes = 8;
  fh.h.handle_type = 1;  // FILEID_INO32_GEN: inode 2 (a root), generation 0
  memset(fh.h.f_handle, 0, 8);
  fh.h.f_handle[0] = 2;
  must_fail("open_by_handle_at(inode 2)", syscall(SYS_open_by_handle_at, rfd, &fh.h, O_RDONLY), 0);
  struct open_how how = {.flags = O_RDONLY};
  long r = syscall(SYS_openat2, rfd, "../secret.txt", &how, sizeof how);
  if (r >= 0) {
    char b[256];
    ssize_t k = read((int)r, b, sizeof b);
    report(k > 0 && is_secret(b, (size_t)k), "openat2(/, ../secret.txt)", "opened %zd bytes", k);
  } else {
    report(0, "openat2(/, ../secret.txt)", "%s", strerrorname_np(errno));
  }
  how.resolve = RESOLVE_BENEATH;
  must_fail("openat2 RESOLVE_BENEATH ..", syscall(SYS_openat2, rfd, "..", &how, sizeof how), 0);

  // openat on every fd number a guest could guess, including the platform's.
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  long top = (long)rl.rlim_max + 64;
  if (top < 70000) top = 70000;
  int found = 0, bad = 0;
  for (long fd = 0; fd < top; fd++) {
    int f = openat((int)fd, "secret.txt", O_RDONLY);
    if (f < 0) f = openat((int)fd, "../secret.txt", O_RDONLY);
    if (f < 0) continue;
    char b[256];
    ssize_t k = read(f, b, sizeof b);
    close(f);
    if (k > 0 && is_secret(b, (size_t)k)) bad++;
    found++;
  }
  report(bad > 0, "openat(N, secret.txt) for every N", "%d opened, %d of them the host secret (0..%ld)", found, bad, top);
  same_as_root("the root's listing has no host files", open("/", O_RDONLY | O_DIRECTORY));
  return finish();
}
