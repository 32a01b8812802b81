/* /proc's global files: their formats, and the values that are the same
 * inside and out (the host's memory and CPUs, Linux's constants). */
#include "fs_util.h"
#include <dirent.h>
#include <limits.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/utsname.h>

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

static int has_line(const char *prefix) {
  size_t n = strlen(prefix);
  for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
    if (!strncmp(l, prefix, n)) return 1;
  return 0;
}

static void same(const char *a) {
  slurp(a);
  SAY("%s: %.200s", a, buf);
}

static int is_uuid(const char *s) {
  if (strlen(s) != 37 || s[36] != '\n') return 0;
  for (int i = 0; i < 36; i++)
    if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !strchr("0123456789abcdef", s[i])) return 0;
  return 1;
}

int main(void) {
  struct utsname u;
  uname(&u);
  slurp("/proc/meminfo");
  SAY("meminfo has MemTotal, MemFree, MemAvailable, SwapTotal: %d %d %d %d\n", has_line("MemTotal:"), has_line("MemFree:"),
      has_line("MemAvailable:"), has_line("SwapTotal:"));
  slurp("/proc/cpuinfo");
  int procs = 0;
  for (char *l = buf; (l = strstr(l, "processor\t")); l++) procs++;
  SAY("cpuinfo processors == sysconf(NPROCESSORS_ONLN): %d\n", procs == sysconf(_SC_NPROCESSORS_ONLN));
  slurp("/proc/stat");
  SAY("stat has cpu, cpu0, ctxt, btime, processes, procs_running, procs_blocked: %d %d %d %d %d %d %d\n", has_line("cpu "),
      has_line("cpu0 "), has_line("ctxt "), has_line("btime "), has_line("processes "), has_line("procs_running "),
      has_line("procs_blocked "));
  slurp("/proc/uptime");
  double up, idle;
  char extra;
  SAY("uptime is two numbers: %d\n", sscanf(buf, "%lf %lf%c", &up, &idle, &extra) == 3 && extra == '\n' && up > 0);
  slurp("/proc/loadavg");
  double l1, l5, l15;
  int running, total, last;
  int fields = sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last);
  SAY("loadavg format: %d, running <= total: %d, last pid > 0: %d\n", fields == 6, running <= total, last > 0);
  slurp("/proc/version");
  char want[256];
  snprintf(want, sizeof want, "Linux version %s ", u.release);
  SAY("version starts with \"Linux version RELEASE \": %d\n", !strncmp(buf, want, strlen(want)));
  slurp("/proc/filesystems");
  SAY("filesystems has proc, tmpfs, sysfs, cgroup2, overlay: %d %d %d %d %d\n", strstr(buf, "\tproc\n") != NULL,
      strstr(buf, "\ttmpfs\n") != NULL, strstr(buf, "\tsysfs\n") != NULL, strstr(buf, "\tcgroup2\n") != NULL,
      strstr(buf, "\toverlay\n") != NULL);
  char link[64], expect[64];
  ssize_t n = readlink("/proc/self", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  snprintf(expect, sizeof expect, "%d", getpid());
  SAY("self -> getpid(): %d\n", !strcmp(link, expect));
  n = readlink("/proc/thread-self", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  snprintf(expect, sizeof expect, "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
  SAY("thread-self -> PID/task/TID: %d\n", !strcmp(link, expect));
  n = readlink("/proc/mounts", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  SAY("mounts -> %s\n", link);

  slurp("/proc/sys/kernel/hostname");
  snprintf(want, sizeof want, "%s\n", u.nodename);
  SAY("sys/kernel/hostname == uname nodename: %d\n", !strcmp(buf, want));
  slurp("/proc/sys/kernel/osrelease");
  snprintf(want, sizeof want, "%s\n", u.release);
  SAY("sys/kernel/osrelease == uname release: %d\n", !strcmp(buf, want));
  same("/proc/sys/kernel/ostype");
  slurp("/proc/sys/kernel/pid_max");
  SAY("sys/kernel/pid_max is a number > 1000: %d\n", atol(buf) > 1000);
  same("/proc/sys/kernel/ngroups_max");
  SAY("ngroups_max == sysconf(NGROUPS_MAX): %d\n", atol(buf) == sysconf(_SC_NGROUPS_MAX));
  slurp("/proc/sys/kernel/random/uuid");
  char first[64];
  memcpy(first, buf, sizeof first - 1);
  first[sizeof first - 1] = 0;
  slurp("/proc/sys/kernel/random/uuid");
  SAY("random/uuid is a uuid: %d, a new one each time: %d\n", is_uuid(buf), strcmp(first, buf) != 0);
  slurp("/proc/sys/kernel/random/boot_id");
  memcpy(first, buf, sizeof first - 1);
  slurp("/proc/sys/kernel/random/boot_id");
  SAY("random/boot_id is a uuid: %d, the same each time: %d\n", is_uuid(buf), !strcmp(first, buf));
  same("/proc/sys/fs/file-max");
  same("/proc/sys/fs/nr_open");
  same("/proc/sys/fs/pipe-max-size");
  same("/proc/sys/vm/overcommit_memory");
  same("/proc/sys/vm/max_map_count");
  same("/proc/sys/fs/inotify/max_queued_events");
  same("/proc/sys/fs/inotify/max_user_instances");
  same("/proc/sys/fs/inotify/max_user_watches");

  /* Writing the hostname through /proc (root may). */
  int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
  SAY("open hostname for writing: %d\n", fd >= 0);
  close(fd);
  struct stat st, st2;
  stat("/proc/sys/kernel/hostname", &st);
  stat("/proc/sys/kernel/ostype", &st2);
  SAY("hostname mode %o, ostype mode %o\n", st.st_mode & 0777, st2.st_mode & 0777);
  /* Only the sandbox's processes are listed: every /proc/N is a process we can name. */
  int go[2];
  pipe(go);
  pid_t c = fork();
  if (c == 0) {
    char b;
    read(go[0], &b, 1);
    _exit(0);
  }
  DIR *d = opendir("/proc");
  struct dirent *e;
  int me = 0, child = 0;
  while ((e = readdir(d))) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    me |= atoi(e->d_name) == getpid();
    child |= atoi(e->d_name) == c;
  }
  closedir(d);
  SAY("/proc lists us: %d, our child: %d\n", me, child);
  write(go[1], "x", 1);
  return 0;
}
