// The tracer thread: it forks the sandbox's init task, owns every ptrace call
// for the sandbox, and asks JavaScript only where a decision is needed (may
// this task clone, and with which virtual tid; may it exec, and is the image
// ready). Everything else — clone flag rewriting, virtual tids written back
// into registers and memory, signal re-injection, group-stops — it does alone.
//
// Every guest process is made a host child of this thread (CLONE_PARENT is
// added to each fork), so waitpid(__WALL | __WNOTHREAD) here sees and reaps
// them all, and never touches children of Node's other threads.
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

#include <unordered_map>
#include <unordered_set>

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
};

// Defence in depth (docs/security.md): init is cloned into new user, mount,
// ipc, uts and net namespaces, without an id mapping (its host ids stay what
// they were, and it holds capabilities only over these new namespaces, which
// own nothing on the host), and its root becomes an empty, read-only tmpfs.
// Guests never name host files (every path is the sentry's, every file an fd
// the sentry installed, exec runs the loader by fd), so none of this changes
// what they see; a call that slipped past the filter finds no files, no host
// network, no host SysV IPC and no host privilege. No pid namespace: its init
// may not CLONE_PARENT, which the tracer needs (every guest a child of it).
constexpr uint64_t kNamespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET;

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
  }
  void Loop();

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
  bool TakeListener(pid_t pid);
};

bool Tracer::TakeListener(pid_t pid) {
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
    Post(kEvSpawnFailed, pid, -err, 8);
    kill(pid, SIGKILL);
    return false;
  }
  int cloexec = fcntl(lfd, F_GETFD);
  fcntl(lfd, F_SETFD, cloexec | FD_CLOEXEC);
  // Wake the guest on our CPU when we answer (kernel >= 6.6); without it
  // every trap costs two cross-CPU wake-ups. Older kernels: plain behaviour.
  ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
  Post(kEvListener, pid, lfd);
  haveListener_ = true;
  if (initSock_ >= 0) close(initSock_), initSock_ = -1;
  return true;
}

void Tracer::Loop() {
  for (;;) {
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, __WALL | __WNOTHREAD, &ru);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: every task is gone
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
  if (!haveListener_ && pid == init_ && !TakeListener(pid)) return;
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
  if (early_.erase(child)) {
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
  if (early_.empty()) return;
  for (auto& [pid, t] : tasks_)
    if (t.phase == Traced::kInClone && t.child == 0) return;
  for (pid_t orphan : early_) kill(orphan, SIGKILL);
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
  Post(kEvExit, pid, status, ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec, ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec,
       (double)ru.ru_maxrss);
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
               spec.loaderFd, spec.loaderSlot, sv[1], &prog, false};
  pid_t pid = -1;
  if (spec.namespaces) {
    ca.emptyRoot = true;
    pid = (pid_t)syscall(SYS_clone, SIGCHLD | kNamespaces, 0, 0, 0, 0);
    if (pid == 0) ChildMain(&ca);
    // Where the kernel refuses (no user namespaces, a limit reached), the
    // sandbox runs without them; the sentry reports it (Sandbox.namespaced).
    if (pid < 0) ca.emptyRoot = false;
  }
  if (pid < 0) pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) {
    int e = errno;
    close(sv[0]);
    close(sv[1]);
    return fail(0, e);
  }
  if (pid == 0) ChildMain(&ca);
  close(sv[1]);

  if (ptrace(PTRACE_SEIZE, pid, 0, (void*)kOptions) != 0) {
    int e = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, __WALL);
    close(sv[0]);
    return fail(7, e);
  }
  Tracer tracer(this, spec.loaderFd, spec.loaderSlot, std::move(spec.restartNoIntr));
  tracer.Adopt(pid, spec.initVtid, sv[0]);
  Post(Event{kEvSpawned, pid, {ca.emptyRoot ? 1.0 : 0.0, 0, 0, 0, 0, 0}});
  char go = 'g';
  if (write(sv[0], &go, 1) != 1) kill(pid, SIGKILL);
  tracer.Loop();
  {
    std::lock_guard<std::mutex> lk(mu_);
    tracerDone_ = true;
  }
  Post(Event{kEvDone, 0, {0, 0, 0, 0, 0, 0}});
}

}  // namespace tsv
