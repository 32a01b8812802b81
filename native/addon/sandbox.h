// One sandbox's platform state: the seccomp listener serviced on the Node main
// thread, and the tracer thread that owns every ptrace call for its tasks.
#pragma once
#include <node_api.h>
#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/types.h>

namespace tsv {

// Events from the tracer thread to JavaScript. Values are mirrored in
// src/platform/events.ts.
enum EventType : int32_t {
  kEvListener = 1,     // tid = task that installed it, a0 = listener fd, a1 = 1 for a process spawned later (SpawnExtra)
  kEvSpawned = 2,      // tid = host pid of init, a0 = 1 in namespaces of its own, a1 = 1 with a pid namespace, a2 = its holder's host pid
  kEvSpawnFailed = 3,  // a0 = -errno, a1 = stage
  kEvNewTask = 4,      // tid = parent, a0 = child host tid, a1 = vtid, a2 = clone flags (lo), a3 = flags (hi)
  kEvCloneFailed = 5,  // tid = parent, a0 = vtid, a1 = -errno
  kEvExec = 6,         // tid = new tid (the leader), a0 = former tid
  kEvExit = 7,         // tid, a0 = raw wait status, a1 = utime us, a2 = stime us, a3 = maxrss KiB
  kEvStopped = 8,      // tid, a0 = stop signal (group-stop)
  kEvContinued = 9,    // tid
  kEvKilled = 10,      // tid, a0 = reason (1: exec of something other than the loader)
  kEvDone = 11,        // no task left; the tracer thread has ended
  kEvCloseRange = 12,  // tid, a0 = first, a1 = last (as the guest asked), a2 = flags; the host call succeeded
  kEvAskClone = 100,   // tid, a0 = flags lo, a1 = flags hi, a2 = kind (0 clone, 1 fork, 2 vfork), a3 = ptid, a4 = ctid
  kEvAskExec = 101,    // tid, a0 = kind (0 execve, 1 execveat), a1 = dirfd, a2 = path, a3 = argv, a4 = envp, a5 = flags
};

struct Event {
  int32_t type;
  int32_t tid;
  double a[6];
};

struct SpawnSpec {
  std::string path;
  std::vector<std::string> argv, envp;
  int stdio[3] = {0, 1, 2};
  int loaderFd = -1;    // O_PATH fd of the loader binary, owned by JS
  int loaderSlot = -1;  // fd number the loader occupies in every guest
  int32_t initVtid = 1;
  std::vector<struct sock_filter> filter;
  std::vector<uint8_t> restartNoIntr;  // bit per syscall nr (src/platform/policy.ts)
  bool namespaces = true;              // init in namespaces of its own with an empty root, where allowed
};

// A process spawned into a running sandbox (OCI exec) reports itself to the
// tracer loop through this mailbox: the tracer thread's signal handler that
// created it fills a slot, the loop adopts it before its next ptrace event.
struct ExtraSlot {
  std::atomic<int> state{0};  // 0 free, 1 claimed by the handler, 2 ready for the loop
  pid_t pid = 0;
  int32_t vtid = 0;
};
constexpr int kExtraSlots = 16;

class Sandbox {
 public:
  Sandbox(napi_env env, napi_value trapBuf, napi_value onTrap, napi_value onEvent);
  ~Sandbox();

  // JS side (main thread).
  int Spawn(SpawnSpec spec);
  void Answer(const double* v, int n);
  void Dispose();  // releases handles; safe to call more than once
  int32_t* trapBuf() { return trapBuf_; }

  // Starts another process in the running sandbox (stdio, path, argv, envp of
  // `spec`; filter and loader as init's). It is held before its filter until
  // StartExtra; returns its host pid or -errno. See tracer.cc.
  int SpawnExtra(const SpawnSpec& spec, int32_t vtid);
  // Lets a held process go on (go) or kills it.
  int StartExtra(pid_t pid, bool go);
  ExtraSlot extraSlots[kExtraSlots];

  // Tracer side.
  void Post(const Event& ev);
  void Ask(const Event& ev, double* out, int n);

 private:
  static void OnAsync(uv_async_t* h);
  static void OnPoll(uv_poll_t* h, int status, int events);
  void DrainEvents();
  void DispatchEvent(const Event& ev);
  bool HandleOneTrap(int lfd);
  void SendResult(int lfd, const struct seccomp_notif& req, double v);
  void StartPolling(int lfd);
  void StartExtraPolling(int lfd);
  static void OnExtraPoll(uv_poll_t* h, int status, int events);
  void StopPolling();
  void Finish();

  void TracerMain(SpawnSpec spec);

  napi_env env_;
  napi_ref trapBufRef_ = nullptr, onTrap_ = nullptr, onEvent_ = nullptr, resource_ = nullptr;
  napi_async_context actx_ = nullptr;
  int32_t* trapBuf_ = nullptr;

  uv_async_t async_;
  uv_poll_t poll_;
  bool asyncOpen_ = false, pollOpen_ = false, pollActive_ = false;
  int lfd_ = -1;
  bool inCallback_ = false;

  // Listeners of processes spawned later (each installs its own filter).
  struct ExtraListener {
    uv_poll_t poll;
    Sandbox* sb;
    int lfd;
    bool active;
  };
  std::vector<ExtraListener*> extraListeners_;
  void CloseExtraListener(ExtraListener* l);
  // What every spawned process shares with init (kept from Spawn).
  std::vector<struct sock_filter> filter_;
  int loaderFd_ = -1, loaderSlot_ = -1;
  std::atomic<pid_t> tracerTid_{0};
  std::atomic<pid_t> nsPid_{0};  // the holder or init, when they got namespaces of their own (exec joins them)
  std::atomic<bool> nsPidNs_{false};  // ... and a pid namespace
  std::unordered_map<pid_t, int> extraSocks_;  // held processes: our end of their start socket

  std::thread tracer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> queue_;
  std::atomic<int> queued_{0};
  bool askOpen_ = false, askDone_ = false, disposed_ = false, tracerDone_ = false;
  double askVal_[4] = {0, 0, 0, 0};
};

}  // namespace tsv
