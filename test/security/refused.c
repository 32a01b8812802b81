// cflags: -O1 -static
// Calls outside the sandbox's policy: mounts, namespaces, kernel extension
// points (bpf, perf, io_uring, userfaultfd, keys, modules, kexec), machine
// administration (reboot, swap, clock, hostname of the host, kernel log),
// device nodes, and host-wide priorities. Arguments are harmless even if a
// call did reach the host (reboot only toggles Ctrl-Alt-Del, the clock is set
// to what it is, modules do not exist), but every one must be refused.
#include "escape.h"

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
  char buf[256];
  // Mounts and namespaces.
  /* tmpfs, proc and binds of sandbox paths are the sentry's own mounts (allowed,
     never the host's); every other filesystem type is refused. */
  must_fail("mount ext4 from a block device", mount("/dev/sda", "/data", "ext4", 0, NULL), 0);
  must_fail("mount sysfs elsewhere", mount("sysfs", "/data", "sysfs", 0, NULL), 0);
  must_fail("mount overlay", mount("overlay", "/data", "overlay", 0, "lowerdir=/,upperdir=/tmp,workdir=/tmp"), 0);
  must_fail("mount cgroup2 elsewhere", mount("cgroup2", "/data", "cgroup2", 0, NULL), 0);
  must_fail("umount2 /", umount2("/", MNT_DETACH), 0);
  must_fail("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"), 0);
  must_fail("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER), 0);
  must_fail("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS), 0);
  must_fail("unshare(CLONE_NEWNET|NEWPID|NEWIPC|NEWUTS)", unshare(CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS), 0);
  must_fail("setns(fd, 0)", setns(0, 0), 0);
  must_fail("clone(CLONE_NEWUSER)", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0), 0);
  must_fail("clone(CLONE_NEWPID|CLONE_NEWNS)", syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0), 0);
  must_fail("clone3", syscall(SYS_clone3, buf, 88), 0);
  must_fail("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */), 0);
  must_fail("fsopen", syscall(SYS_fsopen, "tmpfs", 0), 0);
  must_fail("fspick", syscall(SYS_fspick, AT_FDCWD, "/", 0), 0);
  must_fail("mount_setattr", syscall(SYS_mount_setattr, AT_FDCWD, "/", 0, buf, 32), 0);

  // Kernel extension points.
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  must_fail("bpf(BPF_MAP_CREATE)", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr), 0);
  must_fail("bpf(BPF_PROG_LOAD)", syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr), 0);
  struct perf_event_attr pe;
  memset(&pe, 0, sizeof pe);
  pe.size = sizeof pe;
  pe.type = PERF_TYPE_SOFTWARE;
  pe.config = PERF_COUNT_SW_CPU_CLOCK;
  must_fail("perf_event_open(cpu clock, all cpus)", syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0), 0);
  must_fail("perf_event_open(self)", syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0), 0);
  memset(buf, 0, sizeof buf);
  must_fail("io_uring_setup", syscall(SYS_io_uring_setup, 8, buf), 0);
  must_fail("userfaultfd", syscall(SYS_userfaultfd, 0), 0);
  must_fail("keyctl(GET_KEYRING_ID)", syscall(SYS_keyctl, 0, -3 /* session */, 1), 0);
  must_fail("add_key", syscall(SYS_add_key, "user", "k", "v", 1, -3), 0);
  must_fail("request_key", syscall(SYS_request_key, "user", "k", NULL, -3), 0);
  must_fail("init_module(empty image)", syscall(SYS_init_module, buf, 0, ""), 0);
  must_fail("finit_module(/etc/passwd)", syscall(SYS_finit_module, open("/etc/passwd", O_RDONLY), "", 0), 0);
  must_fail("delete_module(nonexistent)", syscall(SYS_delete_module, "tsvisor_nonexistent", O_NONBLOCK), 0);
  must_fail("kexec_load(nothing)", syscall(SYS_kexec_load, 0, 0, NULL, 0), 0);
  must_fail("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 2 /* KEXEC_FILE_UNLOAD */), 0);
  must_fail("iopl(3)", syscall(SYS_iopl, 3), 0);
  must_fail("ioperm(0x80)", syscall(SYS_ioperm, 0x80, 1, 1), 0);
  must_fail("modify_ldt", syscall(SYS_modify_ldt, 0, buf, sizeof buf), 0);
  must_fail("lookup_dcookie", syscall(SYS_lookup_dcookie, 0, buf, sizeof buf), 0);
  must_fail("fanotify_init", syscall(SYS_fanotify_init, 0, 0), 0);
  must_fail("memfd_secret", syscall(SYS_memfd_secret, 0), 0);
  must_fail("process_madvise", syscall(SYS_process_madvise, 0, buf, 1, 0, 0), 0);

  // Machine administration.
  must_fail("reboot(CAD_ON)", syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_ON, NULL), 0);
  must_fail("swapon(/etc/passwd)", syscall(SYS_swapon, "/etc/passwd", 0), 0);
  must_fail("swapoff(/etc/passwd)", syscall(SYS_swapoff, "/etc/passwd"), 0);
  must_fail("acct(/tmp/acct)", syscall(SYS_acct, "/tmp/acct"), 0);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  must_fail("clock_settime(now)", clock_settime(CLOCK_REALTIME, &now), 0);
  struct timeval tv = {now.tv_sec, 0};
  must_fail("settimeofday(now)", settimeofday(&tv, NULL), 0);
  memset(buf, 0, sizeof buf);
  must_fail("adjtimex(ADJ_OFFSET)", syscall(SYS_adjtimex, buf), 0);
  must_fail("syslog(CLEAR)", syscall(SYS_syslog, 5, NULL, 0), 0);
  must_fail("syslog(READ_ALL)", syscall(SYS_syslog, 3, buf, sizeof buf), 0);
  must_fail("vhangup", syscall(SYS_vhangup), 0);
  must_fail("quotactl", syscall(SYS_quotactl, 0, "/", 0, NULL), 0);
  // The sandbox's own name may change; the host's must not (checked outside).
  if (sethostname("escaped-host", 12) == 0) report(0, "sethostname", "the sandbox's own name");
  else report(0, "sethostname", "%s", strerrorname_np(errno));

  // Device nodes: no host device may be named from inside.
  must_fail("mknod block 8:0 in /tmp", mknod("/tmp/sda", S_IFBLK | 0600, makedev(8, 0)), 0);
  must_fail("mknod char 1:1 (mem) in /", mknod("/mem", S_IFCHR | 0600, makedev(1, 1)), 0);
  must_fail("mknod char 1:1 in /dev", mknod("/dev/mem", S_IFCHR | 0600, makedev(1, 1)), 0);
  must_fail("open /dev/mem", open("/dev/mem", O_RDONLY), 0);
  must_fail("open /dev/sda", open("/dev/sda", O_RDONLY), 0);
  must_fail("open /dev/kmsg", open("/dev/kmsg", O_RDONLY), 0);
  must_fail("open /proc/kcore", open("/proc/kcore", O_RDONLY), 0);
  must_fail("open /dev/core", open("/dev/core", O_RDONLY), 0);
  must_fail("open /proc/sysrq-trigger for writing", open("/proc/sysrq-trigger", O_WRONLY), 0);
  must_fail("open /sys/kernel/... for writing", open("/sys/kernel/mm/transparent_hugepage/enabled", O_WRONLY), 0);

  // Host-wide priorities (found while auditing what the sentry lets through).
  struct sched_param sp = {.sched_priority = 1};
  must_fail("sched_setscheduler(SCHED_FIFO)", sched_setscheduler(0, SCHED_FIFO, &sp), EPERM);
  must_fail("sched_setscheduler(SCHED_RR | RESET_ON_FORK)", sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp), EPERM);
  struct {
    unsigned size, policy;
    unsigned long long flags;
    int nice;
    unsigned prio;
    unsigned long long runtime, deadline, period;
  } sa = {48, SCHED_FIFO, 0, 0, 1, 0, 0, 0};
  must_fail("sched_setattr(SCHED_FIFO)", syscall(SYS_sched_setattr, 0, &sa, 0), EPERM);
  sa.policy = 6;  // SCHED_DEADLINE
  sa.prio = 0, sa.runtime = 1000000, sa.deadline = sa.period = 10000000;
  must_fail("sched_setattr(SCHED_DEADLINE)", syscall(SYS_sched_setattr, 0, &sa, 0), EPERM);
  must_fail("setpriority(nice -20)", setpriority(PRIO_PROCESS, 0, -20), EACCES);
  must_fail("ioprio_set(real-time class)", syscall(SYS_ioprio_set, 1, 0, (1 << 13) | 0), EPERM);
  int pol = sched_getscheduler(0);
  report(pol != SCHED_OTHER, "the host policy afterwards", "%s", pol == SCHED_OTHER ? "SCHED_OTHER" : "changed");
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, 0);
  report(nice < 0, "the host nice value afterwards", "%d", nice);
  // Still allowed: the caller's own, at or below the default priority.
  if (setpriority(PRIO_PROCESS, 0, 5) != 0 || sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){0}) != 0)
    report(1, "lowering one's own priority", "refused: %s", strerrorname_np(errno));
  else
    report(0, "lowering one's own priority", "allowed");
  return finish();
}
