// Socket primitives for the sentry's network layer (src/net): the host
// sockets that carry a guest's bytes are made, named, connected and read here.
// Every function returns a number (result or -errno) and never blocks: the
// sentry passes MSG_DONTWAIT / non-blocking flags, and waits for readiness
// through the watcher below instead.
//
// The watcher: one epoll instance per process, watched by a uv_poll on Node's
// loop. A socket the guest shares with the sentry cannot be given to uv_poll
// itself (uv_poll_init sets O_NONBLOCK on the open file description, which is
// the guest's too), but it can be registered in an epoll set, whose own fd is
// the one uv_poll sees. Registrations are one-shot: the sentry re-arms when it
// still waits.
#include <errno.h>
#include <fcntl.h>
#include <napi.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

#include <vector>

#include <linux/kcmp.h>

#include "net.h"

namespace tsv {

namespace {

inline int32_t I32(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
inline Napi::Number Num(const Napi::CallbackInfo& info, double v) { return Napi::Number::New(info.Env(), v); }
inline Napi::Number Ret(const Napi::CallbackInfo& info, long r) { return Num(info, r < 0 ? -errno : (double)r); }

uint8_t* Bytes(const Napi::Value& v, size_t* len) {
  Napi::Uint8Array a = v.As<Napi::Uint8Array>();
  *len = a.ByteLength();
  return a.Data();
}

Napi::Value Socket(const Napi::CallbackInfo& info) { return Ret(info, socket(I32(info, 0), I32(info, 1), I32(info, 2))); }

Napi::Value Socketpair(const Napi::CallbackInfo& info) {
  int fds[2];
  if (socketpair(I32(info, 0), I32(info, 1), I32(info, 2), fds) != 0) return Num(info, -errno);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Num(info, fds[0]));
  a.Set(1u, Num(info, fds[1]));
  return a;
}

// bind(fd, sockaddr bytes) / connect(fd, sockaddr bytes)
Napi::Value Bind(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[1], &len);
  return Ret(info, bind(I32(info, 0), (struct sockaddr*)p, (socklen_t)len));
}

Napi::Value Connect(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[1], &len);
  int r;
  do r = connect(I32(info, 0), (struct sockaddr*)p, (socklen_t)len);
  while (r < 0 && errno == EINTR);
  return Ret(info, r);
}

Napi::Value Listen(const Napi::CallbackInfo& info) { return Ret(info, listen(I32(info, 0), I32(info, 1))); }

Napi::Value Accept4(const Napi::CallbackInfo& info) {
  int r;
  do r = accept4(I32(info, 0), nullptr, nullptr, I32(info, 1));
  while (r < 0 && errno == EINTR);
  return Ret(info, r);
}

Napi::Value Shutdown(const Napi::CallbackInfo& info) { return Ret(info, shutdown(I32(info, 0), I32(info, 1))); }

// getsockname(fd, u8) / getpeername(fd, u8) -> address length | -errno
Napi::Value Getsockname(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[1], &len);
  socklen_t l = (socklen_t)len;
  if (getsockname(I32(info, 0), (struct sockaddr*)p, &l) != 0) return Num(info, -errno);
  return Num(info, l);
}

Napi::Value Getpeername(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[1], &len);
  socklen_t l = (socklen_t)len;
  if (getpeername(I32(info, 0), (struct sockaddr*)p, &l) != 0) return Num(info, -errno);
  return Num(info, l);
}

// getsockopt(fd, level, name, u8) -> option length | -errno
Napi::Value Getsockopt(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[3], &len);
  socklen_t l = (socklen_t)len;
  if (getsockopt(I32(info, 0), I32(info, 1), I32(info, 2), p, &l) != 0) return Num(info, -errno);
  return Num(info, l);
}

Napi::Value Setsockopt(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[3], &len);
  return Ret(info, setsockopt(I32(info, 0), I32(info, 1), I32(info, 2), p, (socklen_t)len));
}

// sendmsg(fd, data u8, addr u8 | null, fds Int32Array | null, flags) -> bytes | -errno
Napi::Value Sendmsg(const Napi::CallbackInfo& info) {
  size_t dlen;
  uint8_t* d = Bytes(info[1], &dlen);
  struct iovec iov = {d, dlen};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  if (!info[2].IsNull() && !info[2].IsUndefined()) {
    size_t alen;
    m.msg_name = Bytes(info[2], &alen);
    m.msg_namelen = (socklen_t)alen;
  }
  std::vector<char> ctl;
  if (!info[3].IsNull() && !info[3].IsUndefined()) {
    Napi::Int32Array fds = info[3].As<Napi::Int32Array>();
    size_t n = fds.ElementLength();
    if (n > 0) {
      ctl.assign(CMSG_SPACE(n * sizeof(int)), 0);
      m.msg_control = ctl.data();
      m.msg_controllen = ctl.size();
      struct cmsghdr* c = CMSG_FIRSTHDR(&m);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(n * sizeof(int));
      memcpy(CMSG_DATA(c), fds.Data(), n * sizeof(int));
    }
  }
  ssize_t r;
  do r = sendmsg(I32(info, 0), &m, I32(info, 4));
  while (r < 0 && errno == EINTR);
  return Ret(info, r);
}

// recvmsg(fd, buf u8, flags, addr u8 (for the source), meta Int32Array(8 + 253))
//   -> bytes | -errno. meta: [0] address length, [1] msg_flags, [2] count of
//   fds received (at [8]...), [3] 1 when credentials came, [4] pid, [5] uid, [6] gid.
Napi::Value Recvmsg(const Napi::CallbackInfo& info) {
  size_t blen, alen;
  uint8_t* b = Bytes(info[1], &blen);
  uint8_t* a = Bytes(info[3], &alen);
  Napi::Int32Array meta = info[4].As<Napi::Int32Array>();
  int32_t* mt = meta.Data();
  size_t maxFds = meta.ElementLength() > 8 ? meta.ElementLength() - 8 : 0;
  struct iovec iov = {b, blen};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_name = a;
  m.msg_namelen = (socklen_t)alen;
  char ctl[CMSG_SPACE(253 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
  m.msg_control = ctl;
  m.msg_controllen = sizeof ctl;
  ssize_t r;
  do r = recvmsg(I32(info, 0), &m, I32(info, 2) | MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0) return Num(info, -errno);
  for (int i = 0; i < 8; i++) mt[i] = 0;
  mt[0] = (int32_t)m.msg_namelen;
  mt[1] = m.msg_flags;
  size_t nf = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SCM_RIGHTS) {
      size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      int* fds = (int*)CMSG_DATA(c);
      for (size_t i = 0; i < n; i++) {
        // More than the caller can take: close them here, never leak them.
        if (nf < maxFds) mt[8 + nf++] = fds[i];
        else close(fds[i]);
      }
    } else if (c->cmsg_type == SCM_CREDENTIALS) {
      struct ucred u;
      memcpy(&u, CMSG_DATA(c), sizeof u);
      mt[3] = 1, mt[4] = u.pid, mt[5] = (int32_t)u.uid, mt[6] = (int32_t)u.gid;
    }
  }
  mt[2] = (int32_t)nf;
  return Num(info, (double)r);
}

// kcmpFile(fd1, fd2): 0 when both fds of this process name one open file description.
Napi::Value KcmpFile(const Napi::CallbackInfo& info) {
  pid_t p = getpid();
  return Ret(info, syscall(SYS_kcmp, p, p, KCMP_FILE, I32(info, 0), I32(info, 1)));
}

// ---- readiness watcher ----

int gEpoll = -1;
uv_poll_t gPoll;
Napi::FunctionReference gCallback;
napi_env gEnv = nullptr;

void OnReady(uv_poll_t*, int status, int) {
  if (status < 0 || gEnv == nullptr) return;
  Napi::Env env(gEnv);
  Napi::HandleScope scope(env);
  struct epoll_event ev[64];
  int n = epoll_wait(gEpoll, ev, 64, 0);
  for (int i = 0; i < n; i++) {
    gCallback.Call({Napi::Number::New(env, (double)(uint32_t)ev[i].data.u32), Napi::Number::New(env, ev[i].events)});
    if (env.IsExceptionPending()) {
      // Unhandled JS errors surface as they would from any other callback.
      Napi::Error e = env.GetAndClearPendingException();
      napi_fatal_exception(env, e.Value());
      return;
    }
  }
}

// watchInit(cb(id, events)) -> 0 | -errno. The uv handle is unreferenced: a
// waiting guest call does not keep Node alive by itself (the sandbox does).
Napi::Value WatchInit(const Napi::CallbackInfo& info) {
  if (gEpoll >= 0) return Num(info, 0);
  gEpoll = epoll_create1(EPOLL_CLOEXEC);
  if (gEpoll < 0) return Num(info, -errno);
  uv_loop_t* loop;
  napi_get_uv_event_loop(info.Env(), &loop);
  if (uv_poll_init(loop, &gPoll, gEpoll) != 0) return Num(info, -EIO);
  uv_poll_start(&gPoll, UV_READABLE, OnReady);
  uv_unref((uv_handle_t*)&gPoll);
  gCallback = Napi::Persistent(info[0].As<Napi::Function>());
  gEnv = info.Env();
  return Num(info, 0);
}

// watch(fd, events, id): arms a one-shot registration (adds or re-arms).
Napi::Value Watch(const Napi::CallbackInfo& info) {
  if (gEpoll < 0) return Num(info, -EBADF);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = (uint32_t)I32(info, 1) | EPOLLONESHOT;
  ev.data.u32 = (uint32_t)I32(info, 2);
  int fd = I32(info, 0);
  if (epoll_ctl(gEpoll, EPOLL_CTL_MOD, fd, &ev) == 0) return Num(info, 0);
  if (errno != ENOENT) return Num(info, -errno);
  return Ret(info, epoll_ctl(gEpoll, EPOLL_CTL_ADD, fd, &ev));
}

// unwatch(fd): must come before the sentry closes fd (the registration belongs
// to the open file description, which the guest keeps alive).
Napi::Value Unwatch(const Napi::CallbackInfo& info) {
  if (gEpoll < 0) return Num(info, 0);
  return Ret(info, epoll_ctl(gEpoll, EPOLL_CTL_DEL, I32(info, 0), nullptr));
}

}  // namespace

void RegisterNet(Napi::Env env, Napi::Object exports) {
  struct {
    const char* name;
    Napi::Value (*fn)(const Napi::CallbackInfo&);
  } fns[] = {
      {"socket", Socket},          {"socketpair", Socketpair},   {"bind", Bind},
      {"connect", Connect},        {"listen", Listen},           {"accept4", Accept4},
      {"shutdown", Shutdown},      {"getsockname", Getsockname}, {"getpeername", Getpeername},
      {"getsockopt", Getsockopt},  {"setsockopt", Setsockopt},   {"sendmsg", Sendmsg},
      {"recvmsg", Recvmsg},        {"kcmpFile", KcmpFile},       {"watchInit", WatchInit},
      {"watch", Watch},            {"unwatch", Unwatch},
  };
  for (auto& f : fns) exports.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

}  // namespace tsv
