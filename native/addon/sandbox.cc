// Main-thread half of a sandbox: the seccomp listener polled by libuv and the
// event queue fed by the tracer thread. Traps are answered synchronously from
// the uv_poll callback; events (forks, execs, exits, and the tracer's
// questions) are dispatched in order, always before the next trap, so a
// notification from a new task never overtakes the event that announced it.
#include "sandbox.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>

#include "trap_abi.h"

namespace tsv {

namespace {
constexpr int kDrainMax = 1024;         // traps per uv wake-up before we let timers run
constexpr uint64_t kDrainNs = 2000000;  // and at most this long

void LogJsError(napi_env env, const char* where) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) return;
  napi_value ex;
  napi_get_and_clear_last_exception(env, &ex);
  napi_value str;
  char buf[512] = "";
  size_t len = 0;
  if (napi_coerce_to_string(env, ex, &str) == napi_ok) napi_get_value_string_utf8(env, str, buf, sizeof buf, &len);
  fprintf(stderr, "tsvisor: internal error in %s: %s\n", where, buf);
}
}  // namespace

Sandbox::Sandbox(napi_env env, napi_value trapBuf, napi_value onTrap, napi_value onEvent) : env_(env) {
  napi_create_reference(env, trapBuf, 1, &trapBufRef_);
  napi_create_reference(env, onTrap, 1, &onTrap_);
  napi_create_reference(env, onEvent, 1, &onEvent_);
  napi_typedarray_type type;
  size_t length, offset;
  void* data;
  napi_value ab;
  napi_get_typedarray_info(env, trapBuf, &type, &length, &data, &ab, &offset);
  trapBuf_ = static_cast<int32_t*>(data);
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_reference(env, resource, 1, &resource_);
  napi_create_string_utf8(env, "tsvisor-sandbox", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &actx_);
}

Sandbox::~Sandbox() {
  Dispose();
  if (tracer_.joinable()) tracer_.detach();  // only when JS dropped a running sandbox
}

void Sandbox::Dispose() {
  if (disposed_) return;
  {
    std::lock_guard<std::mutex> lk(mu_);
    disposed_ = true;
    askDone_ = true;
  }
  cv_.notify_all();
  if (actx_) napi_async_destroy(env_, actx_), actx_ = nullptr;
  for (napi_ref* r : {&trapBufRef_, &onTrap_, &onEvent_, &resource_})
    if (*r) napi_delete_reference(env_, *r), *r = nullptr;
}

int Sandbox::Spawn(SpawnSpec spec) {
  filter_ = spec.filter;
  loaderFd_ = spec.loaderFd;
  loaderSlot_ = spec.loaderSlot;
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env_, &loop);
  int r = uv_async_init(loop, &async_, OnAsync);
  if (r) return r;
  async_.data = this;
  asyncOpen_ = true;
  tracer_ = std::thread([this, spec = std::move(spec)]() mutable { TracerMain(std::move(spec)); });
  return 0;
}

void Sandbox::Post(const Event& ev) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    queue_.push_back(ev);
    queued_.fetch_add(1, std::memory_order_release);
  }
  uv_async_send(&async_);
}

void Sandbox::Ask(const Event& ev, double* out, int n) {
  std::unique_lock<std::mutex> lk(mu_);
  if (disposed_) {
    out[0] = -EIO;
    return;
  }
  askDone_ = false;
  queue_.push_back(ev);
  queued_.fetch_add(1, std::memory_order_release);
  lk.unlock();
  uv_async_send(&async_);
  lk.lock();
  cv_.wait(lk, [this] { return askDone_ || disposed_; });
  if (!askDone_ || disposed_) {
    out[0] = -EIO;
    return;
  }
  for (int i = 0; i < n && i < 4; i++) out[i] = askVal_[i];
}

void Sandbox::Answer(const double* v, int n) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!askOpen_) return;
    for (int i = 0; i < 4; i++) askVal_[i] = i < n ? v[i] : 0;
    askOpen_ = false;
    askDone_ = true;
  }
  cv_.notify_all();
}

void Sandbox::OnAsync(uv_async_t* h) {
  Sandbox* s = static_cast<Sandbox*>(h->data);
  if (s->disposed_) return;
  napi_handle_scope hs;
  napi_open_handle_scope(s->env_, &hs);
  napi_value res;
  napi_get_reference_value(s->env_, s->resource_, &res);
  napi_callback_scope cs;
  napi_open_callback_scope(s->env_, res, s->actx_, &cs);
  s->DrainEvents();
  napi_close_callback_scope(s->env_, cs);
  napi_close_handle_scope(s->env_, hs);
}

void Sandbox::DrainEvents() {
  for (;;) {
    Event ev;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (queue_.empty()) return;
      ev = queue_.front();
      queue_.pop_front();
      queued_.fetch_sub(1, std::memory_order_acq_rel);
      if (ev.type >= kEvAskClone) askOpen_ = true;
    }
    if (ev.type == kEvListener) {
      if (ev.a[1] != 0) StartExtraPolling((int)ev.a[0]);
      else StartPolling((int)ev.a[0]);
    }
    if (ev.type == kEvDone) Finish();
    DispatchEvent(ev);
    if (ev.type >= kEvAskClone) {
      double dflt = -EIO;
      Answer(&dflt, 1);  // no-op when JS answered
    }
    if (disposed_) return;
  }
}

void Sandbox::DispatchEvent(const Event& ev) {
  if (!onEvent_) return;
  napi_env env = env_;
  napi_handle_scope hs;
  napi_open_handle_scope(env, &hs);
  napi_value fn, undef, argv[8];
  napi_get_reference_value(env, onEvent_, &fn);
  napi_get_undefined(env, &undef);
  napi_create_int32(env, ev.type, &argv[0]);
  napi_create_int32(env, ev.tid, &argv[1]);
  for (int i = 0; i < 6; i++) napi_create_double(env, ev.a[i], &argv[2 + i]);
  napi_value result;
  if (napi_call_function(env, undef, fn, 8, argv, &result) != napi_ok) LogJsError(env, "event handler");
  napi_close_handle_scope(env, hs);
}

void Sandbox::StartPolling(int lfd) {
  lfd_ = lfd;
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env_, &loop);
  // uv_poll_init puts the fd in O_NONBLOCK; RECV ignores that flag (kernel
  // 6.18), so we only ever RECV after poll() said POLLIN.
  if (uv_poll_init(loop, &poll_, lfd) != 0) {
    fprintf(stderr, "tsvisor: cannot poll the seccomp listener\n");
    return;
  }
  poll_.data = this;
  pollOpen_ = true;
  pollActive_ = true;
  uv_poll_start(&poll_, UV_READABLE | UV_DISCONNECT, OnPoll);
}

void Sandbox::StopPolling() {
  if (pollActive_) uv_poll_stop(&poll_), pollActive_ = false;
}

// A process spawned later has a filter, and so a listener, of its own: the
// same service as the first one, from another uv_poll.
void Sandbox::StartExtraPolling(int lfd) {
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env_, &loop);
  ExtraListener* l = new ExtraListener();
  l->sb = this;
  l->lfd = lfd;
  if (uv_poll_init(loop, &l->poll, lfd) != 0) {
    fprintf(stderr, "tsvisor: cannot poll a seccomp listener\n");
    close(lfd);
    delete l;
    return;
  }
  l->poll.data = l;
  l->active = true;
  extraListeners_.push_back(l);
  uv_poll_start(&l->poll, UV_READABLE | UV_DISCONNECT, OnExtraPoll);
}

void Sandbox::CloseExtraListener(ExtraListener* l) {
  if (l->active) uv_poll_stop(&l->poll), l->active = false;
  for (auto it = extraListeners_.begin(); it != extraListeners_.end(); ++it)
    if (*it == l) {
      extraListeners_.erase(it);
      break;
    }
  close(l->lfd);
  uv_close(reinterpret_cast<uv_handle_t*>(&l->poll), [](uv_handle_t* h) { delete static_cast<ExtraListener*>(h->data); });
}

void Sandbox::OnExtraPoll(uv_poll_t* h, int status, int events) {
  ExtraListener* l = static_cast<ExtraListener*>(h->data);
  Sandbox* s = l->sb;
  if (s->disposed_) return;
  if (status < 0 || (events & UV_DISCONNECT)) {
    // Every process of this filter is gone (a dying task's notification
    // is void): the listener goes.
    s->CloseExtraListener(l);
    return;
  }
  napi_env env = s->env_;
  napi_handle_scope hs;
  napi_open_handle_scope(env, &hs);
  napi_value res;
  napi_get_reference_value(env, s->resource_, &res);
  napi_callback_scope cs;
  napi_open_callback_scope(env, res, s->actx_, &cs);
  uint64_t t0 = uv_hrtime();
  int lfd = l->lfd;
  for (int n = 0; n < kDrainMax && !s->disposed_; n++) {
    if (s->queued_.load(std::memory_order_acquire)) s->DrainEvents();
    if (!s->HandleOneTrap(lfd)) break;
    struct pollfd p = {lfd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) break;
    if ((n & 63) == 63 && uv_hrtime() - t0 > kDrainNs) break;
  }
  napi_close_callback_scope(env, cs);
  napi_close_handle_scope(env, hs);
}

void Sandbox::Finish() {
  if (tracer_.joinable()) tracer_.join();
  while (!extraListeners_.empty()) CloseExtraListener(extraListeners_.back());
  for (auto& [pid, fd] : extraSocks_) close(fd);
  extraSocks_.clear();
  StopPolling();
  if (pollOpen_) uv_close(reinterpret_cast<uv_handle_t*>(&poll_), nullptr), pollOpen_ = false;
  if (asyncOpen_) uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr), asyncOpen_ = false;
  if (lfd_ >= 0) close(lfd_), lfd_ = -1;
}

void Sandbox::OnPoll(uv_poll_t* h, int status, int events) {
  Sandbox* s = static_cast<Sandbox*>(h->data);
  if (s->disposed_) return;
  if (status < 0 || (events & UV_DISCONNECT)) {
    // POLLHUP: no task uses the filter any more. Events still come via async.
    s->StopPolling();
    return;
  }
  napi_env env = s->env_;
  napi_handle_scope hs;
  napi_open_handle_scope(env, &hs);
  napi_value res;
  napi_get_reference_value(env, s->resource_, &res);
  napi_callback_scope cs;
  napi_open_callback_scope(env, res, s->actx_, &cs);
  uint64_t t0 = uv_hrtime();
  for (int n = 0; n < kDrainMax && !s->disposed_; n++) {
    if (s->queued_.load(std::memory_order_acquire)) s->DrainEvents();
    if (s->lfd_ < 0 || !s->HandleOneTrap(s->lfd_)) break;
    struct pollfd p = {s->lfd_, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) break;
    if ((n & 63) == 63 && uv_hrtime() - t0 > kDrainNs) break;
  }
  napi_close_callback_scope(env, cs);
  napi_close_handle_scope(env, hs);
}

bool Sandbox::HandleOneTrap(int lfd) {
  struct seccomp_notif req;
  for (;;) {
    memset(&req, 0, sizeof req);  // RECV insists on a zeroed buffer
    if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) break;
    if (errno == EINTR) continue;
    return false;  // ENOENT: the task went away between poll and RECV
  }
  // An event posted before the trapping task ran (the clone that made it or
  // its parent's fork) may have arrived between the check in OnPoll and this
  // RECV: dispatch it first, or the trap would see the sentry's state from
  // before the event (a forked child's fd table copied after its parent's
  // later close/dup2).
  if (queued_.load(std::memory_order_acquire)) DrainEvents();
  if (disposed_) return false;
  int32_t* b = trapBuf_;
  b[kTrapTid] = (int32_t)req.pid;
  b[kTrapNr] = req.data.nr;
  for (int i = 0; i < 6; i++) {
    b[kTrapArgs + 2 * i] = (int32_t)(uint32_t)req.data.args[i];
    b[kTrapArgs + 2 * i + 1] = (int32_t)(uint32_t)(req.data.args[i] >> 32);
  }
  b[kTrapIdLo] = (int32_t)(uint32_t)req.id;
  b[kTrapIdHi] = (int32_t)(uint32_t)(req.id >> 32);
  b[kTrapArch] = (int32_t)req.data.arch;
  b[kTrapIpLo] = (int32_t)(uint32_t)req.data.instruction_pointer;
  b[kTrapIpHi] = (int32_t)(uint32_t)(req.data.instruction_pointer >> 32);
  b[kTrapLfd] = lfd;

  napi_env env = env_;
  napi_value fn, undef, result;
  napi_get_reference_value(env, onTrap_, &fn);
  napi_get_undefined(env, &undef);
  double v = -EIO;
  if (napi_call_function(env, undef, fn, 0, nullptr, &result) != napi_ok ||
      napi_get_value_double(env, result, &v) != napi_ok) {
    LogJsError(env, "trap handler");
    v = -EIO;
  }
  if (v == kTrapDefer || v == kTrapReplied) return true;
  SendResult(lfd, req, v);
  return true;
}

void Sandbox::SendResult(int lfd, const struct seccomp_notif& req, double v) {
  struct seccomp_notif_resp resp;
  memset(&resp, 0, sizeof resp);
  resp.id = req.id;
  if (v == kTrapContinue) {
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  } else if (v < 0 && v >= -4095) {
    resp.error = (int32_t)v;
  } else if (v != v) {
    resp.error = -EIO;
  } else {
    resp.val = (int64_t)v;
  }
  // Guests wait killably once their call is received (tracer.cc), so only a
  // fatal signal can end the wait: ENOENT here means the task is dying.
  ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

}  // namespace tsv
