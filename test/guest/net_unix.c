/* AF_UNIX: stream, dgram and seqpacket; path, abstract and unnamed sockets;
 * SO_PEERCRED with the pids this program knows; SCM_RIGHTS between processes;
 * SCM_CREDENTIALS; MSG_PEEK/TRUNC/DONTWAIT/WAITALL; errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "net_util.h"

static socklen_t mkaddr(struct sockaddr_un *a, const char *path, int abstract) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (abstract) {
    memcpy(a->sun_path + 1, path, strlen(path));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
  }
  strcpy(a->sun_path, path);
  return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static int sendfd(int s, int fd, const char *data) {
  char ctl[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {(void *)data, strlen(data)};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(s, &m, 0);
}

static int recvfd(int s, char *buf, size_t len, int *flags) {
  char ctl[CMSG_SPACE(sizeof(int) * 4)];
  struct iovec iov = {buf, len};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  ssize_t n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
  if (n < 0) return -1;
  buf[n] = 0;
  *flags = m.msg_flags;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int fd;
      memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return fd;
    }
  return -2;
}

static void stream_tests(int type, const char *name) {
  printf("-- %s\n", name);
  struct sockaddr_un a, got;
  socklen_t len = mkaddr(&a, "/tmp/net_unix.sock", 0);
  unlink(a.sun_path);
  int l = socket(AF_UNIX, type, 0);
  R("listen unbound", listen(l, 5));
  R("bind", bind(l, (struct sockaddr *)&a, len));
  R("bind again", bind(l, (struct sockaddr *)&a, len));
  struct stat st;
  R("stat", stat(a.sun_path, &st));
  printf("is socket: %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
  int l2 = socket(AF_UNIX, type, 0);
  R("bind in use", bind(l2, (struct sockaddr *)&a, len));
  close(l2);
  int c0 = socket(AF_UNIX, type, 0);
  R("connect before listen", connect(c0, (struct sockaddr *)&a, len));
  close(c0);
  R("listen", listen(l, 5));
  int acc;
  socklen_t ol = sizeof acc;
  getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &acc, &ol);
  printf("acceptconn %d\n", acc);
  int t;
  ol = sizeof t;
  getsockopt(l, SOL_SOCKET, SO_TYPE, &t, &ol);
  printf("type ok %d\n", t == type);
  len = sizeof got;
  R("getsockname", getsockname(l, (struct sockaddr *)&got, &len));
  printf("name %s len %d\n", got.sun_path, (int)len);
  pid_t child = fork();
  if (child == 0) {
    int c = socket(AF_UNIX, type, 0);
    struct sockaddr_un b;
    socklen_t bl = mkaddr(&b, "/tmp/net_unix.sock", 0);
    if (connect(c, (struct sockaddr *)&b, bl)) _exit(1);
    struct ucred cr;
    socklen_t cl = sizeof cr;
    getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
    if (cr.pid != getppid()) _exit(2);
    write(c, "ping", 4);
    char buf[16];
    if (read(c, buf, sizeof buf) != 4) _exit(3);
    /* a pipe's read end, sent to the parent, who reads what we write here */
    int p[2];
    pipe(p);
    if (sendfd(c, p[0], "fd") < 0) _exit(4);
    close(p[0]);
    write(p[1], "through the pipe", 16);
    close(p[1]);
    shutdown(c, SHUT_WR);
    read(c, buf, sizeof buf);
    _exit(0);
  }
  int s = accept(l, NULL, NULL);
  printf("accepted %d\n", s >= 0);
  struct ucred cr;
  socklen_t cl = sizeof cr;
  getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &cl);
  printf("peer pid is child: %d, uid %d gid %d\n", cr.pid == child, cr.uid, cr.gid);
  len = sizeof got;
  getpeername(s, (struct sockaddr *)&got, &len);
  printf("peername len %d\n", (int)len);
  char buf[64];
  R("peek", recv(s, buf, 2, MSG_PEEK));
  R("read", read(s, buf, 4));
  write(s, "pong", 4);
  int fl = 0;
  int fd = recvfd(s, buf, sizeof buf - 1, &fl);
  printf("got fd %d data %s flags %d\n", fd >= 0, buf, fl);
  printf("cloexec %d\n", fd >= 0 ? (fcntl(fd, F_GETFD) & FD_CLOEXEC) : -1);
  int n = read(fd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("pipe says %s\n", buf);
  R("eof", read(s, buf, sizeof buf));
  R("dontwait after eof", recv(s, buf, 1, MSG_DONTWAIT));
  close(s);
  int st2;
  waitpid(child, &st2, 0);
  printf("child exit %d\n", WEXITSTATUS(st2));
  close(l);
  R("connect after close", ({ int c = socket(AF_UNIX, type, 0); int r = connect(c, (struct sockaddr *)&a, mkaddr(&a, "/tmp/net_unix.sock", 0)); close(c); r; }));
  unlink("/tmp/net_unix.sock");
}

static void abstract_tests(void) {
  printf("-- abstract\n");
  struct sockaddr_un a, got;
  socklen_t len = mkaddr(&a, "tsv-test", 1);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  R("bind", bind(l, (struct sockaddr *)&a, len));
  int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
  R("bind in use", bind(l2, (struct sockaddr *)&a, len));
  listen(l, 1);
  int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  R("connect", connect(c, (struct sockaddr *)&a, len));
  int s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
  printf("accepted %d nonblock %d\n", s >= 0, (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
  char b;
  R("nonblocking read", read(s, &b, 1));
  fcntl(l, F_SETFL, O_NONBLOCK);
  R("accept empty", accept4(l, NULL, NULL, SOCK_NONBLOCK));
  len = sizeof got;
  getsockname(l, (struct sockaddr *)&got, &len);
  printf("abstract name len %d first byte %d\n", (int)len, got.sun_path[0]);
  /* autobind */
  int x = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un u = {.sun_family = AF_UNIX};
  R("autobind", bind(x, (struct sockaddr *)&u, sizeof(sa_family_t)));
  len = sizeof got;
  getsockname(x, (struct sockaddr *)&got, &len);
  printf("autobind len %d\n", (int)len);
  close(x), close(s), close(c), close(l), close(l2);
  R("connect missing", ({ int y = socket(AF_UNIX, SOCK_STREAM, 0); int r = connect(y, (struct sockaddr *)&a, mkaddr(&a, "nobody-here", 1)); close(y); r; }));
  R("connect missing path", ({ int y = socket(AF_UNIX, SOCK_STREAM, 0); int r = connect(y, (struct sockaddr *)&a, mkaddr(&a, "/tmp/nope/x", 0)); close(y); r; }));
}

static void dgram_tests(void) {
  printf("-- dgram\n");
  struct sockaddr_un a, b, got;
  socklen_t la = mkaddr(&a, "/tmp/net_unix.a", 0), lb = mkaddr(&b, "/tmp/net_unix.b", 0);
  unlink(a.sun_path), unlink(b.sun_path);
  int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM, 0);
  R("bind a", bind(x, (struct sockaddr *)&a, la));
  R("bind b", bind(y, (struct sockaddr *)&b, lb));
  R("send unconnected", send(x, "x", 1, 0));
  R("sendto", sendto(x, "hello", 5, 0, (struct sockaddr *)&b, lb));
  R("sendto 2", sendto(x, "world!", 6, 0, (struct sockaddr *)&b, lb));
  char buf[64];
  socklen_t gl = sizeof got;
  R("recvfrom", recvfrom(y, buf, sizeof buf, 0, (struct sockaddr *)&got, &gl));
  printf("from %s len %d\n", got.sun_path, (int)gl);
  R("recv trunc", recv(y, buf, 3, MSG_TRUNC));
  R("recv empty", recv(y, buf, 3, MSG_DONTWAIT));
  /* descriptors on a datagram sent to an address */
  int p2[2];
  pipe(p2);
  write(p2[1], "dgram-fd", 8);
  close(p2[1]);
  {
    char ctl[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iv = {"m", 1};
    struct msghdr m = {.msg_name = &b, .msg_namelen = lb, .msg_iov = &iv, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p2[0], sizeof(int));
    R("sendmsg fd to address", sendmsg(x, &m, 0));
    int fl = 0;
    int fd = recvfd(y, buf, sizeof buf - 1, &fl);
    int n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    buf[n > 0 ? n : 0] = 0;
    printf("dgram fd %d says %s\n", fd >= 0, buf);
    if (fd >= 0) close(fd);
    /* two descriptors, room for one: the other is dropped, MSG_CTRUNC */
    int two[2] = {p2[0], p2[0]};
    m.msg_controllen = CMSG_SPACE(2 * sizeof(int));
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    memcpy(CMSG_DATA(c), two, sizeof two);
    R("sendmsg two fds", sendmsg(x, &m, 0));
    char small[CMSG_SPACE(sizeof(int))];
    struct iovec riv = {buf, sizeof buf};
    struct msghdr r = {.msg_iov = &riv, .msg_iovlen = 1, .msg_control = small, .msg_controllen = CMSG_LEN(sizeof(int))};
    R("recvmsg small control", recvmsg(y, &r, 0));
    c = CMSG_FIRSTHDR(&r);
    printf("ctrunc %d fds %d\n", (r.msg_flags & MSG_CTRUNC) != 0, c ? (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0);
    R("sendmsg bad fd", ({ int bad = 999; memcpy(CMSG_DATA(c ? c : CMSG_FIRSTHDR(&m)), &bad, sizeof bad); m.msg_controllen = CMSG_SPACE(sizeof(int)); CMSG_FIRSTHDR(&m)->cmsg_len = CMSG_LEN(sizeof(int)); memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), &bad, sizeof bad); sendmsg(x, &m, 0); }));
    close(p2[0]);
  }
  R("connect", connect(y, (struct sockaddr *)&a, la));
  R("send connected", send(y, "back", 4, 0));
  gl = sizeof got;
  R("recvfrom back", recvfrom(x, buf, sizeof buf, 0, (struct sockaddr *)&got, &gl));
  printf("from %s\n", got.sun_path);
  int z = socket(AF_UNIX, SOCK_DGRAM, 0);
  R("unnamed sendto", sendto(z, "anon", 4, 0, (struct sockaddr *)&a, la));
  gl = sizeof got;
  R("recvfrom unnamed", recvfrom(x, buf, sizeof buf, 0, (struct sockaddr *)&got, &gl));
  printf("unnamed len %d\n", (int)gl);
  int st = socket(AF_UNIX, SOCK_STREAM, 0);
  R("connect stream to dgram", connect(st, (struct sockaddr *)&a, la));
  close(x), close(y), close(z), close(st);
  R("sendto closed", ({ int w = socket(AF_UNIX, SOCK_DGRAM, 0); int r = sendto(w, "x", 1, 0, (struct sockaddr *)&a, la); close(w); r; }));
  unlink(a.sun_path), unlink(b.sun_path);
}

static void pair_tests(void) {
  printf("-- socketpair\n");
  int sv[2];
  R("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
  R("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
  write(sv[0], "abc", 3), write(sv[0], "defgh", 5);
  char buf[16];
  R("seqpacket 1", read(sv[1], buf, sizeof buf));
  struct iovec iov = {buf, 2};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
  R("seqpacket trunc", recvmsg(sv[1], &m, 0));
  printf("msg_flags trunc %d\n", (m.msg_flags & MSG_TRUNC) != 0);
  close(sv[0]), close(sv[1]);
  R("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  struct ucred cr;
  socklen_t cl = sizeof cr;
  getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &cl);
  printf("pair peer is me %d\n", cr.pid == getpid());
  int one = 1;
  R("passcred", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
  int go[2];
  pipe(go);
  pid_t child = fork();
  if (child == 0) {
    char x;
    write(sv[0], "c", 1);
    read(go[0], &x, 1); /* stay alive until the parent has the message */
    _exit(0);
  }
  char ctl[CMSG_SPACE(sizeof cr)];
  iov.iov_len = 1;
  m = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  R("recv creds", recvmsg(sv[1], &m, 0));
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  if (c && c->cmsg_type == SCM_CREDENTIALS) {
    memcpy(&cr, CMSG_DATA(c), sizeof cr);
    printf("creds pid is child %d uid %d\n", cr.pid == child, cr.uid);
  } else printf("no creds\n");
  write(go[1], "x", 1);
  waitpid(child, NULL, 0);
  R("send wait all", write(sv[0], "12345678", 8));
  R("recv waitall", recv(sv[1], buf, 8, MSG_WAITALL));
  close(sv[0]);
  R("write to closed", ({ signal(SIGPIPE, SIG_IGN); write(sv[1], "x", 1); }));
  close(sv[1]);
  R("socket bad type", socket(AF_UNIX, 17, 0));
  R("socket bad proto", socket(AF_UNIX, SOCK_STREAM, 7));
  R("socket bad family", socket(1234, SOCK_STREAM, 0));
  R("getsockname on file", ({ struct sockaddr_un s; socklen_t l = sizeof s; int f = open("/", O_RDONLY); int r = getsockname(f, (struct sockaddr *)&s, &l); close(f); r; }));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  stream_tests(SOCK_STREAM, "stream");
  stream_tests(SOCK_SEQPACKET, "seqpacket");
  abstract_tests();
  dgram_tests();
  pair_tests();
  return 0;
}
