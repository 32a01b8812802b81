// cflags: -pthread
/* /proc/PID: stat and status fields against the ids the process knows, for
 * itself, a thread, a stopped child and a zombie; comm (written through
 * /proc, and by pthread_setname_np for another thread); oom_score_adj;
 * cgroup; the layout of status. */
#include "fs_util.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char buf[1 << 16];

static size_t slurp(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    buf[0] = 0;
    return 0;
  }
  size_t n = 0;
  ssize_t r;
  while (n < sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
  buf[n] = 0;
  close(fd);
  return n;
}

/* Fields of a stat line: f[1] pid, f[2] comm, f[3] state... (1-based, as proc(5)). */
static char fields[64][64];
static int nfields;

static void parse_stat(const char *path) {
  slurp(path);
  nfields = 0;
  char *lp = strchr(buf, '('), *rp = strrchr(buf, ')');
  if (!lp || !rp) return;
  snprintf(fields[1], sizeof fields[1], "%.*s", (int)(lp - buf - 1), buf);
  snprintf(fields[2], sizeof fields[2], "%.*s", (int)(rp - lp - 1), lp + 1);
  nfields = 2;
  char *s = rp + 2, *tok;
  while (nfields < 63 && (tok = strsep(&s, " \n")))
    if (*tok) snprintf(fields[++nfields], sizeof fields[0], "%s", tok);
}

static long F(int i) {
  return atol(fields[i]);
}

/* The value of "Key:" in the last status read, without the tab. */
static const char *key(const char *k) {
  static char v[256];
  char pat[64];
  snprintf(pat, sizeof pat, "\n%s:\t", k);
  char *p = strstr(buf, pat);
  if (!p && !strncmp(buf, pat + 1, strlen(pat + 1))) p = buf - 1;
  if (!p) return "(missing)";
  p += strlen(pat);
  char *e = strchr(p, '\n');
  snprintf(v, sizeof v, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
  return v;
}

static void status_keys(const char *path) {
  slurp(path);
  SAY("status keys:");
  for (char *l = buf; *l;) {
    char *c = strchr(l, ':'), *e = strchr(l, '\n');
    if (!c || !e) break;
    /* Keys whose presence depends on the machine, not the kernel's layout. */
    if (strncmp(l, "Speculation", 11) && strncmp(l, "x86_", 4)) SAY(" %.*s", (int)(c - l), l);
    l = e + 1;
  }
  SAY("\n");
}

static pthread_barrier_t bar;
static volatile int thread_tid;

static void *worker(void *a) {
  (void)a;
  thread_tid = syscall(SYS_gettid);
  pthread_barrier_wait(&bar);
  pthread_barrier_wait(&bar);
  return NULL;
}

static void write_file(const char *what, const char *path, const char *s) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) {
    SAY("%s: open -1 %s\n", what, ename(errno));
    return;
  }
  errno = 0;
  ssize_t n = write(fd, s, strlen(s));
  int e = errno;
  int c = close(fd);
  if (n < 0) SAY("%s: write -1 %s\n", what, ename(e));
  else SAY("%s: write %zd, close %d\n", what, n, c);
}

int main(void) {
  char path[128];
  /* Our own stat. */
  parse_stat("/proc/self/stat");
  SAY("stat fields: %d\n", nfields);
  SAY("stat field 1 == getpid(): %d\n", F(1) == getpid());
  SAY("stat field 3 (state): %s\n", fields[3]);
  SAY("stat field 4 == getppid(): %d\n", F(4) == getppid());
  SAY("stat field 5 == getpgrp(): %d\n", F(5) == getpgrp());
  SAY("stat field 6 == getsid(0): %d\n", F(6) == getsid(0));
  SAY("stat field 20 (threads): %ld\n", F(20));
  SAY("stat field 38 (exit signal): %ld\n", F(38));
  SAY("stat field 52 (exit code): %ld\n", F(52));
  char name[16] = {0};
  prctl(PR_GET_NAME, name);
  SAY("stat field 2 == PR_GET_NAME: %d\n", !strcmp(fields[2], name));

  /* status */
  snprintf(path, sizeof path, "/proc/%d/status", getpid());
  slurp(path);
  SAY("status Pid == getpid(): %d\n", atoi(key("Pid")) == getpid());
  SAY("status Tgid == getpid(): %d\n", atoi(key("Tgid")) == getpid());
  SAY("status PPid == getppid(): %d\n", atoi(key("PPid")) == getppid());
  SAY("status NSpid == getpid(): %d\n", atoi(key("NSpid")) == getpid());
  SAY("status NSpgid == getpgrp(): %d\n", atoi(key("NSpgid")) == getpgrp());
  SAY("status NSsid == getsid(0): %d\n", atoi(key("NSsid")) == getsid(0));
  SAY("status Name == PR_GET_NAME: %d\n", !strcmp(key("Name"), name));
  SAY("status State: %s\n", key("State"));
  SAY("status TracerPid: %s\n", key("TracerPid"));
  SAY("status Threads: %s\n", key("Threads"));
  SAY("status Groups: [%s]\n", key("Groups"));
  SAY("status Uid: %s\n", key("Uid"));
  SAY("status Umask: %s\n", key("Umask"));
  SAY("status Ngid: %s\n", key("Ngid"));
  SAY("status NoNewPrivs: %s\n", key("NoNewPrivs"));
  status_keys("/proc/self/status");

  /* A thread: its own stat, status and comm under task/TID; the process sees two threads. */
  pthread_barrier_init(&bar, NULL, 2);
  pthread_t th;
  pthread_create(&th, NULL, worker, NULL);
  pthread_barrier_wait(&bar);
  parse_stat("/proc/self/stat");
  SAY("with a thread: stat field 20: %ld\n", F(20));
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", thread_tid);
  parse_stat(path);
  SAY("thread stat field 1 == its tid: %d\n", F(1) == thread_tid);
  SAY("thread stat field 4 == getppid(): %d\n", F(4) == getppid());
  SAY("thread stat field 20: %ld, field 38: %ld\n", F(20), F(38));
  snprintf(path, sizeof path, "/proc/self/task/%d/status", thread_tid);
  slurp(path);
  SAY("thread status Pid == its tid: %d, Tgid == getpid(): %d\n", atoi(key("Pid")) == thread_tid, atoi(key("Tgid")) == getpid());
  SAY("thread status NSpid == its tid: %d\n", atoi(key("NSpid")) == thread_tid);
  snprintf(path, sizeof path, "/proc/%d/task", getpid());
  DIR *d = opendir(path);
  int ntask = 0, seen_me = 0, seen_thread = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    ntask++;
    seen_me |= atoi(e->d_name) == getpid();
    seen_thread |= atoi(e->d_name) == thread_tid;
  }
  if (d) closedir(d);
  SAY("task/ lists %d threads, the main one %d, the new one %d\n", ntask, seen_me, seen_thread);
  /* pthread_setname_np of another thread writes /proc/self/task/TID/comm. */
  SAY("pthread_setname_np(worker): %d\n", pthread_setname_np(th, "worker"));
  snprintf(path, sizeof path, "/proc/self/task/%d/comm", thread_tid);
  show_file("thread comm", path);
  char tname[16] = {0};
  SAY("pthread_getname_np(worker): %d ", pthread_getname_np(th, tname, sizeof tname));
  SAY("%s\n", tname);
  show_file("main comm unchanged", "/proc/self/comm");
  /* /proc/TID resolves (unlisted) to the process. */
  snprintf(path, sizeof path, "/proc/%d/stat", thread_tid);
  parse_stat(path);
  SAY("/proc/TID/stat is the thread's: %d, threads %ld\n", F(1) == thread_tid, F(20));
  snprintf(path, sizeof path, "/proc/%d/status", thread_tid);
  slurp(path);
  SAY("/proc/TID/status Pid == its tid: %d, Tgid == getpid(): %d\n", atoi(key("Pid")) == thread_tid, atoi(key("Tgid")) == getpid());
  snprintf(path, sizeof path, "/proc/%d/comm", thread_tid);
  show_file("/proc/TID/comm", path);
  snprintf(path, sizeof path, "/proc/self/task/%d", getpid());
  struct stat sa, sb;
  SAY("thread-self is task/TID: %d\n", stat("/proc/thread-self", &sa) == 0 && stat(path, &sb) == 0 && sa.st_ino == sb.st_ino);
  pthread_barrier_wait(&bar);
  pthread_join(th, NULL);

  /* comm, written through /proc. */
  write_file("write comm abc", "/proc/self/comm", "abc");
  show_file("comm", "/proc/self/comm");
  memset(name, 0, sizeof name);
  prctl(PR_GET_NAME, name);
  SAY("PR_GET_NAME after the write: %s\n", name);
  write_file("write a long comm", "/proc/self/comm", "a-name-longer-than-fifteen");
  show_file("comm", "/proc/self/comm");
  parse_stat("/proc/self/stat");
  SAY("stat comm: %s\n", fields[2]);
  prctl(PR_SET_NAME, "procfs_pid");

  /* A child: stopped, continued, a zombie. */
  int go[2];
  pipe(go);
  pid_t c = fork();
  if (c == 0) {
    char b;
    read(go[0], &b, 1);
    _exit(3);
  }
  snprintf(path, sizeof path, "/proc/%d/stat", c);
  parse_stat(path);
  SAY("child stat field 4 == getpid(): %d\n", F(4) == getpid());
  SAY("child stat field 5 == our pgrp: %d\n", F(5) == getpgrp());
  snprintf(path, sizeof path, "/proc/%d/comm", c);
  write_file("write the child's comm", path, "nope");
  kill(c, SIGSTOP);
  int st;
  waitpid(c, &st, WUNTRACED);
  snprintf(path, sizeof path, "/proc/%d/stat", c);
  parse_stat(path);
  SAY("stopped child state: %s\n", fields[3]);
  snprintf(path, sizeof path, "/proc/%d/status", c);
  slurp(path);
  SAY("stopped child status State: %s\n", key("State"));
  kill(c, SIGCONT);
  waitpid(c, &st, WCONTINUED);
  write(go[1], "x", 1);
  siginfo_t si;
  waitid(P_PID, c, &si, WEXITED | WNOWAIT);
  snprintf(path, sizeof path, "/proc/%d/stat", c);
  parse_stat(path);
  SAY("zombie state: %s, field 52 (exit code): %ld, field 4 == getpid(): %d\n", fields[3], F(52), F(4) == getpid());
  snprintf(path, sizeof path, "/proc/%d/status", c);
  slurp(path);
  SAY("zombie status State: %s, PPid == getpid(): %d\n", key("State"), atoi(key("PPid")) == getpid());
  snprintf(path, sizeof path, "/proc/%d/cmdline", c);
  SAY("zombie cmdline length: %zu\n", slurp(path));
  snprintf(path, sizeof path, "/proc/%d/exe", c);
  char link[256];
  errno = 0;
  ssize_t rl = readlink(path, link, sizeof link);
  SAY("zombie exe readlink: %zd %s\n", rl, ename(errno));
  waitpid(c, &st, 0);
  snprintf(path, sizeof path, "/proc/%d/stat", c);
  SAY("reaped child's stat opens: %d (%s)\n", open(path, O_RDONLY) >= 0, ename(errno));

  /* oom_score_adj */
  show_file("oom_score_adj", "/proc/self/oom_score_adj");
  write_file("write oom_score_adj 500", "/proc/self/oom_score_adj", "500\n");
  show_file("oom_score_adj", "/proc/self/oom_score_adj");
  write_file("write oom_score_adj \" 0x20 \"", "/proc/self/oom_score_adj", " 0x20 ");
  show_file("oom_score_adj", "/proc/self/oom_score_adj");
  pid_t c2 = fork();
  if (c2 == 0) {
    show_file("child inherits oom_score_adj", "/proc/self/oom_score_adj");
    _exit(0);
  }
  waitpid(c2, &st, 0);
  write_file("write oom_score_adj 0", "/proc/self/oom_score_adj", "0");

  /* cgroup, and a few fixed files. */
  /* (cgroup's content is the host's hierarchy natively: see test/e2e/vfs.test.ts.) */
  show_file("loginuid", "/proc/self/loginuid");
  show_file("setgroups", "/proc/self/setgroups");
  struct stat s;
  stat("/proc/self/status", &s);
  SAY("status owner %d:%d mode %o size %ld\n", s.st_uid, s.st_gid, s.st_mode & 07777, (long)s.st_size);
  stat("/proc/self/comm", &s);
  SAY("comm mode %o\n", s.st_mode & 07777);
  stat("/proc/self/oom_score_adj", &s);
  SAY("oom_score_adj mode %o\n", s.st_mode & 07777);
  stat("/proc/self/environ", &s);
  SAY("environ mode %o\n", s.st_mode & 07777);
  stat("/proc/self/fd", &s);
  SAY("fd/ mode %o\n", s.st_mode & 07777);
  stat("/proc/self/fdinfo", &s);
  SAY("fdinfo/ mode %o\n", s.st_mode & 07777);
  stat("/proc/self/task", &s);
  SAY("task/ mode %o\n", s.st_mode & 07777);
  return 0;
}
