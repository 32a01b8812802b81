// cflags: -O1 -static
// Reaching host processes: HOST_PID is a host `sleep` outside the sandbox,
// which must survive, untraced, unread. Signals by every route (kill, tkill,
// tgkill, sigqueue, process groups, kill(-1), SIGIO through F_SETOWN, exit
// signals), ptrace, process_vm_readv/writev, pidfds, kcmp, prlimit,
// scheduling and I/O priority of another pid, /proc of host pids; and a scan
// of every pid number for anything outside the sandbox.
#include "escape.h"

#include <sched.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <linux/sockios.h>

int main(void) {
  pid_t host = (pid_t)atoi(env("HOST_PID"));
  char buf[64];
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_code = SI_QUEUE;

  must_fail("kill(host, 0)", kill(host, 0), ESRCH);
  must_fail("kill(host, SIGKILL)", kill(host, SIGKILL), ESRCH);
  must_fail("kill(host, SIGSTOP)", kill(host, SIGSTOP), ESRCH);
  must_fail("kill(-host, SIGKILL)", kill(-host, SIGKILL), ESRCH);
  must_fail("tkill(host, SIGKILL)", syscall(SYS_tkill, host, SIGKILL), ESRCH);
  must_fail("tgkill(host, host, SIGKILL)", syscall(SYS_tgkill, host, host, SIGKILL), ESRCH);
  must_fail("rt_sigqueueinfo(host)", syscall(SYS_rt_sigqueueinfo, host, SIGKILL, &si), ESRCH);
  must_fail("rt_tgsigqueueinfo(host)", syscall(SYS_rt_tgsigqueueinfo, host, host, SIGKILL, &si), ESRCH);
  must_fail("ptrace(ATTACH, host)", ptrace(PTRACE_ATTACH, host, 0, 0), 0);
  must_fail("ptrace(SEIZE, host)", ptrace(PTRACE_SEIZE, host, 0, 0), 0);
  must_fail("ptrace(TRACEME)", ptrace(PTRACE_TRACEME, 0, 0, 0), 0);
  must_fail("ptrace(ATTACH, own child)", ({
              pid_t c = fork();
              if (c == 0) pause();
              long r = ptrace(PTRACE_ATTACH, c, 0, 0);
              int e = errno;
              kill(c, SIGKILL);
              waitpid(c, NULL, 0);
              errno = e;
              r;
            }), 0);
  struct iovec l = {buf, sizeof buf}, r = {(void *)0x400000, sizeof buf};
  must_fail("process_vm_readv(host)", process_vm_readv(host, &l, 1, &r, 1, 0), 0);
  must_fail("process_vm_writev(host)", process_vm_writev(host, &l, 1, &r, 1, 0), 0);
  must_fail("process_vm_readv(self)", process_vm_readv(getpid(), &l, 1, &l, 1, 0), 0);
  must_fail("pidfd_open(host)", syscall(SYS_pidfd_open, host, 0), 0);
  must_fail("pidfd_getfd(0, 0)", syscall(SYS_pidfd_getfd, 0, 0, 0), 0);
  must_fail("pidfd_send_signal(0)", syscall(SYS_pidfd_send_signal, 0, SIGKILL, NULL, 0), 0);
  must_fail("kcmp(host)", syscall(SYS_kcmp, getpid(), host, 0, 0, 0), 0);
  struct rlimit rl = {0, 0};
  must_fail("prlimit(host, RLIMIT_CPU, 0)", prlimit(host, RLIMIT_CPU, &rl, NULL), ESRCH);
  must_fail("setpriority(PRIO_PROCESS, host)", setpriority(PRIO_PROCESS, host, 19), ESRCH);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  must_fail("sched_setaffinity(host)", sched_setaffinity(host, sizeof set, &set), 0);
  must_fail("ioprio_set(host)", syscall(SYS_ioprio_set, 1, host, 7), 0);
  must_fail("get_robust_list(host)", syscall(SYS_get_robust_list, host, buf, buf), 0);
  unsigned long mask = 1;
  must_fail("migrate_pages(host)", syscall(SYS_migrate_pages, host, 64, &mask, &mask), 0);
  must_fail("move_pages(host)", syscall(SYS_move_pages, host, 0, NULL, NULL, NULL, 0), 0);
  snprintf(buf, sizeof buf, "/proc/%d/status", host);
  try_read("/proc/HOST_PID/status", AT_FDCWD, buf, 0);
  snprintf(buf, sizeof buf, "/proc/%d/mem", host);
  must_fail("open /proc/HOST_PID/mem", open(buf, O_RDWR), 0);

  // SIGIO aimed at the host process through a file's owner.
  int p[2];
  pipe(p);
  must_fail("F_SETOWN(host)", fcntl(p[0], F_SETOWN, host), ESRCH);
  must_fail("F_SETOWN(-host)", fcntl(p[0], F_SETOWN, -host), ESRCH);
  struct f_owner_ex ox = {F_OWNER_PID, host};
  must_fail("F_SETOWN_EX(host)", fcntl(p[0], F_SETOWN_EX, &ox), 0);
  int h = host;
  must_fail("ioctl FIOSETOWN(host)", ioctl(p[0], FIOSETOWN, &h), 0);
  must_fail("ioctl SIOCSPGRP(host)", ioctl(p[0], SIOCSPGRP, &h), 0);
  fcntl(p[0], F_SETFL, O_ASYNC);
  write(p[1], "x", 1);

  // Exit signals: a child made with exit signal SIGKILL, reparented to init.
  pid_t c = fork();
  if (c == 0) {
    if (syscall(SYS_clone, SIGKILL | CLONE_PARENT, 0, 0, 0, 0) == 0) _exit(0);
    _exit(0);
  }
  waitpid(c, NULL, 0);

  // kill(-1): everything in the sandbox but init and the caller, never the host.
  c = fork();
  if (c == 0) {
    kill(-1, SIGKILL);
    _exit(0);
  }
  waitpid(c, NULL, 0);

  // Every pid number: only the sandbox's own processes answer.
  int alive = 0, first = 0;
  for (pid_t q = 1; q < 4194304 && q > 0; q = q < 65536 ? q + 1 : q * 2) {
    if (kill(q, 0) == 0 || errno == EPERM) {
      alive++;
      if (q > 64 && !first) first = q;
    }
  }
  report(first != 0, "kill(pid, 0) for every pid", "%d answer%s%s", alive, first ? ", one of them " : "", first ? "outside the sandbox's range" : "");
  return finish();
}
