// Stateless operations exposed to the sentry: seccomp notification replies,
// guest memory access, and the host-side file primitives Node lacks (openat2,
// statx on a dirfd, getdents64, memfd, pipes...). Every function returns a
// number: the result, or -errno. Paths and guest strings are byte strings
// (latin1 in JS), never re-encoded.
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/wait.h>
#include <linux/seccomp.h>
#include <napi.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "ops.h"

namespace tsv {

namespace {

inline int32_t I32(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
inline int64_t I64(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }
inline uint64_t Id(const Napi::CallbackInfo& info, size_t lo) {
  return (uint64_t)(uint32_t)I32(info, lo) | ((uint64_t)(uint32_t)I32(info, lo + 1) << 32);
}
inline Napi::Number Num(const Napi::CallbackInfo& info, double v) { return Napi::Number::New(info.Env(), v); }
inline Napi::Number Ret(const Napi::CallbackInfo& info, long r) { return Num(info, r < 0 ? -errno : (double)r); }

std::string Latin1(const Napi::Value& v) {
  napi_env env = v.Env();
  size_t len = 0;
  napi_get_value_string_latin1(env, v, nullptr, 0, &len);
  std::string s(len, '\0');
  napi_get_value_string_latin1(env, v, s.data(), len + 1, &len);
  return s;
}

uint8_t* Bytes(const Napi::Value& v, size_t* len) {
  Napi::Uint8Array a = v.As<Napi::Uint8Array>();
  *len = a.ByteLength();
  return a.Data();
}

// ---- seccomp notifications ----

Napi::Value NotifReply(const Napi::CallbackInfo& info) {
  struct seccomp_notif_resp resp;
  memset(&resp, 0, sizeof resp);
  resp.id = Id(info, 1);
  double v = info[3].As<Napi::Number>().DoubleValue();
  if (v < 0 && v >= -4095) resp.error = (int32_t)v;
  else resp.val = (int64_t)v;
  return Ret(info, ioctl(I32(info, 0), SECCOMP_IOCTL_NOTIF_SEND, &resp));
}

Napi::Value NotifContinue(const Napi::CallbackInfo& info) {
  struct seccomp_notif_resp resp;
  memset(&resp, 0, sizeof resp);
  resp.id = Id(info, 1);
  resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  return Ret(info, ioctl(I32(info, 0), SECCOMP_IOCTL_NOTIF_SEND, &resp));
}

// addFd(lfd, idLo, idHi, srcFd, newFd (-1: lowest free), cloexec, send)
Napi::Value NotifAddFd(const Napi::CallbackInfo& info) {
  struct seccomp_notif_addfd a;
  memset(&a, 0, sizeof a);
  a.id = Id(info, 1);
  a.srcfd = (uint32_t)I32(info, 3);
  int32_t newfd = I32(info, 4);
  if (newfd >= 0) a.flags |= SECCOMP_ADDFD_FLAG_SETFD, a.newfd = (uint32_t)newfd;
  if (info[5].ToBoolean().Value()) a.newfd_flags = O_CLOEXEC;
  // With SEND the kernel marks the notification REPLIED before it waits for
  // the guest to install the fd; a signal interrupting that wait restarts the
  // ioctl, which then fails with EINPROGRESS while the guest returns 0 with no
  // fd installed. Without SEND an interrupted request is withdrawn (EINTR) and
  // a handler installing two fds would be left with one. Nothing may
  // interrupt it: block every signal for its span.
  if (info[6].ToBoolean().Value()) a.flags |= SECCOMP_ADDFD_FLAG_SEND;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int r = ioctl(I32(info, 0), SECCOMP_IOCTL_NOTIF_ADDFD, &a);
  int e = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = e;
  return Ret(info, r);
}

Napi::Value NotifIdValid(const Napi::CallbackInfo& info) {
  uint64_t id = Id(info, 1);
  return Napi::Boolean::New(info.Env(), ioctl(I32(info, 0), SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0);
}

// ---- guest memory ----

// process_vm_readv stops at the first unmapped page; a read that crosses into
// one returns short, which callers treat as EFAULT where Linux would.
ssize_t ReadGuest(pid_t pid, uint64_t addr, void* buf, size_t len) {
  struct iovec l = {buf, len}, r = {reinterpret_cast<void*>(addr), len};
  ssize_t n = process_vm_readv(pid, &l, 1, &r, 1, 0);
  if (n >= 0 || (errno != ENOSYS && errno != EPERM)) return n < 0 ? -errno : n;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/mem", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  n = pread(fd, buf, len, (off_t)addr);
  int e = errno;
  close(fd);
  return n < 0 ? -e : n;
}

ssize_t WriteGuestMem(pid_t pid, uint64_t addr, const void* buf, size_t len) {
  struct iovec l = {const_cast<void*>(buf), len}, r = {reinterpret_cast<void*>(addr), len};
  ssize_t n = process_vm_writev(pid, &l, 1, &r, 1, 0);
  if (n >= 0 || (errno != ENOSYS && errno != EPERM)) return n < 0 ? -errno : n;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/mem", pid);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  n = pwrite(fd, buf, len, (off_t)addr);
  int e = errno;
  close(fd);
  return n < 0 ? -e : n;
}

// memRead(pid, addr, u8, off, len) -> bytes read | -errno
Napi::Value MemRead(const Napi::CallbackInfo& info) {
  size_t cap;
  uint8_t* p = Bytes(info[2], &cap);
  int64_t off = I64(info, 3), len = I64(info, 4);
  if (off < 0 || len < 0 || (size_t)(off + len) > cap) return Num(info, -EINVAL);
  if (len == 0) return Num(info, 0);
  return Num(info, (double)ReadGuest(I32(info, 0), (uint64_t)I64(info, 1), p + off, (size_t)len));
}

Napi::Value MemWrite(const Napi::CallbackInfo& info) {
  size_t cap;
  uint8_t* p = Bytes(info[2], &cap);
  int64_t off = I64(info, 3), len = I64(info, 4);
  if (off < 0 || len < 0 || (size_t)(off + len) > cap) return Num(info, -EINVAL);
  if (len == 0) return Num(info, 0);
  return Num(info, (double)WriteGuestMem(I32(info, 0), (uint64_t)I64(info, 1), p + off, (size_t)len));
}

// Reads a NUL-terminated string of at most max bytes (excluding the NUL).
// Returns the byte count or -errno; the bytes land in *out.
long ReadCString(pid_t pid, uint64_t addr, size_t max, std::string* out) {
  out->clear();
  char chunk[4096];
  while (out->size() <= max) {
    size_t toPage = 4096 - (addr & 4095);
    size_t want = toPage < sizeof chunk ? toPage : sizeof chunk;
    ssize_t n = ReadGuest(pid, addr, chunk, want);
    if (n <= 0) return n == 0 ? -EFAULT : (long)n;
    void* z = memchr(chunk, 0, (size_t)n);
    if (z) {
      out->append(chunk, (size_t)((char*)z - chunk));
      return out->size() <= max ? (long)out->size() : -ENAMETOOLONG;
    }
    out->append(chunk, (size_t)n);
    addr += (uint64_t)n;
  }
  return -ENAMETOOLONG;
}

// memReadString(pid, addr, max) -> string | -errno (ENAMETOOLONG past max)
Napi::Value MemReadString(const Napi::CallbackInfo& info) {
  std::string s;
  long r = ReadCString(I32(info, 0), (uint64_t)I64(info, 1), (size_t)I64(info, 2), &s);
  if (r < 0) return Num(info, (double)r);
  napi_value v;
  napi_create_string_latin1(info.Env(), s.data(), s.size(), &v);
  return Napi::Value(info.Env(), v);
}

// memReadStringArray(pid, addr, maxCount, maxBytes) -> string[] | -errno.
// For argv/envp: -E2BIG when the count or total size passes the limits.
Napi::Value MemReadStringArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t pid = I32(info, 0);
  uint64_t addr = (uint64_t)I64(info, 1);
  size_t maxCount = (size_t)I64(info, 2), maxBytes = (size_t)I64(info, 3);
  Napi::Array arr = Napi::Array::New(env);
  if (addr == 0) return arr;
  // The pointer array, a page-bounded chunk per read (an exec's environment
  // is read in a few calls instead of two per string).
  std::vector<uint64_t> ptrs;
  for (uint64_t at = addr;;) {
    if (at & 7) {
      uint64_t p;
      if (ReadGuest(pid, at, &p, 8) != 8) return Num(info, -EFAULT);
      if (p == 0) break;
      ptrs.push_back(p);
      at += 8;
    } else {
      uint64_t chunk[64];
      size_t toPage = 4096 - (at & 4095);
      size_t want = toPage < sizeof chunk ? toPage : sizeof chunk;
      ssize_t n = ReadGuest(pid, at, chunk, want);
      if (n < 8) return Num(info, -EFAULT);
      size_t k = (size_t)n / 8;
      bool end = false;
      for (size_t i = 0; i < k; i++) {
        if (chunk[i] == 0) {
          end = true;
          break;
        }
        ptrs.push_back(chunk[i]);
      }
      if (end) break;
      at += 8 * k;
    }
    if (ptrs.size() > maxCount) return Num(info, -E2BIG);
  }
  // The strings: the first bytes of up to 64 of them per process_vm_readv,
  // each iovec stopping at its page end so a bad pointer faults alone.
  constexpr size_t kHead = 256, kBatch = 64;
  std::vector<char> heads(kHead * kBatch);
  size_t total = 0;
  std::string s;
  for (size_t base = 0; base < ptrs.size(); base += kBatch) {
    size_t cnt = ptrs.size() - base < kBatch ? ptrs.size() - base : kBatch;
    struct iovec local[kBatch], remote[kBatch];
    for (size_t i = 0; i < cnt; i++) {
      uint64_t p = ptrs[base + i];
      size_t toPage = 4096 - (p & 4095);
      size_t len = toPage < kHead ? toPage : kHead;
      local[i] = {heads.data() + i * kHead, len};
      remote[i] = {reinterpret_cast<void*>(p), len};
    }
    ssize_t got = process_vm_readv(pid, local, cnt, remote, cnt, 0);
    size_t doneBytes = got > 0 ? (size_t)got : 0;
    for (size_t i = 0; i < cnt; i++) {
      const char* h = heads.data() + i * kHead;
      size_t len = local[i].iov_len;
      const char* z = doneBytes >= len ? static_cast<const char*>(memchr(h, 0, len)) : nullptr;
      if (z) {
        s.assign(h, (size_t)(z - h));
      } else {
        // Longer than its head, across a page, or not read in the batch.
        long r = ReadCString(pid, ptrs[base + i], 32 * 4096 - 1, &s);  // MAX_ARG_STRLEN
        if (r == -ENAMETOOLONG) return Num(info, -E2BIG);
        if (r < 0) return Num(info, (double)r);
      }
      doneBytes = doneBytes >= len ? doneBytes - len : 0;
      total += s.size() + 1 + 8;
      if (total > maxBytes) return Num(info, -E2BIG);
      napi_value v;
      napi_create_string_latin1(env, s.data(), s.size(), &v);
      arr.Set((uint32_t)(base + i), Napi::Value(env, v));
    }
  }
  return arr;
}

// ---- host files ----

Napi::Value Openat2(const Napi::CallbackInfo& info) {
  std::string path = Latin1(info[1]);
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)(uint32_t)I32(info, 2);
  how.mode = (uint64_t)(uint32_t)I32(info, 3);
  how.resolve = (uint64_t)(uint32_t)I32(info, 4);
  long r;
  do r = syscall(SYS_openat2, I32(info, 0), path.c_str(), &how, sizeof how);
  while (r < 0 && errno == EINTR);
  return Ret(info, r);
}

// statx(dirfd, path, flags, out Float64Array(22)) -> 0 | -errno
Napi::Value Statx(const Napi::CallbackInfo& info) {
  std::string path = Latin1(info[1]);
  struct statx sx;
  long r = syscall(SYS_statx, I32(info, 0), path.c_str(), I32(info, 2), STATX_BASIC_STATS | STATX_BTIME, &sx);
  if (r < 0) return Num(info, -errno);
  Napi::Float64Array out = info[3].As<Napi::Float64Array>();
  double* d = out.Data();
  if (out.ElementLength() < 22) return Num(info, -EINVAL);
  d[0] = sx.stx_dev_major;
  d[1] = sx.stx_dev_minor;
  d[2] = (double)sx.stx_ino;
  d[3] = sx.stx_mode;
  d[4] = sx.stx_nlink;
  d[5] = sx.stx_uid;
  d[6] = sx.stx_gid;
  d[7] = sx.stx_rdev_major;
  d[8] = sx.stx_rdev_minor;
  d[9] = (double)sx.stx_size;
  d[10] = (double)sx.stx_blocks;
  d[11] = sx.stx_blksize;
  d[12] = (double)sx.stx_atime.tv_sec;
  d[13] = sx.stx_atime.tv_nsec;
  d[14] = (double)sx.stx_mtime.tv_sec;
  d[15] = sx.stx_mtime.tv_nsec;
  d[16] = (double)sx.stx_ctime.tv_sec;
  d[17] = sx.stx_ctime.tv_nsec;
  d[18] = (double)sx.stx_btime.tv_sec;
  d[19] = sx.stx_btime.tv_nsec;
  d[20] = sx.stx_mask;
  d[21] = (double)sx.stx_attributes;
  return Num(info, 0);
}

Napi::Value Getdents64(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[1], &len);
  return Ret(info, syscall(SYS_getdents64, I32(info, 0), p, len));
}

Napi::Value Readlinkat(const Napi::CallbackInfo& info) {
  std::string path = Latin1(info[1]);
  char buf[4096];
  ssize_t n = readlinkat(I32(info, 0), path.c_str(), buf, sizeof buf);
  if (n < 0) return Num(info, -errno);
  napi_value v;
  napi_create_string_latin1(info.Env(), buf, (size_t)n, &v);
  return Napi::Value(info.Env(), v);
}

Napi::Value MemfdCreate(const Napi::CallbackInfo& info) {
  std::string name = Latin1(info[0]);
  return Ret(info, syscall(SYS_memfd_create, name.c_str(), (unsigned)I32(info, 1)));
}

Napi::Value Close(const Napi::CallbackInfo& info) { return Ret(info, close(I32(info, 0))); }

Napi::Value Fcntl(const Napi::CallbackInfo& info) { return Ret(info, fcntl(I32(info, 0), I32(info, 1), I64(info, 2))); }

// fcntl(fd, cmd, u8): the lock commands, whose argument is a struct flock.
Napi::Value FcntlLock(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[2], &len);
  if (len < sizeof(struct flock)) return Num(info, -EINVAL);
  return Ret(info, fcntl(I32(info, 0), I32(info, 1), (struct flock*)p));
}

Napi::Value Pipe2(const Napi::CallbackInfo& info) {
  int fds[2];
  if (pipe2(fds, I32(info, 0)) != 0) return Num(info, -errno);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Num(info, fds[0]));
  a.Set(1u, Num(info, fds[1]));
  return a;
}

// pread(fd, u8, off, len, pos) / pwrite: pos < 0 uses the file offset.
Napi::Value Pread(const Napi::CallbackInfo& info) {
  size_t cap;
  uint8_t* p = Bytes(info[1], &cap);
  int64_t off = I64(info, 2), len = I64(info, 3), pos = I64(info, 4);
  if (off < 0 || len < 0 || (size_t)(off + len) > cap) return Num(info, -EINVAL);
  ssize_t n;
  do n = pos < 0 ? read(I32(info, 0), p + off, (size_t)len) : pread(I32(info, 0), p + off, (size_t)len, pos);
  while (n < 0 && errno == EINTR);
  return Ret(info, n);
}

Napi::Value Pwrite(const Napi::CallbackInfo& info) {
  size_t cap;
  uint8_t* p = Bytes(info[1], &cap);
  int64_t off = I64(info, 2), len = I64(info, 3), pos = I64(info, 4);
  if (off < 0 || len < 0 || (size_t)(off + len) > cap) return Num(info, -EINVAL);
  ssize_t n;
  do n = pos < 0 ? write(I32(info, 0), p + off, (size_t)len) : pwrite(I32(info, 0), p + off, (size_t)len, pos);
  while (n < 0 && errno == EINTR);
  return Ret(info, n);
}

Napi::Value Ftruncate(const Napi::CallbackInfo& info) { return Ret(info, ftruncate(I32(info, 0), I64(info, 1))); }

Napi::Value Lseek(const Napi::CallbackInfo& info) { return Ret(info, lseek(I32(info, 0), I64(info, 1), I32(info, 2))); }

// copyFileRange(in, out, len): copies the whole of in (from 0) to out (at 0).
Napi::Value CopyAll(const Napi::CallbackInfo& info) {
  int in = I32(info, 0), out = I32(info, 1);
  int64_t len = I64(info, 2);
  loff_t ip = 0, op = 0;
  while (len > 0) {
    ssize_t n = copy_file_range(in, &ip, out, &op, (size_t)len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS)) {
      char buf[65536];
      ssize_t r = pread(in, buf, sizeof buf, ip);
      if (r <= 0) return Num(info, r < 0 ? -errno : (double)op);
      ssize_t w = pwrite(out, buf, (size_t)r, op);
      if (w < 0) return Num(info, -errno);
      ip += r, op += w, len -= w;
      continue;
    }
    if (n <= 0) return Num(info, n < 0 ? -errno : (double)op);
    len -= n;
  }
  return Num(info, (double)op);
}

// ---- changing a host tree: always a single name in a directory fd ----
//
// The filesystems call these with a directory fd they hold (an O_PATH fd
// beneath a layer root) and one path component the sentry looked up itself;
// `OneName` refuses anything else, so no host path is ever resolved from
// guest input and no symlink is ever followed by the host.

bool OneName(const std::string& s) { return !s.empty() && s.find('/') == std::string::npos && s != "." && s != ".."; }

// mkdirat(dirfd, name, mode)
Napi::Value Mkdirat(const Napi::CallbackInfo& info) {
  std::string name = Latin1(info[1]);
  if (!OneName(name)) return Num(info, -EINVAL);
  return Ret(info, mkdirat(I32(info, 0), name.c_str(), (mode_t)I32(info, 2)));
}

// mknodat(dirfd, name, mode, dev)
Napi::Value Mknodat(const Napi::CallbackInfo& info) {
  std::string name = Latin1(info[1]);
  if (!OneName(name)) return Num(info, -EINVAL);
  return Ret(info, mknodat(I32(info, 0), name.c_str(), (mode_t)I32(info, 2), (dev_t)I64(info, 3)));
}

// unlinkat(dirfd, name, flags)
Napi::Value Unlinkat(const Napi::CallbackInfo& info) {
  std::string name = Latin1(info[1]);
  if (!OneName(name)) return Num(info, -EINVAL);
  return Ret(info, unlinkat(I32(info, 0), name.c_str(), I32(info, 2)));
}

// renameat2(olddirfd, oldname, newdirfd, newname, flags)
Napi::Value Renameat2(const Napi::CallbackInfo& info) {
  std::string a = Latin1(info[1]), b = Latin1(info[3]);
  if (!OneName(a) || !OneName(b)) return Num(info, -EINVAL);
  return Ret(info, syscall(SYS_renameat2, I32(info, 0), a.c_str(), I32(info, 2), b.c_str(), (unsigned)I32(info, 4)));
}

// symlinkat(target, dirfd, name): the target is stored, never resolved by us.
Napi::Value Symlinkat(const Napi::CallbackInfo& info) {
  std::string target = Latin1(info[0]), name = Latin1(info[2]);
  if (!OneName(name) || target.empty() || target.find('\0') != std::string::npos) return Num(info, -EINVAL);
  return Ret(info, symlinkat(target.c_str(), I32(info, 1), name.c_str()));
}

// linkat(olddirfd, oldname, newdirfd, newname): never follows a symlink (flags 0).
Napi::Value Linkat(const Napi::CallbackInfo& info) {
  std::string a = Latin1(info[1]), b = Latin1(info[3]);
  if (!OneName(a) || !OneName(b)) return Num(info, -EINVAL);
  return Ret(info, linkat(I32(info, 0), a.c_str(), I32(info, 2), b.c_str(), 0));
}

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

// fchmodat(dirfd, name, mode): the named object itself, never a symlink's
// target (EOPNOTSUPP for a symlink, as lchmod). "" changes dirfd's own object
// (an O_PATH fd). fchmodat2 (Linux 6.6) takes AT_SYMLINK_NOFOLLOW and
// AT_EMPTY_PATH; before it, the object is opened O_PATH|O_NOFOLLOW and changed
// through its /proc/self/fd magic link, which names exactly that object.
Napi::Value Fchmodat(const Napi::CallbackInfo& info) {
  int dirfd = I32(info, 0);
  std::string name = Latin1(info[1]);
  mode_t mode = (mode_t)I32(info, 2);
  if (!name.empty() && !OneName(name)) return Num(info, -EINVAL);
  int flags = name.empty() ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
  long r = syscall(SYS_fchmodat2, dirfd, name.c_str(), mode, flags);
  if (r == 0 || (errno != ENOSYS && errno != EINVAL)) return Ret(info, r);
  int fd = name.empty() ? dirfd : openat(dirfd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Num(info, -errno);
  struct stat st;
  int err = 0;
  if (fstat(fd, &st) != 0) err = errno;
  else if (S_ISLNK(st.st_mode)) err = EOPNOTSUPP;
  else {
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    if (chmod(p, mode) != 0) err = errno;
  }
  if (fd != dirfd) close(fd);
  return Num(info, -err);
}

// fchmod(fd, mode) on an open (not O_PATH) fd
Napi::Value Fchmod(const Napi::CallbackInfo& info) { return Ret(info, fchmod(I32(info, 0), (mode_t)I32(info, 1))); }

// fchownat(dirfd, name, uid, gid): never follows; "" is dirfd's own object.
Napi::Value Fchownat(const Napi::CallbackInfo& info) {
  std::string name = Latin1(info[1]);
  if (!name.empty() && !OneName(name)) return Num(info, -EINVAL);
  int flags = name.empty() ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
  return Ret(info, fchownat(I32(info, 0), name.c_str(), (uid_t)I32(info, 2), (gid_t)I32(info, 3), flags));
}

// utimensat(dirfd, name, aSec, aNsec, mSec, mNsec): never follows; "" is
// dirfd's own object. Nanoseconds may be UTIME_NOW / UTIME_OMIT.
Napi::Value Utimensat(const Napi::CallbackInfo& info) {
  std::string name = Latin1(info[1]);
  if (!name.empty() && !OneName(name)) return Num(info, -EINVAL);
  struct timespec ts[2];
  ts[0].tv_sec = (time_t)I64(info, 2);
  ts[0].tv_nsec = (long)I64(info, 3);
  ts[1].tv_sec = (time_t)I64(info, 4);
  ts[1].tv_nsec = (long)I64(info, 5);
  int flags = name.empty() ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
  return Ret(info, utimensat(I32(info, 0), name.c_str(), ts, flags));
}

// fstatfs(fd, out Float64Array(8)): type, bsize, blocks, bfree, bavail, files, ffree, namelen
Napi::Value Fstatfs(const Napi::CallbackInfo& info) {
  struct statfs s;
  if (fstatfs(I32(info, 0), &s) != 0) return Num(info, -errno);
  Napi::Float64Array out = info[1].As<Napi::Float64Array>();
  if (out.ElementLength() < 8) return Num(info, -EINVAL);
  double* d = out.Data();
  d[0] = (double)(unsigned long)s.f_type;
  d[1] = (double)s.f_bsize;
  d[2] = (double)s.f_blocks;
  d[3] = (double)s.f_bfree;
  d[4] = (double)s.f_bavail;
  d[5] = (double)s.f_files;
  d[6] = (double)s.f_ffree;
  d[7] = (double)s.f_namelen;
  return Num(info, 0);
}

// Extended attributes of the object an fd refers to (an O_PATH fd will do),
// through its /proc/self/fd magic link, which names exactly that object:
// f*xattr refuse O_PATH fds, and getxattrat and friends only came with Linux
// 6.13. No name from the guest is ever part of the path.
std::string FdPath(int fd) {
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  return p;
}

// xattrGet(fd, attr, buf) -> length | -errno (a buf of length 0 asks the size)
Napi::Value XattrGet(const Napi::CallbackInfo& info) {
  std::string path = FdPath(I32(info, 0)), attr = Latin1(info[1]);
  size_t len;
  uint8_t* p = Bytes(info[2], &len);
  return Ret(info, getxattr(path.c_str(), attr.c_str(), len ? p : nullptr, len));
}

// xattrSet(fd, attr, value, flags)
Napi::Value XattrSet(const Napi::CallbackInfo& info) {
  std::string path = FdPath(I32(info, 0)), attr = Latin1(info[1]);
  size_t len;
  uint8_t* p = Bytes(info[2], &len);
  return Ret(info, setxattr(path.c_str(), attr.c_str(), p, len, I32(info, 3)));
}

// xattrRemove(fd, attr)
Napi::Value XattrRemove(const Napi::CallbackInfo& info) {
  std::string path = FdPath(I32(info, 0)), attr = Latin1(info[1]);
  return Ret(info, removexattr(path.c_str(), attr.c_str()));
}

// ---- a size-limited tmpfs for the bytes of a sandbox tmpfs ----
//
// A tmpfs with size= is made as a detached mount (fsopen/fsmount: never
// attached anywhere, reachable only by the fd returned); the sentry creates
// its files there with O_TMPFILE instead of memfd_create, so the host kernel
// enforces the limit on every write, including the guest's native ones.
// Root makes it directly; anyone else in a user namespace of its own, where
// it holds CAP_SYS_ADMIN: a child sharing our memory and fd table
// (CLONE_VM|CLONE_FILES|CLONE_VFORK, as posix_spawn does; it makes only
// system calls) maps our ids to themselves, makes the mount, and exits; its
// mount fd stays in our table.

int MakeTmpfs(const char* size) {
  int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0) return -errno;
  if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", size, 0) < 0 ||
      syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0700", 0) < 0 ||
      syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) {
    int e = errno;
    close(fs);
    return -e;
  }
  int m = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
  int e = errno;
  close(fs);
  return m < 0 ? -e : m;
}

struct TmpfsChildArgs {
  const char* size;
  const char* uidMap;
  const char* gidMap;
  int result;
};

bool WriteProc(const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t n = strlen(text);
  bool ok = write(fd, text, n) == (ssize_t)n;
  close(fd);
  return ok;
}

int TmpfsChild(void* p) {
  TmpfsChildArgs* a = (TmpfsChildArgs*)p;
  if (!WriteProc("/proc/self/setgroups", "deny") || !WriteProc("/proc/self/uid_map", a->uidMap) ||
      !WriteProc("/proc/self/gid_map", a->gidMap)) {
    a->result = -errno;
    return 0;
  }
  a->result = MakeTmpfs(a->size);
  return 0;
}

// tmpfsMount(sizeBytes) -> fd of a detached tmpfs mount | -errno
Napi::Value TmpfsMount(const Napi::CallbackInfo& info) {
  char size[32];
  snprintf(size, sizeof size, "%lld", (long long)I64(info, 0));
  int fd = MakeTmpfs(size);
  if (fd != -EPERM) return Num(info, fd);
  char uidMap[64], gidMap[64];
  snprintf(uidMap, sizeof uidMap, "%u %u 1", (unsigned)geteuid(), (unsigned)geteuid());
  snprintf(gidMap, sizeof gidMap, "%u %u 1", (unsigned)getegid(), (unsigned)getegid());
  TmpfsChildArgs a = {size, uidMap, gidMap, -EIO};
  const size_t stackSize = 64 * 1024;
  std::vector<char> stack(stackSize);
  // As posix_spawn: no signal handler of ours may run in the child (it shares our memory).
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(TmpfsChild, stack.data() + stackSize, CLONE_NEWUSER | CLONE_NEWNS | CLONE_VM | CLONE_FILES | CLONE_VFORK | SIGCHLD, &a);
  int err = errno;
  if (pid > 0) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return Num(info, pid < 0 ? -err : a.result);
}

// tmpfsResize(mountFd, sizeBytes) -> 0 | -errno (reconfigures the superblock; needs CAP_SYS_ADMIN over it)
Napi::Value TmpfsResize(const Napi::CallbackInfo& info) {
  char size[32];
  snprintf(size, sizeof size, "%lld", (long long)I64(info, 1));
  int fs = (int)syscall(SYS_fspick, I32(info, 0), "", FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);
  if (fs < 0) return Num(info, -errno);
  long r = syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", size, 0);
  if (r == 0) r = syscall(SYS_fsconfig, fs, FSCONFIG_CMD_RECONFIGURE, nullptr, nullptr, 0);
  int e = errno;
  close(fs);
  return Num(info, r < 0 ? -e : 0);
}

// The sentry signals single host processes and threads only. A zero or
// negative pid would mean a process group or every process on the host (as
// root, all of them): only a bug can produce one, so it fails here.
Napi::Value Tgkill(const Napi::CallbackInfo& info) {
  if (I32(info, 0) <= 0 || I32(info, 1) <= 0) return Num(info, -ESRCH);
  return Ret(info, syscall(SYS_tgkill, I32(info, 0), I32(info, 1), I32(info, 2)));
}

Napi::Value Kill(const Napi::CallbackInfo& info) {
  if (I32(info, 0) <= 0) return Num(info, -ESRCH);
  return Ret(info, kill(I32(info, 0), I32(info, 1)));
}

// getrlimit(resource) -> [soft, hard] (Infinity for RLIM_INFINITY)
Napi::Value Getrlimit(const Napi::CallbackInfo& info) {
  struct rlimit rl;
  if (getrlimit(I32(info, 0), &rl) != 0) return Num(info, -errno);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Num(info, rl.rlim_cur == RLIM_INFINITY ? INFINITY : (double)rl.rlim_cur));
  a.Set(1u, Num(info, rl.rlim_max == RLIM_INFINITY ? INFINITY : (double)rl.rlim_max));
  return a;
}

Napi::Value Setrlimit(const Napi::CallbackInfo& info) {
  struct rlimit rl;
  double s = info[1].As<Napi::Number>().DoubleValue(), h = info[2].As<Napi::Number>().DoubleValue();
  rl.rlim_cur = s == INFINITY ? RLIM_INFINITY : (rlim_t)s;
  rl.rlim_max = h == INFINITY ? RLIM_INFINITY : (rlim_t)h;
  return Ret(info, setrlimit(I32(info, 0), &rl));
}

Napi::Value Isatty(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), isatty(I32(info, 0)) == 1); }

// ioctlInt(fd, req, int*) style calls used for terminals: ioctlBuf(fd, req, u8)
Napi::Value IoctlBuf(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[2], &len);
  return Ret(info, ioctl(I32(info, 0), (unsigned long)(uint32_t)I32(info, 1), p));
}

Napi::Value IoctlArg(const Napi::CallbackInfo& info) {
  return Ret(info, ioctl(I32(info, 0), (unsigned long)(uint32_t)I32(info, 1), (unsigned long)I64(info, 2)));
}

Napi::Value Getpid(const Napi::CallbackInfo& info) { return Num(info, getpid()); }

// Kernel objects the sentry creates for a guest: their only names are fds.
Napi::Value EpollCreate1(const Napi::CallbackInfo& info) { return Ret(info, syscall(SYS_epoll_create1, I32(info, 0))); }
Napi::Value Eventfd2(const Napi::CallbackInfo& info) { return Ret(info, syscall(SYS_eventfd2, (unsigned)I32(info, 0), I32(info, 1))); }
Napi::Value TimerfdCreate(const Napi::CallbackInfo& info) { return Ret(info, syscall(SYS_timerfd_create, I32(info, 0), I32(info, 1))); }

// signalfd4(fd (-1: new), mask: 8 bytes, flags). The sentry creates a guest's
// signalfd itself: a signalfd reads the signals of whoever reads it (fs/signalfd.c
// dequeues from `current`), never its creator's, so installed into the guest it
// reads the guest's signals. With fd >= 0 it updates that signalfd's mask.
Napi::Value Signalfd4(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[1], &len);
  if (len < 8) return Num(info, -EINVAL);
  return Ret(info, syscall(SYS_signalfd4, I32(info, 0), p, (size_t)8, I32(info, 2)));
}

// send(fd, u8, off, len): never blocks, never raises SIGPIPE.
Napi::Value Send(const Napi::CallbackInfo& info) {
  size_t cap;
  uint8_t* p = Bytes(info[1], &cap);
  int64_t off = I64(info, 2), len = I64(info, 3);
  if (off < 0 || len < 0 || (size_t)(off + len) > cap) return Num(info, -EINVAL);
  return Ret(info, send(I32(info, 0), p + off, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL));
}

// readable(fd): poll(POLLIN) without waiting -> 1 | 0 | -errno
Napi::Value Readable(const Napi::CallbackInfo& info) {
  struct pollfd p = {I32(info, 0), POLLIN, 0};
  int r = poll(&p, 1, 0);
  return Num(info, r < 0 ? -errno : (p.revents & POLLIN) ? 1 : 0);
}

// setsockopt(fd, level, name, int value)
Napi::Value SetsockoptInt(const Napi::CallbackInfo& info) {
  int v = I32(info, 3);
  return Ret(info, setsockopt(I32(info, 0), I32(info, 1), I32(info, 2), &v, sizeof v));
}

// sigqueue(tgid, tid (-1: process-directed), sig, info: 128 bytes)
Napi::Value Sigqueue(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[3], &len);
  if (len < 128) return Num(info, -EINVAL);
  int tid = I32(info, 1);
  if (I32(info, 0) <= 0) return Num(info, -ESRCH);
  long r = tid < 0 ? syscall(SYS_rt_sigqueueinfo, I32(info, 0), I32(info, 2), p)
                   : syscall(SYS_rt_tgsigqueueinfo, I32(info, 0), tid, I32(info, 2), p);
  return Ret(info, r);
}

// schedAffinity(set, hostTid, buf): sched_getaffinity (bytes copied) or
// sched_setaffinity (0) on one guest thread, or -errno.
Napi::Value SchedAffinity(const Napi::CallbackInfo& info) {
  size_t len;
  uint8_t* p = Bytes(info[2], &len);
  long nr = info[0].As<Napi::Boolean>().Value() ? SYS_sched_setaffinity : SYS_sched_getaffinity;
  return Ret(info, syscall(nr, I32(info, 1), len, p));
}

// priority(hostTid) -> 20 - nice as the raw getpriority syscall returns it;
// priority(hostTid, nice) sets it (0). Per thread (PRIO_PROCESS), or -errno.
Napi::Value Priority(const Napi::CallbackInfo& info) {
  if (info.Length() < 2) return Ret(info, syscall(SYS_getpriority, PRIO_PROCESS, I32(info, 0)));
  return Ret(info, syscall(SYS_setpriority, PRIO_PROCESS, I32(info, 0), I32(info, 1)));
}

// prlimit(pid, resource, soft, hard) on a guest process (Infinity = RLIM_INFINITY)
Napi::Value Prlimit(const Napi::CallbackInfo& info) {
  struct rlimit rl;
  double s = info[2].As<Napi::Number>().DoubleValue(), h = info[3].As<Napi::Number>().DoubleValue();
  rl.rlim_cur = s == INFINITY ? RLIM_INFINITY : (rlim_t)s;
  rl.rlim_max = h == INFINITY ? RLIM_INFINITY : (rlim_t)h;
  // pid 0 would be the sentry itself.
  if (I32(info, 0) <= 0) return Num(info, -ESRCH);
  return Ret(info, prlimit(I32(info, 0), (__rlimit_resource)I32(info, 1), &rl, nullptr));
}

// ---- terminals ----

// ptyOpen(unlock) -> [masterFd, host index] | -errno: a new pseudo-terminal
// pair from the host's /dev/ptmx, never our controlling terminal. Locked
// (as Linux hands it out) unless `unlock`: a guest unlocks its own.
Napi::Value PtyOpen(const Napi::CallbackInfo& info) {
  int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Num(info, -errno);
  unsigned int index = 0;
  int unlock = 0;
  if (ioctl(fd, TIOCGPTN, &index) != 0 || (info[0].ToBoolean().Value() && ioctl(fd, TIOCSPTLCK, &unlock) != 0)) {
    int e = errno;
    close(fd);
    return Num(info, -e);
  }
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Num(info, fd));
  a.Set(1u, Num(info, index));
  return a;
}

// ptyPeer(masterFd, flags) -> a new open of the slave side | -errno
// (TIOCGPTPEER: no path, so nothing in the host's /dev/pts is resolved).
Napi::Value PtyPeer(const Napi::CallbackInfo& info) {
  return Ret(info, ioctl(I32(info, 0), TIOCGPTPEER, (unsigned long)(uint32_t)(I32(info, 1) | O_NOCTTY)));
}

// setpgid(pid, pgid): used once, on the init task before its first exec.
Napi::Value Setpgid(const Napi::CallbackInfo& info) { return Ret(info, setpgid(I32(info, 0), I32(info, 1))); }

}  // namespace

void RegisterOps(Napi::Env env, Napi::Object exports) {
  struct {
    const char* name;
    Napi::Value (*fn)(const Napi::CallbackInfo&);
  } fns[] = {
      {"notifReply", NotifReply},   {"notifContinue", NotifContinue},
      {"notifAddFd", NotifAddFd},   {"notifIdValid", NotifIdValid},
      {"memRead", MemRead},         {"memWrite", MemWrite},
      {"memReadString", MemReadString}, {"memReadStringArray", MemReadStringArray},
      {"openat2", Openat2},         {"statx", Statx},
      {"getdents64", Getdents64},   {"readlinkat", Readlinkat},
      {"memfdCreate", MemfdCreate}, {"close", Close},
      {"fcntl", Fcntl},             {"fcntlLock", FcntlLock},
      {"pipe2", Pipe2},
      {"pread", Pread},             {"pwrite", Pwrite},
      {"ftruncate", Ftruncate},     {"lseek", Lseek},
      {"copyAll", CopyAll},         {"tgkill", Tgkill},
      {"kill", Kill},               {"getrlimit", Getrlimit},
      {"setrlimit", Setrlimit},     {"isatty", Isatty},
      {"ioctlBuf", IoctlBuf},       {"ioctlArg", IoctlArg},
      {"getpid", Getpid},           {"sigqueue", Sigqueue},
      {"prlimit", Prlimit},         {"epollCreate1", EpollCreate1},
      {"eventfd2", Eventfd2},       {"timerfdCreate", TimerfdCreate},
      {"schedAffinity", SchedAffinity},
      {"priority", Priority},
      {"signalfd4", Signalfd4},     
      {"send", Send},               {"setsockoptInt", SetsockoptInt},
      {"readable", Readable},
      {"mkdirat", Mkdirat},         {"mknodat", Mknodat},
      {"unlinkat", Unlinkat},       {"renameat2", Renameat2},
      {"symlinkat", Symlinkat},     {"linkat", Linkat},
      {"fchmodat", Fchmodat},       {"fchmod", Fchmod},
      {"fchownat", Fchownat},       {"utimensat", Utimensat},
      {"fstatfs", Fstatfs},         {"xattrGet", XattrGet},
      {"xattrSet", XattrSet},       {"xattrRemove", XattrRemove},
      {"tmpfsMount", TmpfsMount},   {"tmpfsResize", TmpfsResize},
      {"ptyOpen", PtyOpen},         {"ptyPeer", PtyPeer},
      {"setpgid", Setpgid},
  };
  for (auto& f : fns) exports.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

}  // namespace tsv
