/* Architecture glue of the loader. One section per architecture. */
#ifndef TSV_LOADER_ARCH_H
#define TSV_LOADER_ARCH_H

#if defined(__x86_64__)

#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_CLOSE 3
#define SYS_MMAP 9
#define SYS_MPROTECT 10
#define SYS_MUNMAP 11
#define SYS_PRCTL 157
#define SYS_EXIT_GROUP 231

static inline long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
static inline long sys3(long n, long a, long b, long c) { return sys6(n, a, b, c, 0, 0, 0); }
static inline long sys2(long n, long a, long b) { return sys6(n, a, b, 0, 0, 0, 0); }
static inline long sys1(long n, long a) { return sys6(n, a, 0, 0, 0, 0, 0); }

/* Enter the program as the kernel would: rsp at argc, rdx = 0 (no atexit
 * function for static binaries), everything else zero. */
static inline __attribute__((noreturn)) void arch_jump(unsigned long *sp, unsigned long entry) {
  __asm__ volatile(
      "mov %0, %%rsp\n"
      "xor %%ebx, %%ebx\n xor %%ecx, %%ecx\n xor %%edx, %%edx\n"
      "xor %%esi, %%esi\n xor %%edi, %%edi\n xor %%ebp, %%ebp\n"
      "xor %%r8d, %%r8d\n xor %%r9d, %%r9d\n xor %%r10d, %%r10d\n xor %%r11d, %%r11d\n"
      "xor %%r12d, %%r12d\n xor %%r13d, %%r13d\n xor %%r14d, %%r14d\n xor %%r15d, %%r15d\n"
      "jmp *%%rax\n"
      :
      : "r"(sp), "a"(entry)
      : "memory");
  __builtin_unreachable();
}

__asm__(
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    "  xor %ebp, %ebp\n"
    "  mov %rsp, %rdi\n"
    "  and $-16, %rsp\n"
    "  call loader_main\n"
    "  hlt\n");

#else
#error "tsvisor-loader: unsupported architecture (add a section to arch.h)"
#endif

#endif
