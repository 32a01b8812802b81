// Host operations the OCI runtime (src/oci) needs and Node lacks: unix
// sockets that carry file descriptors (SCM_RIGHTS: runc's --console-socket,
// the stdio of `exec` handed to a container's sentry) and a readiness watch
// on any fd (a uv_poll), so a sentry serves its control socket from its event
// loop without blocking the guest's traps. Kept in its own file (and its own
// Register function) so it merges independently of ops.cc.
//
// Every function returns a number: the result, or -errno.
#include <errno.h>
#include <fcntl.h>
#include <napi.h>
#include <string.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

#include <string>
#include <vector>

#include "ops.h"

namespace tsv {

namespace {

constexpr int kMaxFds = 16;

inline int32_t I32(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
inline Napi::Number Num(const Napi::CallbackInfo& info, double v) { return Napi::Number::New(info.Env(), v); }

std::string Str(const Napi::Value& v) {
  napi_env env = v.Env();
  size_t len = 0;
  napi_get_value_string_latin1(env, v, nullptr, 0, &len);
  std::string s(len, '\0');
  napi_get_value_string_latin1(env, v, s.data(), len + 1, &len);
  return s;
}

// Fills a sockaddr_un; false when the path does not fit (ENAMETOOLONG).
bool Addr(const std::string& path, struct sockaddr_un* a) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof a->sun_path) return false;
  memcpy(a->sun_path, path.data(), path.size());
  return true;
}

// unixListen(path, backlog) -> listening SOCK_STREAM fd (close-on-exec, non-blocking) | -errno.
// The caller makes the path's directory private (the socket inherits nothing safer).
Napi::Value UnixListen(const Napi::CallbackInfo& info) {
  struct sockaddr_un a;
  if (!Addr(Str(info[0]), &a)) return Num(info, -ENAMETOOLONG);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Num(info, -errno);
  if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0 || listen(fd, I32(info, 1)) != 0) {
    int e = errno;
    close(fd);
    return Num(info, -e);
  }
  return Num(info, fd);
}

// unixConnect(path) -> connected SOCK_STREAM fd (close-on-exec, blocking) | -errno
Napi::Value UnixConnect(const Napi::CallbackInfo& info) {
  struct sockaddr_un a;
  if (!Addr(Str(info[0]), &a)) return Num(info, -ENAMETOOLONG);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Num(info, -errno);
  while (connect(fd, (struct sockaddr*)&a, sizeof a) != 0) {
    if (errno == EINTR) continue;
    int e = errno;
    close(fd);
    return Num(info, -e);
  }
  return Num(info, fd);
}

// accept(fd) -> connection fd (close-on-exec, non-blocking) | -errno (EAGAIN: none pending)
Napi::Value Accept(const Napi::CallbackInfo& info) {
  int r = accept4(I32(info, 0), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  return Num(info, r < 0 ? -errno : r);
}

// sendFds(fd, data: Uint8Array, fds: number[]) -> bytes sent | -errno.
// The fds travel with the first byte (SCM_RIGHTS); never raises SIGPIPE.
Napi::Value SendFds(const Napi::CallbackInfo& info) {
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  Napi::Array list = info[2].As<Napi::Array>();
  uint32_t n = list.Length();
  if (n > kMaxFds || data.ByteLength() == 0) return Num(info, -EINVAL);
  struct iovec iov = {data.Data(), data.ByteLength()};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char ctl[CMSG_SPACE(sizeof(int) * kMaxFds)];
  if (n) {
    memset(ctl, 0, sizeof ctl);
    msg.msg_control = ctl;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    int* fds = reinterpret_cast<int*>(CMSG_DATA(c));
    for (uint32_t i = 0; i < n; i++) fds[i] = list.Get(i).As<Napi::Number>().Int32Value();
  }
  ssize_t r;
  do r = sendmsg(I32(info, 0), &msg, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  return Num(info, r < 0 ? -errno : (double)r);
}

// recvFds(fd, buf: Uint8Array, wait: boolean) -> [bytes, fds[]] | -errno.
// Received fds are close-on-exec; `wait` false: MSG_DONTWAIT (EAGAIN when empty).
Napi::Value RecvFds(const Napi::CallbackInfo& info) {
  Napi::Uint8Array buf = info[1].As<Napi::Uint8Array>();
  bool wait = info.Length() > 2 && info[2].ToBoolean().Value();
  struct iovec iov = {buf.Data(), buf.ByteLength()};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char ctl[CMSG_SPACE(sizeof(int) * kMaxFds)];
  msg.msg_control = ctl;
  msg.msg_controllen = sizeof ctl;
  ssize_t r;
  do r = recvmsg(I32(info, 0), &msg, MSG_CMSG_CLOEXEC | (wait ? 0 : MSG_DONTWAIT));
  while (r < 0 && errno == EINTR);
  if (r < 0) return Num(info, -errno);
  Napi::Array fds = Napi::Array::New(info.Env());
  uint32_t k = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const int* p = reinterpret_cast<const int*>(CMSG_DATA(c));
    for (size_t i = 0; i < cnt; i++) fds.Set(k++, Num(info, p[i]));
  }
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Num(info, (double)r));
  out.Set(1u, fds);
  return out;
}

// ---- fd watches ----

// One uv_poll on an fd the caller owns; the callback gets (readable, hangup).
// It holds the event loop open until unwatched.
struct Watch {
  uv_poll_t poll;
  napi_env env;
  napi_ref cb = nullptr;
  bool closed = false;
};

void OnWatch(uv_poll_t* h, int status, int events) {
  Watch* w = static_cast<Watch*>(h->data);
  if (w->closed || !w->cb) return;
  napi_env env = w->env;
  napi_handle_scope hs;
  napi_open_handle_scope(env, &hs);
  napi_value fn, undef, argv[2], result;
  napi_get_reference_value(env, w->cb, &fn);
  napi_get_global(env, &undef);  // napi_make_callback wants an object as receiver
  napi_get_boolean(env, status == 0 && (events & UV_READABLE), &argv[0]);
  napi_get_boolean(env, status < 0 || (events & UV_DISCONNECT), &argv[1]);
  // MakeCallback semantics (microtasks run, exceptions reach the process's handlers).
  napi_value resource;
  napi_create_object(env, &resource);
  napi_async_context ctx;
  napi_value name;
  napi_create_string_utf8(env, "tsvisor-watch", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &ctx);
  napi_make_callback(env, ctx, undef, fn, 2, argv, &result);
  napi_async_destroy(env, ctx);
  napi_close_handle_scope(env, hs);
}

// watchFd(fd, cb(readable, hangup)) -> handle. uv puts the fd in O_NONBLOCK.
Napi::Value WatchFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  Watch* w = new Watch();
  w->env = env;
  if (uv_poll_init(loop, &w->poll, I32(info, 0)) != 0) {
    delete w;
    return Num(info, -EBADF);
  }
  w->poll.data = w;
  napi_create_reference(env, info[1], 1, &w->cb);
  uv_poll_start(&w->poll, UV_READABLE | UV_DISCONNECT, OnWatch);
  // The JS handle outlives the watch: it points to a slot that unwatchFd clears.
  return Napi::External<Watch*>::New(env, new Watch*(w), [](Napi::Env, Watch** slot) { delete slot; });
}

// unwatchFd(handle): stops the watch (the fd stays open); idempotent.
Napi::Value UnwatchFd(const Napi::CallbackInfo& info) {
  Watch** slot = info[0].As<Napi::External<Watch*>>().Data();
  Watch* w = *slot;
  *slot = nullptr;
  if (w && !w->closed) {
    w->closed = true;
    uv_poll_stop(&w->poll);
    if (w->cb) napi_delete_reference(w->env, w->cb), w->cb = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), [](uv_handle_t* h) { delete static_cast<Watch*>(h->data); });
  }
  return info.Env().Undefined();
}

// unshareNetwork() -> 0 | -errno. Moves the calling (main) thread, and the
// threads it starts from now on, into a new, empty network namespace. Linux
// allows it in a multi-threaded process (a network namespace is per thread);
// /proc/PID/ns/net names the main thread's, which is what OCI clients and
// their hooks open from the pid they are given.
Napi::Value UnshareNetwork(const Napi::CallbackInfo& info) {
  return Num(info, unshare(CLONE_NEWNET) == 0 ? 0 : -errno);
}

}  // namespace

void RegisterOciOps(Napi::Env env, Napi::Object exports) {
  exports.Set("unixListen", Napi::Function::New(env, UnixListen, "unixListen"));
  exports.Set("unixConnect", Napi::Function::New(env, UnixConnect, "unixConnect"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("sendFds", Napi::Function::New(env, SendFds, "sendFds"));
  exports.Set("recvFds", Napi::Function::New(env, RecvFds, "recvFds"));
  exports.Set("watchFd", Napi::Function::New(env, WatchFd, "watchFd"));
  exports.Set("unwatchFd", Napi::Function::New(env, UnwatchFd, "unwatchFd"));
  exports.Set("unshareNetwork", Napi::Function::New(env, UnshareNetwork, "unshareNetwork"));
}

}  // namespace tsv
