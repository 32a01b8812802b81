// Layout of the shared trap buffer (an Int32Array owned by JS) and the
// sentinel results a trap handler may return. Mirrored in src/platform/trap-abi.ts.
#pragma once

namespace tsv {

enum TrapSlot : int {
  kTrapTid = 0,
  kTrapNr = 1,
  kTrapArgs = 2,  // 6 x (lo, hi)
  kTrapIdLo = 14,
  kTrapIdHi = 15,
  kTrapArch = 16,
  kTrapIpLo = 17,
  kTrapIpHi = 18,
  kTrapLfd = 19,  // the listener the notification came from (processes spawned later have their own)
  kTrapSlots = 20,
};

// Results outside the syscall ABI's range [-4095, 2^53) that mean something to us.
constexpr double kTrapDefer = -268435457.0;     // the handler will reply later
constexpr double kTrapContinue = -268435458.0;  // let the kernel run the call as issued
constexpr double kTrapReplied = -268435459.0;   // the handler already replied (ADDFD_FLAG_SEND)

}  // namespace tsv
