// x86_64 specifics of the tracer: syscall numbers it rewrites and register access.
#pragma once
#include <stdint.h>
#include <sys/user.h>

namespace tsv::arch {

constexpr long kNrClone = 56;
constexpr long kNrFork = 57;
constexpr long kNrVfork = 58;
constexpr long kNrExecve = 59;
constexpr long kNrRtSigtimedwait = 128;
constexpr long kNrSetTidAddress = 218;
constexpr long kNrExecveat = 322;
constexpr long kNrCloseRange = 436;

using Regs = struct user_regs_struct;

inline long SyscallNr(const Regs& r) { return (long)r.orig_rax; }
inline void SetSyscallNr(Regs& r, long nr) { r.orig_rax = (unsigned long long)nr; }
inline long Return(const Regs& r) { return (long)r.rax; }
inline void SetReturn(Regs& r, long v) { r.rax = (unsigned long long)v; }

inline uint64_t Arg(const Regs& r, int i) {
  switch (i) {
    case 0: return r.rdi;
    case 1: return r.rsi;
    case 2: return r.rdx;
    case 3: return r.r10;
    case 4: return r.r8;
    default: return r.r9;
  }
}

inline void SetArg(Regs& r, int i, uint64_t v) {
  switch (i) {
    case 0: r.rdi = v; break;
    case 1: r.rsi = v; break;
    case 2: r.rdx = v; break;
    case 3: r.r10 = v; break;
    case 4: r.r8 = v; break;
    default: r.r9 = v; break;
  }
}

// clone(flags, newsp, parent_tid, child_tid, tls) argument positions on x86_64.
constexpr int kCloneFlags = 0, kCloneStack = 1, kCloneParentTid = 2, kCloneChildTid = 3, kCloneTls = 4;

}  // namespace tsv::arch
