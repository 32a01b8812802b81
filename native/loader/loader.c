/*
 * tsvisor-loader: the only program the host kernel ever executes for a guest.
 *
 * The sentry resolves a guest's execve in its own VFS (path, #! lines, ELF
 * interpreter) and then lets the host execveat() this loader by fd. The loader
 * asks the sentry for the image it should become (one private system call,
 * TSV_NR_LOADER); the sentry installs the program and interpreter as fds and
 * writes argv, envp, credentials and the parsed program headers into our
 * buffer. We map the segments, build the stack and auxv the way the kernel
 * would, and jump. Freestanding: no libc, no relocations, raw syscalls only.
 */
#include "../include/tsvisor_abi.h"
#include "arch.h"

typedef unsigned long ulong;
typedef unsigned char u8;

#define PAGE 4096UL
#define TRUNC(x) ((x) & ~(PAGE - 1))
#define ROUND(x) (((x) + PAGE - 1) & ~(PAGE - 1))

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define PR_SET_NAME 15

#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_SECURE 23
#define AT_EXECFN 31

struct phdr {
  unsigned int p_type, p_flags;
  ulong p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* The compiler may emit calls to these even in freestanding code. */
void *memcpy(void *d, const void *s, ulong n) {
  u8 *a = d;
  const u8 *b = s;
  while (n--) *a++ = *b++;
  return d;
}
void *memset(void *d, int c, ulong n) {
  u8 *a = d;
  while (n--) *a++ = (u8)c;
  return d;
}

static ulong slen(const char *s) {
  ulong n = 0;
  while (s[n]) n++;
  return n;
}

static long is_err(long r) { return r < 0 && r > -4096; }

static __attribute__((noreturn)) void die(const char *what, long err) {
  static const char pre[] = "tsvisor-loader: ";
  sys3(SYS_WRITE, 2, (long)pre, sizeof pre - 1);
  sys3(SYS_WRITE, 2, (long)what, (long)slen(what));
  char num[24];
  int i = 23;
  num[i] = '\n';
  ulong e = (ulong)(err < 0 ? -err : err);
  do { num[--i] = (char)('0' + e % 10); e /= 10; } while (e && i > 1);
  num[--i] = ' ';
  sys3(SYS_WRITE, 2, (long)(num + i), 24 - i);
  sys1(SYS_EXIT_GROUP, 127);
  for (;;) {}
}

static long map(ulong addr, ulong len, int prot, int flags, int fd, ulong off) {
  return sys6(SYS_MMAP, (long)addr, (long)len, prot, flags, fd, (long)off);
}

static int prot_of(unsigned int f) {
  return ((f & PF_R) ? PROT_READ : 0) | ((f & PF_W) ? PROT_WRITE : 0) | ((f & PF_X) ? PROT_EXEC : 0);
}

/* Maps one ELF image the way binfmt_elf does; returns the load bias. */
static ulong map_elf(const struct tsv_image_elf *e, const u8 *blk, ulong *phdr_addr) {
  const struct phdr *ph = (const struct phdr *)(blk + e->phdrs_off);
  ulong lo = ~0UL, hi = 0;
  for (unsigned i = 0; i < e->phnum; i++) {
    if (ph[i].p_type != PT_LOAD) continue;
    if (TRUNC(ph[i].p_vaddr) < lo) lo = TRUNC(ph[i].p_vaddr);
    if (ROUND(ph[i].p_vaddr + ph[i].p_memsz) > hi) hi = ROUND(ph[i].p_vaddr + ph[i].p_memsz);
  }
  if (hi <= lo) die("no loadable segment", 8);
  long r;
  ulong bias;
  if (e->type == ET_DYN) {
    r = map(0, hi - lo, 0, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(r)) die("reserve", r);
    bias = (ulong)r - lo;
  } else {
    r = map(lo, hi - lo, 0, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (is_err(r) || (ulong)r != lo) die("fixed address in use", is_err(r) ? r : 17);
    bias = 0;
  }
  for (unsigned i = 0; i < e->phnum; i++) {
    const struct phdr *p = &ph[i];
    if (p->p_type != PT_LOAD || p->p_memsz == 0) continue;
    int prot = prot_of(p->p_flags);
    ulong start = TRUNC(p->p_vaddr) + bias;
    ulong file_end = p->p_vaddr + p->p_filesz + bias;
    ulong mem_end = p->p_vaddr + p->p_memsz + bias;
    ulong anon_from = start;
    if (p->p_filesz) {
      int fprot = prot;
      int partial = p->p_memsz > p->p_filesz && (file_end & (PAGE - 1));
      if (partial) fprot |= PROT_WRITE;
      r = map(start, ROUND(file_end) - start, fprot, MAP_PRIVATE | MAP_FIXED, e->fd, TRUNC(p->p_offset));
      if (is_err(r)) die("map segment", r);
      if (partial) {
        memset((void *)file_end, 0, ROUND(file_end) - file_end);
        if (fprot != prot) sys3(SYS_MPROTECT, (long)start, (long)(ROUND(file_end) - start), prot);
      }
      anon_from = ROUND(file_end);
    }
    if (ROUND(mem_end) > anon_from) {
      r = map(anon_from, ROUND(mem_end) - anon_from, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (is_err(r)) die("map bss", r);
    }
  }
  *phdr_addr = 0;
  for (unsigned i = 0; i < e->phnum; i++)
    if (ph[i].p_type == PT_PHDR) *phdr_addr = ph[i].p_vaddr + bias;
  if (!*phdr_addr)
    for (unsigned i = 0; i < e->phnum; i++)
      if (ph[i].p_type == PT_LOAD && e->phoff >= ph[i].p_offset && e->phoff < ph[i].p_offset + ph[i].p_filesz)
        *phdr_addr = ph[i].p_vaddr + (e->phoff - ph[i].p_offset) + bias;
  return bias;
}

static int streq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* The pid namespace's holder (TSV_HOLD_ARGV0): pid 1 of the guests' pid
 * namespace, which must only exist. Its signals are blocked (its parent did
 * that); it ends when its lifeline (fd 0) reaches end-of-file, that is when
 * the sentry's process is gone, or when the tracer kills it. Exec'ing this
 * small program drops the copy of the sentry's memory it was forked with. */
static __attribute__((noreturn)) void hold(void) {
  sys2(SYS_PRCTL, PR_SET_NAME, (long)TSV_HOLD_ARGV0);
  char c;
  for (;;) {
    long r = sys3(SYS_READ, 0, (long)&c, 1);
    if (r == 0 || (r < 0 && r != -4 /* EINTR */)) sys1(SYS_EXIT_GROUP, 0);
  }
}

/* Asks the sentry for our image; grows the buffer once if it says so. */
static u8 *hello(void) {
  ulong len = 64 * 1024;
  for (int tries = 0; tries < 3; tries++) {
    long b = map(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(b)) die("buffer", b);
    long r = sys3(TSV_NR_LOADER, TSV_LOADER_OP_HELLO, b, (long)len);
    if (r == 0) return (u8 *)b;
    sys2(SYS_MUNMAP, b, (long)len);
    if (r < 0) die("no image from the sentry", r);
    len = ROUND((ulong)r);
  }
  die("image keeps growing", 7);
}

__attribute__((used)) void loader_main(ulong *sp) {
  ulong argc0 = sp[0];
  ulong *kauxv = sp + 1 + argc0 + 1;
  while (*kauxv) kauxv++;
  kauxv++;
  for (ulong *a = kauxv; a[0] != AT_NULL; a += 2)
    if (a[0] == AT_EXECFN && argc0 == 1 && streq((const char *)sp[1], TSV_HOLD_ARGV0) &&
        streq((const char *)a[1], TSV_HOLD_EXECFN))
      hold();

  u8 *blk = hello();
  const struct tsv_image *img = (const struct tsv_image *)blk;
  if (img->magic != TSV_IMAGE_MAGIC || img->version != TSV_IMAGE_VERSION) die("image version", 22);

  ulong prog_phdr, interp_phdr = 0;
  ulong prog_bias = map_elf(&img->prog, blk, &prog_phdr);
  ulong interp_bias = 0, entry = img->prog.entry + prog_bias;
  if (img->has_interp) {
    interp_bias = map_elf(&img->interp, blk, &interp_phdr);
    entry = img->interp.entry + interp_bias;
  }
  if (img->prog.fd >= 0) sys1(SYS_CLOSE, img->prog.fd);
  if (img->has_interp && img->interp.fd >= 0) sys1(SYS_CLOSE, img->interp.fd);

  /* New stack, built well below our own frames: strings on top, then the
   * auxv/envp/argv vector, argc at the 16-byte aligned bottom. */
  ulong top = ((ulong)&argc0 - 64 * 1024) & ~15UL;
  const char *execfn = (const char *)blk + img->execfn_off;
  ulong efl = slen(execfn) + 1;
  char *strs = (char *)(top - img->strings_len - efl);
  memcpy(strs, blk + img->strings_off, img->strings_len);
  char *efn = strs + img->strings_len;
  memcpy(efn, execfn, efl);

  ulong nkaux = 0;
  for (ulong *a = kauxv; a[0] != AT_NULL; a += 2) nkaux++;
  ulong nvec = 1 + img->argc + 1 + img->envc + 1 + 2 * (nkaux + 16);
  ulong *vec = (ulong *)(((ulong)strs - nvec * 8) & ~15UL);

  ulong *v = vec;
  *v++ = img->argc;
  char *s = strs;
  for (unsigned i = 0; i < img->argc; i++) { *v++ = (ulong)s; s += slen(s) + 1; }
  *v++ = 0;
  for (unsigned i = 0; i < img->envc; i++) { *v++ = (ulong)s; s += slen(s) + 1; }
  *v++ = 0;
#define AUX(k, val) do { *v++ = (k); *v++ = (ulong)(val); } while (0)
  AUX(AT_PHDR, prog_phdr);
  AUX(AT_PHENT, img->prog.phentsize);
  AUX(AT_PHNUM, img->prog.phnum);
  AUX(AT_BASE, interp_bias);
  AUX(AT_FLAGS, 0);
  AUX(AT_ENTRY, img->prog.entry + prog_bias);
  AUX(AT_UID, img->uid);
  AUX(AT_EUID, img->euid);
  AUX(AT_GID, img->gid);
  AUX(AT_EGID, img->egid);
  AUX(AT_SECURE, img->secure);
  AUX(AT_EXECFN, efn);
  for (ulong *a = kauxv; a[0] != AT_NULL; a += 2) {
    switch (a[0]) {
      case AT_PHDR: case AT_PHENT: case AT_PHNUM: case AT_BASE: case AT_FLAGS: case AT_ENTRY:
      case AT_UID: case AT_EUID: case AT_GID: case AT_EGID: case AT_SECURE: case AT_EXECFN:
        break;
      default: /* AT_SYSINFO_EHDR, AT_HWCAP(2), AT_PAGESZ, AT_CLKTCK, AT_RANDOM, AT_PLATFORM, ... */
        AUX(a[0], a[1]);
    }
  }
  AUX(AT_NULL, 0);

  const char *comm = (const char *)blk + img->comm_off;
  sys2(SYS_PRCTL, PR_SET_NAME, (long)comm);
  sys2(SYS_MUNMAP, (long)blk, (long)ROUND(img->size));
  arch_jump(vec, entry);
}
