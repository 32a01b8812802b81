/*
 * The contract between the sentry and the guest-side loader (native/loader).
 * Shared by the loader (freestanding C), the addon (C++) and mirrored in
 * src/platform/loader-abi.ts. Change all three together and bump the version.
 */
#ifndef TSVISOR_ABI_H
#define TSVISOR_ABI_H

/* The loader's one private system call. The number is far above any Linux
 * syscall, so the filter traps it as "unknown"; the sentry answers it only for
 * a task whose exec it has prepared, everyone else gets ENOSYS. */
#define TSV_NR_LOADER 0x7473
#define TSV_LOADER_OP_HELLO 1

/* The holder of a sandbox's pid namespace (native/addon/tracer.cc) execs the
 * loader from fd 1 with this one argument, and the loader then only waits for
 * end-of-file on fd 0 (its lifeline). A guest's exec always runs the loader
 * from the reserved slot near the top of its fd table (the tracer rewrites
 * every execve), so the kernel's AT_EXECFN of a guest is never TSV_HOLD_EXECFN:
 * no guest can enter this mode. */
#define TSV_HOLD_ARGV0 "tsvisor-pidns"
#define TSV_HOLD_EXECFN "/dev/fd/1"

#define TSV_IMAGE_MAGIC 0x31565354u /* "TSV1" */
#define TSV_IMAGE_VERSION 1

/* Where the sentry installs the program and interpreter (ADDFD) for the loader
 * to map. Counted down from the top of the host's fd table; the loader learns
 * the actual numbers from the image header, never assumes them. */

/* Header of the image block the sentry writes into the loader's buffer.
 * All offsets are from the start of the block; all strings NUL-terminated. */
struct tsv_image_elf {
  unsigned long long entry;   /* e_entry */
  unsigned long long phoff;   /* e_phoff, for AT_PHDR when there is no PT_PHDR */
  unsigned int type;          /* e_type: ET_EXEC or ET_DYN */
  unsigned int phnum;
  unsigned int phentsize;
  int fd;                     /* where the sentry installed the file, -1 if none */
  unsigned int phdrs_off;     /* raw program headers (phnum * phentsize bytes) */
  unsigned int pad;
};

struct tsv_image {
  unsigned int magic;
  unsigned int version;
  unsigned int size;          /* bytes the full block needs */
  unsigned int argc;
  unsigned int envc;
  unsigned int strings_off;   /* argv strings, then envp strings, packed */
  unsigned int strings_len;
  unsigned int execfn_off;    /* AT_EXECFN string */
  unsigned int comm_off;      /* task name for PR_SET_NAME */
  unsigned int has_interp;
  unsigned long long uid, euid, gid, egid;
  unsigned long long secure;
  struct tsv_image_elf prog;
  struct tsv_image_elf interp;
};

#endif
