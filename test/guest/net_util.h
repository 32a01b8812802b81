/* Helpers for the net_* differential programs: print results as facts that
 * are the same natively and in the sandbox (errno names, relations). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *en(int e) {
  switch (e) {
    case 0: return "0";
    case EAGAIN: return "EAGAIN";
    case EINPROGRESS: return "EINPROGRESS";
    case EALREADY: return "EALREADY";
    case EISCONN: return "EISCONN";
    case ENOTCONN: return "ENOTCONN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EPIPE: return "EPIPE";
    case EBADF: return "EBADF";
    case ENOTSOCK: return "ENOTSOCK";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EPROTOTYPE: return "EPROTOTYPE";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case ENETUNREACH: return "ENETUNREACH";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EFAULT: return "EFAULT";
    case ECONNRESET: return "ECONNRESET";
    case EMSGSIZE: return "EMSGSIZE";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    default: return strerror(e);
  }
}

/* R("label", call): prints "label = result" or "label = -1 ENAME". */
#define R(label, expr)                                                   \
  do {                                                                   \
    errno = 0;                                                           \
    long r_ = (long)(expr);                                              \
    if (r_ < 0) printf("%s = -1 %s\n", label, en(errno));                \
    else printf("%s = %ld\n", label, r_);                                \
  } while (0)

/* OK("label", call): prints "label ok" or the errno; for calls whose value is not deterministic. */
#define OK(label, expr)                                                  \
  do {                                                                   \
    errno = 0;                                                           \
    long r_ = (long)(expr);                                              \
    if (r_ < 0) printf("%s = -1 %s\n", label, en(errno));                \
    else printf("%s ok\n", label);                                       \
  } while (0)
