// The tracer thread: it forks the sandbox's init task, owns every ptrace call
// for the sandbox, and asks JavaScript only where a decision is needed (may
// this task clone, and with which virtual tid; may it exec, and is the image
// ready). Everything else — clone flag rewriting, virtual tids written back
// into registers and memory, signal re-injection, group-stops — it does alone.
//
// Every guest process is made a host child of this thread (CLONE_PARENT is
// added to each fork), so waitpid(__WALL | __WNOTHREAD) here sees and reaps
// them all, and never touches children of Node's other threads. The one
// child that is not a guest is the holder of the guests' pid namespace (see
// IntermediateMain), which the tracer ends when no guest is left.
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "../include/tsvisor_abi.h"
#include "arch/x86_64.h"
#include "sandbox.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

namespace tsv {

// SECCOMP_RET_DATA of our RET_TRACE rules (src/platform/policy.ts); any other
// value comes from a filter the guest installed itself.
constexpr unsigned long kTraceMagic = 0x7473;

// Signals the sentry sends on a guest's behalf go out as SI_QUEUE (the only
// code Linux lets one process queue to another) with the siginfo the guest
// must see, and this tag plus the intended si_code in si_errno
// (src/platform/host.ts: queueSignal). At delivery the tracer restores the
// code, so a handler sees SI_USER/SI_TKILL/CLD_* with virtual ids.
constexpr int kSiginfoTag = 0x54535600;
// A guest's own queued siginfo (rt_sigqueueinfo through the sentry) carries
// this si_errno when its si_pid also travels at offset 44 (host.ts:
// keepSiginfoPid): the kernel zeroes si_pid for a receiver in the guests' pid
// namespace, which the sentry is outside of.
constexpr int kSiginfoPidTag = 0x54535000;

// The kernel's internal restart codes (include/linux/errno.h).
constexpr long kERestartSys = -512;
constexpr long kERestartNoIntr = -513;

namespace {

constexpr int kListenerFd = 3;

constexpr long kOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                          PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;

struct Traced {
  int32_t vtid = 0;
  enum Phase { kRun, kInClone, kInSetTid, kInCloseRange, kInSigwait } phase = kRun;
  // While this task is inside clone:
  int32_t childVtid = 0;
  uint64_t cloneFlags = 0, ptid = 0, ctidArg = 0;
  pid_t child = 0;
  // Argument registers as the guest issued the call: the kernel preserves
  // them across a syscall and code relies on it (glibc's vfork keeps its
  // return address in rdi), so both sides of a rewritten clone get them back.
  uint64_t origArgs[6] = {0, 0, 0, 0, 0, 0};
  long origNr = 0;  // the guest's own syscall number while we run another
  // For a freshly cloned task:
  pid_t parent = 0;
  uint64_t ctid = 0, myCloneFlags = 0;
  uint64_t restoreArgs[6] = {0, 0, 0, 0, 0, 0};
  bool initialStopSeen = false;
  bool waitParent = false;  // a thread is held until its parent's tid fix-ups are done
};

int WriteGuest(pid_t pid, uint64_t addr, const void* buf, size_t len) {
  struct iovec local = {const_cast<void*>(buf), len};
  struct iovec remote = {reinterpret_cast<void*>(addr), len};
  return process_vm_writev(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -errno;
}

// The child between fork and exec runs in a copy of a multi-threaded process:
// raw system calls only, no allocation, no locks.
struct ChildArgs {
  const char* path;
  char* const* argv;
  char* const* envp;
  int stdio[3];
  int loaderFd, loaderSlot, sock;
  const struct sock_fprog* prog;
  bool emptyRoot;  // init was made in namespaces of its own: pivot into an empty root
  pid_t joinNs;    // a process started later (exec): join the namespaces of this one (the holder, or init)
  bool joinPidNs;  // ... its pid namespace too, which takes one more fork (ExtraChildMain)
  int pidPipe;     // where that fork's host pid (or -errno) goes
};

// Defence in depth (docs/security.md): init is cloned into new user, mount,
// ipc, uts and net namespaces, without an id mapping (its host ids stay what
// they were, and it holds capabilities only over these new namespaces, which
// own nothing on the host), and its root becomes an empty, read-only tmpfs.
// Guests never name host files (every path is the sentry's, every file an fd
// the sentry installed, exec runs the loader by fd), so none of this changes
// what they see; a call that slipped past the filter finds no files, no host
// network, no host SysV IPC and no host privilege. The pid namespace comes
// separately (IntermediateMain): its init may not CLONE_PARENT, which every
// guest fork does, so init is the namespace's second process.
constexpr uint64_t kNamespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET;

int SpawnSignal() { return SIGRTMIN + 6; }

// Mounts an empty tmpfs on a directory that exists and makes it the root
// (pivot_root(".", ".") stacks the old root under the new one, and the
// detach drops it). Raw syscalls only: we are a child of a multithreaded
// process. Returns whether the root is now empty.
bool EnterEmptyRoot() {
  if (syscall(SYS_mount, nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
  static const char* const kPoints[] = {"/tmp", "/mnt", "/dev", "/run", "/proc"};
  for (const char* p : kPoints) {
    if (syscall(SYS_mount, "tsvisor", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0555") != 0) continue;
    bool ok = syscall(SYS_chdir, p) == 0 && syscall(SYS_pivot_root, ".", ".") == 0 && syscall(SYS_umount2, ".", MNT_DETACH) == 0;
    syscall(SYS_chdir, "/");
    return ok;
  }
  return false;
}

[[noreturn]] void ChildFail(int sock, int stage, int err) {
  int msg[2] = {stage, err};
  syscall(SYS_write, sock, msg, sizeof msg);
  syscall(SYS_exit_group, 126);
  __builtin_unreachable();
}

[[noreturn]] void ChildMain(const ChildArgs* a) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < 65; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &dfl, nullptr, 8);
  uint64_t empty = 0;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty, nullptr, 8);

  // Move everything we need above the stdio range, then lay out 0-2.
  int sock = (int)syscall(SYS_fcntl, a->sock, F_DUPFD_CLOEXEC, 3 + 64);
  int hi[3];
  for (int i = 0; i < 3; i++) hi[i] = (int)syscall(SYS_fcntl, a->stdio[i], F_DUPFD_CLOEXEC, 3 + 64);
  if (sock < 0) syscall(SYS_exit_group, 126);
  for (int i = 0; i < 3; i++) {
    if (hi[i] < 0 || syscall(SYS_dup3, hi[i], i, 0) < 0) ChildFail(sock, 1, errno);
  }
  struct rlimit rl;
  if (syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl);
  }
  if (syscall(SYS_dup3, a->loaderFd, a->loaderSlot, 0) < 0) ChildFail(sock, 2, errno);
  int ctl = a->loaderSlot - 1;
  if (syscall(SYS_dup3, sock, ctl, O_CLOEXEC) < 0) ChildFail(sock, 3, errno);
  sock = ctl;
  syscall(SYS_close_range, 3, (unsigned)(a->loaderSlot - 2), 0);
  syscall(SYS_close_range, (unsigned)(a->loaderSlot + 1), ~0U, 0);
  if (!a->emptyRoot || !EnterEmptyRoot()) syscall(SYS_chdir, "/");
  syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ChildFail(sock, 4, errno);

  char go;
  if (syscall(SYS_read, sock, &go, 1) != 1) syscall(SYS_exit_group, 126);

  // After this call every trapped syscall waits for the sentry, which has no
  // listener yet: the very next call must be the execve (RET_TRACE), at whose
  // stop the tracer takes the listener with pidfd_getfd. The listener is the
  // lowest free fd (3, see close_range above) and is close-on-exec.
  //
  // WAIT_KILLABLE_RECV: once the sentry has received a call, only a fatal
  // signal can abort it. Without it a signal racing our reply makes the
  // kernel drop a reply that SEND reported as delivered (the call restarts
  // after its side effects happened: a reaped child, a created file). The
  // sentry interrupts its own blocking calls when a signal is pending.
  long lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                     SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, a->prog);
  if (lfd < 0 && errno == EINVAL)  // kernels before 5.19
    lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, a->prog);
  if (lfd < 0) ChildFail(sock, 5, errno);
  if (lfd != kListenerFd) syscall(SYS_exit_group, 126);  // the filter is on: no more reports
  // The sentry answers this execve like any other: it resolves the path in the
  // sandbox and the tracer turns it into an execveat of the loader.
  syscall(SYS_execve, a->path, a->argv, a->envp);
  syscall(SYS_exit_group, errno == ENOENT ? 127 : 126);
  __builtin_unreachable();
}

// pid 1 of the guests' pid namespace. It only has to exist: when the init
// of a pid namespace ends, the kernel kills everything in it (a hard end for
// the sandbox), and no process can be made in it any more. A child of the
// tracer thread (CLONE_PARENT), never traced. Its signals stay blocked (its
// parent blocked them all): from inside the namespace a signal without a
// handler does not reach an init anyway, and guests reach no host pid. It
// dies with the tracer thread (PDEATHSIG), when the tracer kills it, or when
// its lifeline reads end-of-file: the write end lives in the sentry's process
// only (close-on-exec, closed by every other child), so that covers the
// sentry dying before PDEATHSIG was set. It execs the loader in its hold mode
// (TSV_HOLD_ARGV0), so it does not keep a copy of the sentry's memory.
[[noreturn]] void HolderMain(int lifeline, int loaderFd) {
  syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  int l = (int)syscall(SYS_fcntl, lifeline, F_DUPFD, 3);
  int x = (int)syscall(SYS_fcntl, loaderFd, F_DUPFD, 3);
  if (l < 0 || syscall(SYS_dup3, l, 0, 0) < 0) syscall(SYS_exit_group, 126);
  if (x >= 0 && syscall(SYS_dup3, x, 1, O_CLOEXEC) >= 0) {
    syscall(SYS_close_range, 2, ~0U, 0);
    static const char* const argv[] = {TSV_HOLD_ARGV0, nullptr};
    static const char* const envp[] = {nullptr};
    syscall(SYS_execveat, 1, "", argv, envp, AT_EMPTY_PATH);
  }
  // No loader to run: hold here, in our copy of the sentry's memory.
  syscall(SYS_close_range, 1, ~0U, 0);
  for (;;) {
    char c;
    long r = syscall(SYS_read, 0, &c, 1);
    if (r == 0 || (r < 0 && errno != EINTR)) syscall(SYS_exit_group, 0);
  }
}

// What the intermediate child (IntermediateMain) reports to TracerMain.
struct InitReport {
  int32_t holder;  // host pid of the pid namespace's holder, 0 without one
  int32_t init;    // host pid of init, or -errno
  int32_t pidErr;  // why there is no pid namespace (errno of unshare), 0 when there is
};

// Made by the tracer thread in the new user, mount, ipc, uts and net
// namespaces, and single-threaded, this child makes the pid namespace:
// unshare(CLONE_NEWPID) puts only its future children in a new one, the
// first of them (the holder) is its pid 1 and the second is init (pid 2).
// Both are made with CLONE_PARENT, so they are children of the tracer
// thread, which reaps this one; init is no namespace's init, so every guest
// fork can go on adding CLONE_PARENT. Where the kernel refuses the pid
// namespace, init is made all the same, without it.
[[noreturn]] void IntermediateMain(const ChildArgs* a, int report, int lifeline) {
  uint64_t all = ~0ULL;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, nullptr, 8);
  InitReport r{0, 0, 0};
  if (syscall(SYS_unshare, CLONE_NEWPID) == 0) {
    long h = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
    if (h == 0) HolderMain(lifeline, a->loaderFd);
    if (h < 0) {
      // The namespace has no pid 1: init would become it. Give up.
      r.init = -errno;
      syscall(SYS_write, report, &r, sizeof r);
      syscall(SYS_exit_group, 0);
    }
    r.holder = (int32_t)h;
  } else {
    r.pidErr = errno;
  }
  long p = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
  if (p == 0) ChildMain(a);
  r.init = p < 0 ? -errno : (int32_t)p;
  syscall(SYS_write, report, &r, sizeof r);
  syscall(SYS_exit_group, 0);
  __builtin_unreachable();
}

// A process started later (exec) joins the sandbox's namespaces before
// anything else: their (empty) root comes with the mount namespace. setns of
// a pid namespace moves only the caller's future children, so with one it
// forks once more, with CLONE_PARENT (a child of the tracer thread, in the
// guests' pid namespace), reports that child's host pid and exits; the
// signal handler that forked us reaps us and seizes it.
[[noreturn]] void ExtraChildMain(const ChildArgs* a) {
  if (a->joinNs <= 0) ChildMain(a);
  int pfd = (int)syscall(SYS_pidfd_open, a->joinNs, 0);
  int flags = (int)kNamespaces | (a->joinPidNs ? (int)CLONE_NEWPID : 0);
  if (pfd < 0 || syscall(SYS_setns, pfd, flags) != 0) {
    int e = errno;
    if (!a->joinPidNs) ChildFail(a->sock, 6, e);
    int32_t msg = -e;
    syscall(SYS_write, a->pidPipe, &msg, sizeof msg);
    syscall(SYS_exit_group, 126);
  }
  syscall(SYS_close, pfd);
  if (!a->joinPidNs) ChildMain(a);
  long p = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
  if (p == 0) ChildMain(a);
  int32_t msg = p < 0 ? -errno : (int32_t)p;
  syscall(SYS_write, a->pidPipe, &msg, sizeof msg);
  syscall(SYS_exit_group, 0);
  __builtin_unreachable();
}

// The init task reports a failure before its filter exists as {stage, errno}.
void ReadChildFailure(int sock, int* stage, int* err) {
  int msg[2] = {0, 0};
  ssize_t n = recv(sock, msg, sizeof msg, MSG_DONTWAIT);
  if (n == (ssize_t)sizeof msg) {
    *stage = msg[0];
    *err = msg[1];
  }
}

class Tracer {
 public:
  Tracer(Sandbox* s, int loaderFd, int loaderSlot, std::vector<uint8_t> restartNoIntr)
      : s_(s), reservedBase_(loaderSlot - 3), restartNoIntr_(std::move(restartNoIntr)) {
    struct stat st;
    if (fstat(loaderFd, &st) == 0) loaderDev_ = st.st_dev, loaderIno_ = st.st_ino;
  }

  void Adopt(pid_t pid, int32_t vtid, int sock) {
    tasks_[pid].vtid = vtid;
    init_ = pid;
    initSock_ = sock;
    needListener_.insert(pid);
  }
  // The pid namespace's holder (IntermediateMain) and our end of its
  // lifeline: the loop kills it once no guest task is left, and reaps it.
  void SetHolder(pid_t holder, int lifeline) {
    holder_ = holder;
    lifeline_ = lifeline;
  }
  ~Tracer() {
    if (lifeline_ >= 0) close(lifeline_);
  }
  void Loop();
  // Takes the processes SpawnHandler started since the last look.
  void AdoptExtras();

 private:
  void Post(int32_t type, int32_t tid, double a0 = 0, double a1 = 0, double a2 = 0, double a3 = 0, double a4 = 0,
            double a5 = 0) {
    Event ev{type, tid, {a0, a1, a2, a3, a4, a5}};
    s_->Post(ev);
  }
  void Cont(pid_t pid, int sig = 0) { ptrace(PTRACE_CONT, pid, 0, (void*)(long)sig); }
  void Skip(pid_t pid, arch::Regs& regs, long err) {
    arch::SetSyscallNr(regs, -1);
    arch::SetReturn(regs, err);
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    Cont(pid);
  }
  void OnSeccomp(pid_t pid);
  void OnClone(pid_t pid, arch::Regs& regs, long nr);
  void OnExecve(pid_t pid, arch::Regs& regs, long nr);
  void OnCloneEvent(pid_t pid);
  void OnSyscallExit(pid_t pid);
  void OnNewTaskStop(pid_t pid);
  void ReleaseIfReady(pid_t child);
  void OnExecEvent(pid_t pid);
  void OnExit(pid_t pid, int status, const struct rusage& ru);

  void OnCloseRange(pid_t pid, arch::Regs& regs);
  void OnSignalDelivery(pid_t pid);
  void KillOrphans();
  bool CloneEventPending() const;
  void EndHolderIfIdle();

  Sandbox* s_;
  int reservedBase_;
  std::vector<uint8_t> restartNoIntr_;  // fds from here up belong to the platform
  dev_t loaderDev_ = 0;
  ino_t loaderIno_ = 0;
  std::unordered_map<pid_t, Traced> tasks_;
  std::unordered_set<pid_t> early_;  // initial stops seen before their clone event
  pid_t init_ = 0;
  int initSock_ = -1;
  bool haveListener_ = false;
  // Tasks whose filter's listener we have not taken yet (init, spawned processes).
  std::unordered_set<pid_t> needListener_;
  bool TakeListener(pid_t pid);
  pid_t holder_ = 0;
  int lifeline_ = -1;
  bool holderKilled_ = false;
  // Exits of tasks we did not know yet, kept while a clone event that may
  // name them can still come: a child killed right after its creation can be
  // reaped before its parent's fork event is read. The event then reports
  // it, and the exit follows, so no task stays in tasks_ (the holder would
  // keep the loop waiting) or in the sentry's table forever.
  struct Gone {
    int status;
    struct rusage ru;
  };
  std::unordered_map<pid_t, Gone> gone_;
  void PostExit(pid_t pid, int status, const struct rusage& ru) {
    Post(kEvExit, pid, status, ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec, ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec,
         (double)ru.ru_maxrss);
  }
};

void Tracer::AdoptExtras() {
  for (ExtraSlot& e : s_->extraSlots) {
    if (e.state.load(std::memory_order_acquire) != 2) continue;
    tasks_[e.pid].vtid = e.vtid;
    needListener_.insert(e.pid);
    e.state.store(0, std::memory_order_release);
  }
}

bool Tracer::TakeListener(pid_t pid) {
  bool extra = pid != init_;
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  int lfd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, kListenerFd, 0);
  int err = errno;
  if (pidfd >= 0) close(pidfd);
  uint64_t probe = 0;
  if (lfd >= 0 && ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &probe) != 0 && errno != ENOENT) {
    err = EBADF;  // fd 3 is not a seccomp listener
    close(lfd);
    lfd = -1;
  }
  if (lfd < 0) {
    if (!extra) Post(kEvSpawnFailed, pid, -err, 8);
    kill(pid, SIGKILL);
    return false;
  }
  int cloexec = fcntl(lfd, F_GETFD);
  fcntl(lfd, F_SETFD, cloexec | FD_CLOEXEC);
  // Wake the guest on our CPU when we answer (kernel >= 6.6); without it
  // every trap costs two cross-CPU wake-ups. Older kernels: plain behaviour.
  ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
  Post(kEvListener, pid, lfd, extra ? 1 : 0);
  if (extra) return true;
  haveListener_ = true;
  if (initSock_ >= 0) close(initSock_), initSock_ = -1;
  return true;
}

void Tracer::Loop() {
  for (;;) {
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, __WALL | __WNOTHREAD, &ru);
    int err = errno;
    // A process spawned meanwhile is known before any event of its own.
    AdoptExtras();
    if (pid < 0) {
      if (err == EINTR) continue;
      break;  // ECHILD: every task is gone
    }
    if (pid == holder_) {
      // Not a tracee: only its end is reported. The kernel has killed what
      // was left in the namespace; those exits come (or came) on their own.
      if (WIFEXITED(status) || WIFSIGNALED(status)) {
        holder_ = 0;
        if (lifeline_ >= 0) close(lifeline_), lifeline_ = -1;
      }
      continue;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      OnExit(pid, status, ru);
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    int sig = WSTOPSIG(status);
    int event = (unsigned)status >> 16;
    if (sig == (SIGTRAP | 0x80)) {
      OnSyscallExit(pid);
    } else if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
      OnSeccomp(pid);
    } else if (sig == SIGTRAP && (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
                                  event == PTRACE_EVENT_CLONE)) {
      OnCloneEvent(pid);
    } else if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
      OnExecEvent(pid);
    } else if (event == PTRACE_EVENT_STOP) {
      if (sig == SIGTRAP) {
        OnNewTaskStop(pid);
      } else {
        // Group-stop: keep the task stopped but let SIGCONT through.
        Post(kEvStopped, pid, sig);
        ptrace(PTRACE_LISTEN, pid, 0, 0);
      }
    } else {
      // Signal-delivery-stop: deliver it as the kernel would have.
      if (!tasks_.count(pid)) {
        early_.insert(pid);  // cannot happen for seized children, but never lose a task
        continue;
      }
      if (sig == SIGCONT) Post(kEvContinued, pid);
      OnSignalDelivery(pid);
      Cont(pid, sig);
    }
  }
}

// Restores the si_code of a signal the sentry sent (see kSiginfoTag).
bool Untag(siginfo_t* si) {
  if (si->si_errno == kSiginfoPidTag && si->si_code < 0) {
    char* raw = reinterpret_cast<char*>(si);
    memcpy(raw + 16, raw + 44, 4);
    memset(raw + 44, 0, 4);
    si->si_errno = 0;
    return true;
  }
  if (si->si_code != SI_QUEUE || (si->si_errno & ~0xff) != kSiginfoTag) return false;
  // One byte carries the code: CLD_* and SI_USER as they are, negative codes
  // (SI_TKILL) sign-extended, and 0x80 is SI_KERNEL (no negative code is that low).
  int8_t code = (int8_t)(si->si_errno & 0xff);
  si->si_code = code == -128 ? SI_KERNEL : code;
  si->si_errno = 0;
  // The kernel rewrote si_uid into the guests' user namespace (which maps no
  // id, so it reads 65534); the sentry's virtual uid travels at offset 28 too
  // (padding for CLD_*, the high half of si_value for SI_QUEUE).
  char* raw = reinterpret_cast<char*>(si);
  memcpy(raw + 20, raw + 28, 4);
  memset(raw + 28, 0, 4);
  // Likewise the kernel zeroes si_pid of a signal from outside the guests'
  // pid namespace; the virtual pid travels in the high half of si_stime too
  // (zero for SI_USER/SI_TKILL, and for CLD_* a count of ticks far below 2^32).
  memcpy(raw + 16, raw + 44, 4);
  memset(raw + 44, 0, 4);
  return true;
}

// sigwaitinfo/sigtimedwait take a signal without a delivery-stop: the
// siginfo they stored in guest memory is fixed there.
void UntagGuestSiginfo(pid_t pid, uint64_t addr) {
  siginfo_t si;
  struct iovec local = {&si, sizeof si};
  struct iovec remote = {reinterpret_cast<void*>(addr), sizeof si};
  if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof si) return;
  if (Untag(&si)) WriteGuest(pid, addr, &si, sizeof si);
}

// A signal-delivery-stop. Two fix-ups before the guest sees the signal:
//  - the siginfo of a signal the sentry sent gets its real si_code;
//  - a notified call the signal interrupted before the sentry received it
//    (afterwards guests wait killably, see the filter flags below) comes back
//    as -ERESTARTSYS, which a handler without SA_RESTART turns into EINTR.
//    For a call that never fails with EINTR on Linux (close, an open, a
//    stat: restartNoIntr_), that would be a lie about something that did not
//    happen; -ERESTARTNOINTR has the kernel re-issue it after the handler.
void Tracer::OnSignalDelivery(pid_t pid) {
  siginfo_t si;
  if (ptrace(PTRACE_GETSIGINFO, pid, 0, &si) == 0 && Untag(&si)) ptrace(PTRACE_SETSIGINFO, pid, 0, &si);
  arch::Regs regs;
  if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) return;
  long nr = arch::SyscallNr(regs);
  if (arch::Return(regs) != kERestartSys || nr < 0 || (size_t)(nr >> 3) >= restartNoIntr_.size()) return;
  if (!(restartNoIntr_[nr >> 3] & (1 << (nr & 7)))) return;
  arch::SetReturn(regs, kERestartNoIntr);
  ptrace(PTRACE_SETREGS, pid, 0, &regs);
}

void Tracer::OnSeccomp(pid_t pid) {
  unsigned long msg = 0;
  arch::Regs regs;
  if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) != 0 || ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) return;
  if (needListener_.erase(pid) && !TakeListener(pid)) return;
  if ((msg & 0xffff) != kTraceMagic) {
    // A filter the guest installed asked for a tracer; it has none.
    Skip(pid, regs, -ENOSYS);
    return;
  }
  long nr = arch::SyscallNr(regs);
  switch (nr) {
    case arch::kNrClone:
    case arch::kNrFork:
    case arch::kNrVfork:
      OnClone(pid, regs, nr);
      return;
    case arch::kNrExecve:
    case arch::kNrExecveat:
      OnExecve(pid, regs, nr);
      return;
    case arch::kNrSetTidAddress:
      tasks_[pid].phase = Traced::kInSetTid;
      ptrace(PTRACE_SYSCALL, pid, 0, 0);
      return;
    case arch::kNrCloseRange:
      OnCloseRange(pid, regs);
      return;
    case arch::kNrRtSigtimedwait:
      // The siginfo it returns is the one queued: untag it at the exit.
      tasks_[pid].phase = Traced::kInSigwait;
      tasks_[pid].origArgs[1] = arch::Arg(regs, 1);
      ptrace(PTRACE_SYSCALL, pid, 0, 0);
      return;
    default:
      Cont(pid);
  }
}

void Tracer::OnClone(pid_t pid, arch::Regs& regs, long nr) {
  uint64_t flags;
  int kind;
  if (nr == arch::kNrClone) {
    flags = arch::Arg(regs, arch::kCloneFlags);
    kind = 0;
  } else if (nr == arch::kNrFork) {
    flags = SIGCHLD;
    kind = 1;
  } else {
    flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    kind = 2;
  }
  uint64_t ptid = nr == arch::kNrClone ? arch::Arg(regs, arch::kCloneParentTid) : 0;
  uint64_t ctid = nr == arch::kNrClone ? arch::Arg(regs, arch::kCloneChildTid) : 0;
  double ans[4];
  s_->Ask(Event{kEvAskClone, pid, {(double)(uint32_t)flags, (double)(uint32_t)(flags >> 32), (double)kind,
                                   (double)ptid, (double)ctid, 0}},
          ans, 1);
  if (ans[0] <= 0) {
    Skip(pid, regs, ans[0] < 0 ? (long)ans[0] : -EAGAIN);
    return;
  }
  // The sentry reparents, reaps and signals; the host must not let a child
  // escape the tracer (CLONE_UNTRACED) or hand out host pidfds.
  Traced& saved = tasks_[pid];
  for (int i = 0; i < 6; i++) saved.origArgs[i] = arch::Arg(regs, i);
  saved.origNr = nr;
  uint64_t hostFlags = flags & ~(uint64_t)(CLONE_UNTRACED | CLONE_PTRACE | CLONE_PIDFD);
  if (!(flags & CLONE_THREAD)) hostFlags |= CLONE_PARENT;
  arch::SetSyscallNr(regs, arch::kNrClone);
  arch::SetArg(regs, arch::kCloneFlags, hostFlags);
  if (nr != arch::kNrClone) {
    arch::SetArg(regs, arch::kCloneStack, 0);
    arch::SetArg(regs, arch::kCloneParentTid, 0);
    arch::SetArg(regs, arch::kCloneChildTid, 0);
    arch::SetArg(regs, arch::kCloneTls, 0);
  }
  Traced& t = tasks_[pid];
  t.phase = Traced::kInClone;
  t.childVtid = (int32_t)ans[0];
  t.cloneFlags = flags;
  t.ptid = ptid;
  t.ctidArg = ctid;
  t.child = 0;
  if (ptrace(PTRACE_SETREGS, pid, 0, &regs) != 0) return;
  ptrace(PTRACE_SYSCALL, pid, 0, 0);
}

void Tracer::OnExecve(pid_t pid, arch::Regs& regs, long nr) {
  int kind = nr == arch::kNrExecveat ? 1 : 0;
  double a[6];
  if (kind == 0) {
    a[1] = AT_FDCWD;
    a[2] = (double)arch::Arg(regs, 0);
    a[3] = (double)arch::Arg(regs, 1);
    a[4] = (double)arch::Arg(regs, 2);
    a[5] = 0;
  } else {
    a[1] = (double)(int32_t)arch::Arg(regs, 0);
    a[2] = (double)arch::Arg(regs, 1);
    a[3] = (double)arch::Arg(regs, 2);
    a[4] = (double)arch::Arg(regs, 3);
    a[5] = (double)(int32_t)arch::Arg(regs, 4);
  }
  double ans[4];
  s_->Ask(Event{kEvAskExec, pid, {(double)kind, a[1], a[2], a[3], a[4], a[5]}}, ans, 4);
  if (ans[0] < 0) {
    Skip(pid, regs, (long)ans[0]);
    return;
  }
  // ans[0] = loader fd slot, ans[1] = pointer to a NUL byte in the guest,
  // ans[2]/ans[3] = pointers to NULL-terminated arrays (argv/envp for the
  // loader, which takes its real ones from the sentry). If the guest races us
  // and rewrites that memory, the exec event check below catches it.
  arch::SetSyscallNr(regs, arch::kNrExecveat);
  arch::SetArg(regs, 0, (uint64_t)(long)ans[0]);
  arch::SetArg(regs, 1, (uint64_t)ans[1]);
  arch::SetArg(regs, 2, (uint64_t)ans[2]);
  arch::SetArg(regs, 3, (uint64_t)ans[3]);
  arch::SetArg(regs, 4, AT_EMPTY_PATH);
  if (ptrace(PTRACE_SETREGS, pid, 0, &regs) != 0) return;
  Cont(pid);
}

// close_range must never reach the platform's fds above reservedBase_: the
// range is clamped here, and the sentry updates its table once the host call
// succeeded (the event is posted before the guest runs again).
void Tracer::OnCloseRange(pid_t pid, arch::Regs& regs) {
  uint64_t first = (uint32_t)arch::Arg(regs, 0), last = (uint32_t)arch::Arg(regs, 1);
  if (first > last) {
    Cont(pid);  // the host answers EINVAL
    return;
  }
  Traced& t = tasks_[pid];
  for (int i = 0; i < 6; i++) t.origArgs[i] = arch::Arg(regs, i);
  if (first >= (uint64_t)reservedBase_) {
    Skip(pid, regs, 0);
    return;
  }
  if (last >= (uint64_t)reservedBase_) arch::SetArg(regs, 1, (uint64_t)(reservedBase_ - 1));
  t.phase = Traced::kInCloseRange;
  if (ptrace(PTRACE_SETREGS, pid, 0, &regs) != 0) return;
  ptrace(PTRACE_SYSCALL, pid, 0, 0);
}

void Tracer::OnCloneEvent(pid_t pid) {
  unsigned long msg = 0;
  // The parent may be killed between reporting the event and this call: no
  // child pid then (the sentry once got 0 as the child's host tid and later
  // sent kill(0, SIGKILL) to its own process group; found by the fuzzer). Its
  // exit comes next, and KillOrphans() deals with the child.
  if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) != 0 || (pid_t)msg <= 0) return;
  pid_t child = (pid_t)msg;
  Traced& p = tasks_[pid];
  Traced& c = tasks_[child];
  c.vtid = p.childVtid;
  c.parent = pid;
  c.ctid = p.ctidArg;
  c.myCloneFlags = p.cloneFlags;
  for (int i = 0; i < 6; i++) c.restoreArgs[i] = p.origArgs[i];
  // glibc's pthread_create passes the same word as ptid and ctid; a thread
  // must not run before the parent-side tid is virtual.
  c.waitParent = (p.cloneFlags & CLONE_PARENT_SETTID) && (p.cloneFlags & CLONE_VM) && !(p.cloneFlags & CLONE_VFORK);
  p.child = child;
  uint64_t f = p.cloneFlags;
  Post(kEvNewTask, pid, child, p.childVtid, (double)(uint32_t)f, (double)(uint32_t)(f >> 32));
  auto gone = gone_.find(child);
  if (gone != gone_.end()) {
    // Reaped before this event: it was never going to run.
    tasks_.erase(child);
    PostExit(child, gone->second.status, gone->second.ru);
    gone_.erase(gone);
  } else if (early_.erase(child)) {
    c.initialStopSeen = true;
    OnNewTaskStop(child);
  }
  KillOrphans();
  ptrace(PTRACE_SYSCALL, pid, 0, 0);
}

// A child whose initial stop came before its parent's clone event waits in
// early_ for that event. When the parent is killed between making the child
// and reporting the event (the kernel skips a ptrace event stop once a fatal
// signal is pending), the event never comes: the child would stay stopped
// forever, unknown to the sentry, and the sandbox would never finish (found by
// the syscall fuzzer). A stop can only be early while some task is inside
// clone without its event; when none is, every waiting child is such an
// orphan and is killed before it runs a single instruction.
void Tracer::KillOrphans() {
  if (early_.empty() || CloneEventPending()) return;
  for (pid_t orphan : early_) kill(orphan, SIGKILL);
}

bool Tracer::CloneEventPending() const {
  for (auto& [pid, t] : tasks_)
    if (t.phase == Traced::kInClone && t.child == 0) return true;
  return false;
}

// With a pid namespace, wait4 returns ECHILD (the end of the loop) only once
// the holder is gone too: it is killed as soon as no guest task is left.
// That is also every guest's end, so the spawn signal is held off meanwhile
// (a process exec starts in that instant is killed with the namespace, and
// its exit reported as any other's).
void Tracer::EndHolderIfIdle() {
  if (holder_ <= 0 || holderKilled_ || !tasks_.empty()) return;
  sigset_t spawn, old;
  sigemptyset(&spawn);
  sigaddset(&spawn, SpawnSignal());
  pthread_sigmask(SIG_BLOCK, &spawn, &old);
  AdoptExtras();
  if (tasks_.empty()) {
    kill(holder_, SIGKILL);
    holderKilled_ = true;
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void Tracer::OnNewTaskStop(pid_t pid) {
  auto it = tasks_.find(pid);
  if (it == tasks_.end() || it->second.parent == 0) {
    if (it == tasks_.end()) {
      early_.insert(pid);
      KillOrphans();
    } else {
      Cont(pid);  // a PTRACE_INTERRUPT-style stop of a known task
    }
    return;
  }
  Traced& c = it->second;
  c.initialStopSeen = true;
  ReleaseIfReady(pid);
}

void Tracer::ReleaseIfReady(pid_t child) {
  auto it = tasks_.find(child);
  if (it == tasks_.end() || !it->second.initialStopSeen || it->second.waitParent || it->second.parent == 0) return;
  Traced& c = it->second;
  if (c.myCloneFlags & CLONE_CHILD_SETTID) {
    // The kernel wrote the host tid at ctid before the child first ran; the
    // tid the guest keeps must be the virtual one.
    if (c.ctid) WriteGuest(child, c.ctid, &c.vtid, sizeof c.vtid);
  }
  arch::Regs regs;
  if (ptrace(PTRACE_GETREGS, child, 0, &regs) == 0) {
    for (int i = 0; i < 6; i++) arch::SetArg(regs, i, c.restoreArgs[i]);
    ptrace(PTRACE_SETREGS, child, 0, &regs);
  }
  c.parent = 0;  // released: later stops are ordinary
  Cont(child);
}

void Tracer::OnSyscallExit(pid_t pid) {
  auto it = tasks_.find(pid);
  if (it == tasks_.end()) {
    Cont(pid);
    return;
  }
  Traced& t = it->second;
  arch::Regs regs;
  if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) return;
  if (t.phase == Traced::kInSetTid) {
    arch::SetReturn(regs, t.vtid);
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
  } else if (t.phase == Traced::kInSigwait) {
    if (arch::Return(regs) > 0 && t.origArgs[1]) UntagGuestSiginfo(pid, t.origArgs[1]);
  } else if (t.phase == Traced::kInCloseRange) {
    if (arch::Return(regs) == 0)
      Post(kEvCloseRange, pid, (double)(uint32_t)t.origArgs[0], (double)(uint32_t)t.origArgs[1], (double)(uint32_t)t.origArgs[2]);
    for (int i = 0; i < 6; i++) arch::SetArg(regs, i, t.origArgs[i]);
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
  } else if (t.phase == Traced::kInClone) {
    long r = arch::Return(regs);
    for (int i = 0; i < 6; i++) arch::SetArg(regs, i, t.origArgs[i]);
    // A signal that arrived during fork makes the kernel restart the call
    // from orig_rax: that must be the guest's own call (vfork, fork or its
    // clone), which comes back to OnClone, not our rewritten clone with the
    // guest's registers as flags.
    if (r <= kERestartSys && r >= -516) arch::SetSyscallNr(regs, t.origNr);
    if (r > 0) arch::SetReturn(regs, t.childVtid);
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    if (r > 0) {
      if ((t.cloneFlags & CLONE_PARENT_SETTID) && t.ptid) WriteGuest(pid, t.ptid, &t.childVtid, sizeof t.childVtid);
      auto c = tasks_.find(t.child);
      if (c != tasks_.end()) {
        c->second.waitParent = false;
        ReleaseIfReady(t.child);
      }
    } else {
      Post(kEvCloneFailed, pid, t.childVtid, r);
    }
    t.child = 0;
  }
  t.phase = Traced::kRun;
  Cont(pid);
}

void Tracer::OnExecEvent(pid_t pid) {
  unsigned long former = 0;
  ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/exe", pid);
  struct stat st;
  if (stat(path, &st) != 0 || st.st_dev != loaderDev_ || st.st_ino != loaderIno_) {
    // Something other than our loader is about to run: the guest raced the
    // exec rewrite. It never executes an instruction.
    kill(pid, SIGKILL);
    Post(kEvKilled, pid, 1);
    Cont(pid);
    return;
  }
  if ((pid_t)former != pid) {
    auto it = tasks_.find((pid_t)former);
    if (it != tasks_.end()) tasks_.erase(it);
  }
  tasks_[pid].phase = Traced::kRun;
  Post(kEvExec, pid, (double)former);
  Cont(pid);
}

void Tracer::OnExit(pid_t pid, int status, const struct rusage& ru) {
  if (pid == init_ && !haveListener_ && initSock_ >= 0) {
    int stage = 9, err = ECHILD;
    ReadChildFailure(initSock_, &stage, &err);
    Post(kEvSpawnFailed, pid, -err, stage);
    close(initSock_);
    initSock_ = -1;
  }
  auto it = tasks_.find(pid);
  if (it == tasks_.end() && !early_.count(pid) && CloneEventPending()) {
    // Possibly a child whose clone event is still to come (see gone_).
    gone_[pid] = Gone{status, ru};
    return;
  }
  if (it != tasks_.end()) {
    // A parent killed inside clone must not leave its new thread held forever.
    if (it->second.phase == Traced::kInClone && it->second.child) {
      auto c = tasks_.find(it->second.child);
      if (c != tasks_.end()) {
        c->second.waitParent = false;
        ReleaseIfReady(it->second.child);
      }
    }
    tasks_.erase(it);
  }
  early_.erase(pid);
  KillOrphans();
  needListener_.erase(pid);
  PostExit(pid, status, ru);
  // Exits kept for a clone event that can no longer come belong to no task.
  if (!gone_.empty() && !CloneEventPending()) gone_.clear();
  EndHolderIfIdle();
}

// ---- processes spawned into a running sandbox (OCI exec) ----
//
// Only the tracer thread may ptrace, and it spends its life blocked in
// wait4: a request from the main thread reaches it as a signal (queued to
// that thread alone, with the request's address), whose handler forks the
// new process exactly as TracerMain forks init, seizes it, and leaves it in
// the mailbox for the loop (AdoptExtras, after wait4 returns: the new
// process's first stop comes after the main thread let it go). The handler
// touches nothing the interrupted loop may hold: no locks, no allocation,
// no containers; wait4 and futex waits restart (SA_RESTART).

struct ExtraRequest {
  Sandbox* sb;
  int32_t vtid;
  ChildArgs ca;
  struct sock_fprog prog;
  std::atomic<int> done{0};
  int pidRead = -1;  // read end of ca.pidPipe
  pid_t pid = -1;
  int err = 0;
};

// Requests in flight: the handler serves only these (a stray signal of the
// same number carries no address we would follow).
std::atomic<ExtraRequest*> gPending[8];

void SpawnHandler(int, siginfo_t* si, void*) {
  int saved = errno;
  ExtraRequest* r = static_cast<ExtraRequest*>(si->si_value.sival_ptr);
  bool mine = false;
  for (auto& p : gPending) {
    ExtraRequest* want = r;
    if (r && p.compare_exchange_strong(want, nullptr)) {
      mine = true;
      break;
    }
  }
  if (mine) {
    ExtraSlot* slot = nullptr;
    for (ExtraSlot& e : r->sb->extraSlots) {
      int free = 0;
      if (e.state.compare_exchange_strong(free, 1)) {
        slot = &e;
        break;
      }
    }
    if (!slot) {
      r->err = EAGAIN;
    } else {
      pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
      if (pid == 0) ExtraChildMain(&r->ca);
      int err = pid < 0 ? errno : 0;
      if (pid > 0 && r->ca.joinPidNs) {
        // That child forked the process (into the pid namespace) and is done.
        while (waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
        }
        int32_t msg = -EIO;
        if (read(r->pidRead, &msg, sizeof msg) != (ssize_t)sizeof msg) msg = -EIO;
        pid = msg > 0 ? msg : -1;
        err = msg > 0 ? 0 : -msg;
      }
      if (pid < 0) {
        r->err = err;
        slot->state.store(0);
      } else if (ptrace(PTRACE_SEIZE, pid, 0, (void*)kOptions) != 0) {
        r->err = errno;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, __WALL);
        slot->state.store(0);
      } else {
        slot->pid = pid;
        slot->vtid = r->vtid;
        slot->state.store(2, std::memory_order_release);
        r->pid = pid;
      }
    }
    r->done.store(1, std::memory_order_release);
  }
  errno = saved;
}

void InstallSpawnHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = SpawnHandler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    sigaction(SpawnSignal(), &sa, nullptr);
  });
}

}  // namespace

void Sandbox::TracerMain(SpawnSpec spec) {
  // Node's handlers must not run here, but SIGCHLD must stay unblocked: the
  // kernel reports every stop and exit of a tracee to this thread with a
  // SIGCHLD, and a signal its target thread blocks is never "ignored" — it
  // would be queued to the process and wake Node's main thread out of its
  // seccomp ioctls (an ADDFD with SEND then restarts, finds the notification
  // already REPLIED and the guest returns 0 without its fd). Unblocked and at
  // SIG_DFL, the kernel drops it at once.
  sigset_t all;
  sigfillset(&all);
  sigdelset(&all, SIGCHLD);
  sigdelset(&all, SpawnSignal());  // requests to spawn into this sandbox (SpawnExtra)
  InstallSpawnHandler();
  pthread_sigmask(SIG_BLOCK, &all, nullptr);

  std::vector<char*> argv, envp;
  for (auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : spec.envp) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  struct sock_fprog prog;
  prog.len = (unsigned short)spec.filter.size();
  prog.filter = spec.filter.data();

  auto fail = [this](int stage, int err) {
    Post(Event{kEvSpawnFailed, 0, {(double)-err, (double)stage, 0, 0, 0, 0}});
    Post(Event{kEvDone, 0, {0, 0, 0, 0, 0, 0}});
  };

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return fail(0, errno);
  ChildArgs ca{spec.path.c_str(), argv.data(), envp.data(), {spec.stdio[0], spec.stdio[1], spec.stdio[2]},
               spec.loaderFd, spec.loaderSlot, sv[1], &prog, false, 0, false, -1};
  pid_t pid = -1, holder = 0;
  int lifeline[2] = {-1, -1}, report[2] = {-1, -1};
  int initErr = 0;
  if (spec.namespaces && pipe2(report, O_CLOEXEC | O_NONBLOCK) == 0 && pipe2(lifeline, O_CLOEXEC) == 0) {
    ca.emptyRoot = true;
    pid_t mid = (pid_t)syscall(SYS_clone, SIGCHLD | kNamespaces, 0, 0, 0, 0);
    if (mid == 0) IntermediateMain(&ca, report[1], lifeline[0]);
    close(report[1]);
    close(lifeline[0]);
    if (mid > 0) {
      // It reports before it exits; everyone else holding the pipe's write
      // end closes it later, so the report is read once it is reaped.
      while (waitpid(mid, nullptr, __WALL) < 0 && errno == EINTR) {
      }
      InitReport r{0, -EIO, 0};
      if (read(report[0], &r, sizeof r) != (ssize_t)sizeof r) r = InitReport{0, -EIO, 0};
      holder = r.holder > 0 ? r.holder : 0;
      if (r.init > 0) pid = r.init;
      else initErr = -r.init;
    } else {
      // Where the kernel refuses (no user namespaces, a limit reached), the
      // sandbox runs without them; the sentry reports it (Sandbox.namespaced).
      ca.emptyRoot = false;
      close(lifeline[1]);
      lifeline[1] = -1;
    }
    close(report[0]);
  } else if (report[0] >= 0) {
    close(report[0]);
    close(report[1]);
  }
  auto endHolder = [&] {
    if (holder > 0) {
      // Its end waits in the kernel until every other process of the
      // namespace is reaped: init first.
      kill(holder, SIGKILL);
      while (waitpid(holder, nullptr, __WALL) < 0 && errno == EINTR) {
      }
    }
    if (lifeline[1] >= 0) close(lifeline[1]);
  };
  if (!ca.emptyRoot && !initErr) {
    pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) ChildMain(&ca);
    if (pid < 0) initErr = errno;
  }
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    endHolder();
    return fail(0, initErr ? initErr : EIO);
  }
  close(sv[1]);

  if (ptrace(PTRACE_SEIZE, pid, 0, (void*)kOptions) != 0) {
    int e = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, __WALL);
    close(sv[0]);
    endHolder();
    return fail(7, e);
  }
  Tracer tracer(this, spec.loaderFd, spec.loaderSlot, std::move(spec.restartNoIntr));
  tracer.Adopt(pid, spec.initVtid, sv[0]);
  tracer.SetHolder(holder, lifeline[1]);
  if (ca.emptyRoot) {
    // A process exec starts later joins these namespaces: the holder's, which
    // live as long as the sandbox, or init's without a pid namespace.
    nsPidNs_.store(holder > 0);
    nsPid_.store(holder > 0 ? holder : pid);
  }
  Post(Event{kEvSpawned, pid, {ca.emptyRoot ? 1.0 : 0.0, holder > 0 ? 1.0 : 0.0, (double)holder, 0, 0, 0}});
  char go = 'g';
  if (write(sv[0], &go, 1) != 1) kill(pid, SIGKILL);
  tracerTid_.store((pid_t)syscall(SYS_gettid));
  tracer.Loop();
  {
    std::lock_guard<std::mutex> lk(mu_);
    tracerDone_ = true;
    tracerTid_.store(0);
  }
  Post(Event{kEvDone, 0, {0, 0, 0, 0, 0, 0}});
}

int Sandbox::SpawnExtra(const SpawnSpec& spec, int32_t vtid) {
  if (filter_.empty()) return -ESRCH;
  std::vector<char*> argv, envp;
  for (auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : spec.envp) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int sv[2], pp[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -errno;
  if (pipe2(pp, O_CLOEXEC | O_NONBLOCK) != 0) {
    int e = errno;
    close(sv[0]);
    close(sv[1]);
    return -e;
  }
  ExtraRequest* r = new ExtraRequest();
  r->sb = this;
  r->vtid = vtid;
  r->prog.len = (unsigned short)filter_.size();
  r->prog.filter = filter_.data();
  r->pidRead = pp[0];
  pid_t joinNs = nsPid_.load();
  r->ca = ChildArgs{spec.path.c_str(), argv.data(), envp.data(), {spec.stdio[0], spec.stdio[1], spec.stdio[2]},
                    loaderFd_, loaderSlot_, sv[1], &r->prog, false, joinNs, joinNs > 0 && nsPidNs_.load(), pp[1]};
  int slot = -1;
  for (int i = 0; i < 8 && slot < 0; i++) {
    ExtraRequest* none = nullptr;
    if (gPending[i].compare_exchange_strong(none, r)) slot = i;
  }
  int err = 0;
  if (slot < 0) {
    err = EAGAIN;
  } else {
    std::lock_guard<std::mutex> lk(mu_);
    // While we hold mu_ and the tracer has not said it is done, its thread lives.
    pid_t tid = tracerTid_.load();
    if (tracerDone_ || disposed_ || tid <= 0) {
      err = ESRCH;
    } else {
      siginfo_t si;
      memset(&si, 0, sizeof si);
      si.si_signo = SpawnSignal();
      si.si_code = SI_QUEUE;
      si.si_pid = getpid();
      si.si_uid = getuid();
      si.si_value.sival_ptr = r;
      if (syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, SpawnSignal(), &si) != 0) err = errno;
    }
  }
  if (!err) {
    // The handler runs as soon as the tracer thread is scheduled (its waits
    // are interruptible); 10 s is a bound for a stuck machine, not a delay.
    for (int i = 0; i < 100000 && !r->done.load(std::memory_order_acquire); i++) usleep(100);
  }
  if (slot >= 0) {
    ExtraRequest* mine = r;
    if (gPending[slot].compare_exchange_strong(mine, nullptr) && !err) err = ETIMEDOUT;  // never served
    else if (!err) while (!r->done.load(std::memory_order_acquire)) usleep(100);       // served: it finishes
  }
  close(sv[1]);
  close(pp[0]);
  close(pp[1]);
  if (!err && r->pid < 0) err = r->err ? r->err : EIO;
  pid_t pid = r->pid;
  delete r;
  if (err) {
    close(sv[0]);
    return -err;
  }
  extraSocks_[pid] = sv[0];
  return pid;
}

int Sandbox::StartExtra(pid_t pid, bool go) {
  auto it = extraSocks_.find(pid);
  if (it == extraSocks_.end()) return -ESRCH;
  int fd = it->second;
  extraSocks_.erase(it);
  char g = 'g';
  int r = 0;
  if (!go || write(fd, &g, 1) != 1) {
    r = go ? -errno : 0;
    kill(pid, SIGKILL);
  }
  close(fd);
  return r;
}

}  // namespace tsv
