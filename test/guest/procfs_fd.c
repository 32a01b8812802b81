/* /proc/self/fdinfo (pos, flags, mnt_id, ino and the lines of eventfd,
 * signalfd, timerfd), /proc/self/maps and smaps of a mapped tmpfs file (path,
 * device and inode, the column of the name, "(deleted)"), smaps_rollup,
 * mountinfo and mounts against statx's mount ids. */
#include "fs_util.h"
#include <limits.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>

static char buf[1 << 17];

static size_t slurp(const char *path) {
  int fd = open(path, O_RDONLY);
  buf[0] = 0;
  if (fd < 0) return 0;
  size_t n = 0;
  ssize_t r;
  while (n < sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
  buf[n] = 0;
  close(fd);
  return n;
}

/* The value after "key:" and its blanks, in the last file read. */
static const char *val(const char *k) {
  static char vs[4][256];
  static int next;
  char *v = vs[next++ % 4];
  size_t kl = strlen(k);
  for (char *l = buf; *l;) {
    char *e = strchr(l, '\n');
    if (!strncmp(l, k, kl) && l[kl] == ':') {
      char *p = l + kl + 1;
      while (*p == ' ' || *p == '\t') p++;
      snprintf(v, 256, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
      return v;
    }
    if (!e) break;
    l = e + 1;
  }
  return "(missing)";
}

/* The keys of an fdinfo, in order. */
static void keys(const char *what) {
  SAY("%s keys:", what);
  for (char *l = buf; *l;) {
    char *c = strchr(l, ':'), *e = strchr(l, '\n');
    if (!c || !e) break;
    SAY(" %.*s", (int)(c - l), l);
    l = e + 1;
  }
  SAY("\n");
}

static long mnt_id_of(int fd) {
  struct statx sx;
  if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) < 0) return -1;
  return (long)sx.stx_mnt_id;
}

static void info(const char *what, int fd) {
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
  slurp(p);
  struct stat st;
  fstat(fd, &st);
  SAY("%s: pos %s flags %s ino==fstat %d mnt_id==statx %d\n", what, val("pos"), val("flags"),
      atol(val("ino")) == (long)st.st_ino, atol(val("mnt_id")) == mnt_id_of(fd));
  keys(what);
}

/* The maps line whose path ends with `suffix`: its fields against stat of `path`. */
static void maps_line(const char *what, const char *maps, const char *suffix, const char *path) {
  slurp(maps);
  char *l = buf, *found = NULL;
  while (l && *l) {
    char *e = strchr(l, '\n');
    if (e) *e = 0;
    size_t n = strlen(l), sl = strlen(suffix);
    if (n >= sl && !strcmp(l + n - sl, suffix)) {
      found = l;
      break;
    }
    l = e ? e + 1 : NULL;
  }
  if (!found) {
    SAY("%s: no line\n", what);
    return;
  }
  unsigned ma, mi;
  unsigned long ino;
  char perms[8];
  int col = 0;
  sscanf(found, "%*x-%*x %7s %*x %x:%x %lu %n", perms, &ma, &mi, &ino, &col);
  while (found[col] == ' ') col++;
  struct stat st;
  int ok = stat(path, &st) == 0;
  SAY("%s: perms %s, name at column %d, dev==stat %d, ino==stat %d, name: %s\n", what, perms, col,
      ok && makedev(ma, mi) == st.st_dev, ok && ino == st.st_ino, strstr(found + col, "/fs_test_") ? strstr(found + col, "/fs_test_") : found + col);
}

int main(void) {
  fs_setup("procfd");
  put("file", "0123456789");
  int f = open("file", O_RDWR | O_APPEND | O_CLOEXEC);
  lseek(f, 5, SEEK_SET);
  info("file", f);
  int r = open("file", O_RDONLY);
  info("read-only file", r);
  int d = open(".", O_RDONLY | O_DIRECTORY);
  info("directory", d);
  int p[2];
  pipe2(p, O_NONBLOCK);
  info("pipe read end", p[0]);
  info("pipe write end", p[1]);
  int op = open("file", O_PATH);
  info("O_PATH", op);
  int ev = eventfd(7, EFD_NONBLOCK);
  info("eventfd", ev);
  SAY("eventfd-count: %s\n", val("eventfd-count"));
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGTERM);
  int sf = signalfd(-1, &m, SFD_CLOEXEC);
  info("signalfd", sf);
  SAY("sigmask: %s\n", val("sigmask"));
  int tf = timerfd_create(CLOCK_MONOTONIC, 0);
  info("timerfd", tf);
  SAY("clockid: %s\n", val("clockid"));
  SAY("fdinfo of a closed fd opens: %d\n", open("/proc/self/fdinfo/999", O_RDONLY) >= 0);
  struct stat st;
  stat("/proc/self/fdinfo", &st);
  SAY("fdinfo is a directory: %d\n", S_ISDIR(st.st_mode));

  /* mountinfo: /tmp's line against statx, and its parent. */
  slurp("/proc/self/mountinfo");
  long tmp_id = -1, tmp_parent = -1, root_id = -1, proc_id = -1;
  char tmp_type[32] = "", opts[128] = "";
  int fields_ok = 1;
  for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
    long id, parent;
    char mp[PATH_MAX], root[PATH_MAX], mopts[128], type[32];
    unsigned ma, mi;
    if (sscanf(l, "%ld %ld %u:%u %s %s %127s", &id, &parent, &ma, &mi, root, mp, mopts) != 7) fields_ok = 0;
    char *dash = strstr(l, " - ");
    if (!dash || sscanf(dash, " - %31s", type) != 1) fields_ok = 0;
    if (!strcmp(mp, "/tmp")) tmp_id = id, tmp_parent = parent, snprintf(tmp_type, sizeof tmp_type, "%s", type), snprintf(opts, sizeof opts, "%s", mopts);
    if (!strcmp(mp, "/")) root_id = id;
    if (!strcmp(mp, "/proc")) proc_id = id;
  }
  int tfd = open("/tmp", O_PATH);
  int pfd = open("/proc", O_PATH);
  int rfd = open("/", O_PATH);
  SAY("mountinfo lines parse: %d\n", fields_ok);
  SAY("/tmp: type %s, id==statx %d, parent is /: %d, options start with rw: %d\n", tmp_type, tmp_id == mnt_id_of(tfd), tmp_parent == root_id,
      !strncmp(opts, "rw", 2));
  SAY("/proc id==statx %d, / id==statx %d\n", proc_id == mnt_id_of(pfd), root_id == mnt_id_of(rfd));
  SAY("file's fdinfo mnt_id is /tmp's: %d\n", mnt_id_of(f) == tmp_id);
  slurp("/proc/mounts");
  SAY("/proc/mounts has tmpfs on /tmp: %d, proc on /proc: %d\n", strstr(buf, " /tmp tmpfs ") != NULL, strstr(buf, " /proc proc ") != NULL);
  static char a[sizeof buf];
  memcpy(a, buf, sizeof buf);
  slurp("/proc/self/mounts");
  SAY("/proc/self/mounts == /proc/mounts: %d\n", !strcmp(a, buf));

  /* A mapped tmpfs file: its path and ids, then "(deleted)" once removed. */
  char *map = mmap(NULL, 10, PROT_READ, MAP_SHARED, r, 0);
  SAY("mmap ok: %d\n", map != MAP_FAILED);
  maps_line("maps of the file", "/proc/self/maps", "/fs_test_procfd/file", "file");
  maps_line("smaps of the file", "/proc/self/smaps", "/fs_test_procfd/file", "file");
  slurp("/proc/self/smaps");
  char *h = strstr(buf, "/fs_test_procfd/file\n");
  SAY("smaps block follows with Size: %d\n", h && !strncmp(strchr(h, '\n') + 1, "Size:", 5));
  R("unlink file", unlink("file"));
  maps_line("maps after unlink", "/proc/self/maps", "/fs_test_procfd/file (deleted)", "/proc/self/fd/4");
  munmap(map, 10);
  maps_line("maps after munmap", "/proc/self/maps", "/fs_test_procfd/file (deleted)", "/proc/self/fd/4");
  /* Our own program. */
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n > 0 ? n : 0] = 0;
  slurp("/proc/self/maps");
  SAY("maps has the program: %d, the loader: %d\n", strstr(buf, self) != NULL, strstr(buf, "tsvisor-loader") != NULL);
  char *line = strstr(buf, self);
  while (line && line > buf && line[-1] != '\n') line--;
  if (line) {
    unsigned ma, mi;
    unsigned long ino;
    sscanf(line, "%*x-%*x %*s %*x %x:%x %lu", &ma, &mi, &ino);
    stat(self, &st);
    SAY("program dev:ino == stat: %d\n", makedev(ma, mi) == st.st_dev && ino == st.st_ino);
  }
  slurp("/proc/self/smaps_rollup");
  char *nl = strchr(buf, '\n');
  SAY("smaps_rollup first line ends with [rollup]: %d\n", nl && nl - buf > 8 && !strncmp(nl - 8, "[rollup]", 8));
  if (nl) memmove(buf, nl + 1, strlen(nl + 1) + 1);
  keys("smaps_rollup");
  fs_cleanup();
  return 0;
}
