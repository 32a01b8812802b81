/* TCP on the sandbox's loopback: bind (ephemeral ports, EADDRINUSE,
 * SO_REUSEADDR), listen, blocking and non-blocking connect (EINPROGRESS,
 * SO_ERROR, ECONNREFUSED), accept, half-close, options reported back, IPv6
 * and IPv4-mapped addresses, a server in another process. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "net_util.h"

static struct sockaddr_in lo(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  return a;
}

static int portof(int s) {
  struct sockaddr_storage a;
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  return ntohs(a.ss_family == AF_INET ? ((struct sockaddr_in *)&a)->sin_port : ((struct sockaddr_in6 *)&a)->sin6_port);
}

static int listener(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = lo(port);
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) return -1;
  return s;
}

static void basics(void) {
  printf("-- basics\n");
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = lo(0);
  R("bind port 0", bind(l, (struct sockaddr *)&a, sizeof a));
  int port = portof(l);
  printf("ephemeral %d\n", port >= 1024);
  R("bind twice", bind(l, (struct sockaddr *)&a, sizeof a));
  int l2 = socket(AF_INET, SOCK_STREAM, 0);
  a = lo(port);
  R("bind in use", bind(l2, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(port)};
  R("bind any in use", bind(l2, (struct sockaddr *)&any, sizeof any));
  struct sockaddr_in far = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = inet_addr("192.0.2.1")};
  R("bind foreign", bind(l2, (struct sockaddr *)&far, sizeof far));
  R("bind short", bind(l2, (struct sockaddr *)&a, 8));
  close(l2);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  R("connect before listen", connect(c, (struct sockaddr *)&a, sizeof a));
  close(c);
  R("listen", listen(l, 8));
  int v;
  socklen_t vl = sizeof v;
  getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
  printf("acceptconn %d\n", v);
  c = socket(AF_INET, SOCK_STREAM, 0);
  R("getpeername unconnected", ({ struct sockaddr_in p; socklen_t pl = sizeof p; getpeername(c, (struct sockaddr *)&p, &pl); }));
  R("connect", connect(c, (struct sockaddr *)&a, sizeof a));
  R("connect again", connect(c, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in peer;
  socklen_t pl = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &pl);
  printf("accepted %d len %d family %d addr %s peer port is client's %d\n", s >= 0, (int)pl, peer.sin_family, inet_ntoa(peer.sin_addr), ntohs(peer.sin_port) == portof(c));
  struct sockaddr_in me;
  socklen_t ml = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &ml);
  printf("accepted local %s port same %d\n", inet_ntoa(me.sin_addr), ntohs(me.sin_port) == port);
  getsockname(c, (struct sockaddr *)&me, &ml);
  printf("client local %s\n", inet_ntoa(me.sin_addr));
  pl = sizeof peer;
  getpeername(c, (struct sockaddr *)&peer, &pl);
  printf("client peer %s port same %d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port) == port);
  R("write", write(c, "hello", 5));
  R("shutdown wr", shutdown(c, SHUT_WR));
  char buf[64];
  R("read", read(s, buf, sizeof buf));
  R("read eof", read(s, buf, sizeof buf));
  R("write back after half-close", write(s, "world", 5));
  R("read back", read(c, buf, sizeof buf));
  R("shutdown bad", shutdown(c, 7));
  close(s);
  R("read after peer close", read(c, buf, sizeof buf));
  close(c);
  int u = socket(AF_INET, SOCK_STREAM, 0);
  R("shutdown unconnected", shutdown(u, SHUT_RDWR));
  close(u);
  close(l);
  /* reuse right after close */
  l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  R("rebind after close", bind(l, (struct sockaddr *)&a, sizeof a));
  close(l);
  R("connect closed port", ({ int x = socket(AF_INET, SOCK_STREAM, 0); int r = connect(x, (struct sockaddr *)&a, sizeof a); close(x); r; }));
}

static void options(void) {
  printf("-- options\n");
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int v = 1, got;
  socklen_t l = sizeof got;
  R("nodelay", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v));
  getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &got, &l);
  printf("nodelay %d\n", got != 0);
  R("keepalive", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
  getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &got, &l);
  printf("keepalive %d\n", got);
  v = 30;
  R("keepidle", setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v));
  getsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &got, &l);
  printf("keepidle %d\n", got);
  v = 0;
  R("keepidle 0", setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v));
  getsockopt(s, SOL_SOCKET, SO_TYPE, &got, &l);
  printf("type %d\n", got);
  getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &got, &l);
  printf("protocol %d\n", got);
  getsockopt(s, SOL_SOCKET, SO_DOMAIN, &got, &l);
  printf("domain %d\n", got);
  getsockopt(s, SOL_SOCKET, SO_ERROR, &got, &l);
  printf("error %d\n", got);
  v = 1;
  R("reuseport", setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &v, sizeof v));
  getsockopt(s, SOL_SOCKET, SO_REUSEPORT, &got, &l);
  printf("reuseport %d\n", got);
  R("short option", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, 2));
  R("bad level", setsockopt(s, 12345, 1, &v, sizeof v));
  R("ipv6 level on v4", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v));
  struct timeval tv = {1, 500000};
  R("rcvtimeo", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  struct timeval tg;
  l = sizeof tg;
  getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tg, &l);
  printf("rcvtimeo %ld.%06ld\n", (long)tg.tv_sec, (long)tg.tv_usec);
  l = sizeof got;
  R("sndbuf", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){65536}, sizeof(int)));
  getsockopt(s, SOL_SOCKET, SO_SNDBUF, &got, &l);
  printf("sndbuf doubled %d\n", got == 131072);
  close(s);
  /* two listeners sharing a port with SO_REUSEPORT */
  int a = socket(AF_INET, SOCK_STREAM, 0), b = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(a, SOL_SOCKET, SO_REUSEPORT, &v, sizeof v);
  setsockopt(b, SOL_SOCKET, SO_REUSEPORT, &v, sizeof v);
  struct sockaddr_in ad = lo(0);
  bind(a, (struct sockaddr *)&ad, sizeof ad);
  ad = lo(portof(a));
  R("reuseport bind", bind(b, (struct sockaddr *)&ad, sizeof ad));
  close(a), close(b);
}

static void nonblocking(void) {
  printf("-- nonblocking\n");
  int l = listener(0);
  struct sockaddr_in a = lo(portof(l));
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct pollfd p = {c, POLLIN | POLLOUT, 0};
  poll(&p, 1, 0);
  printf("unconnected revents %#x\n", p.revents);
  R("connect", connect(c, (struct sockaddr *)&a, sizeof a));
  p.revents = 0;
  R("poll", poll(&p, 1, 5000));
  printf("revents %#x\n", p.revents);
  int e = -1;
  socklen_t el = sizeof e;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
  printf("so_error %s\n", en(e));
  int s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  printf("accepted %d cloexec %d\n", s >= 0, (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
  char b[8];
  R("read nothing", read(s, b, sizeof b));
  R("write", write(c, "x", 1));
  struct pollfd q = {s, POLLIN, 0};
  poll(&q, 1, 5000);
  R("read", read(s, b, sizeof b));
  close(s), close(c);
  int port = portof(l);
  close(l);
  /* refused, non-blocking */
  a = lo(port);
  c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  R("connect refused", connect(c, (struct sockaddr *)&a, sizeof a));
  p = (struct pollfd){c, POLLIN | POLLOUT, 0};
  R("poll refused", poll(&p, 1, 5000));
  printf("revents %#x\n", p.revents);
  e = -1;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
  printf("so_error %s\n", en(e));
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
  printf("so_error again %s\n", en(e));
  close(c);
  /* nonblocking accept with nobody */
  l = listener(0);
  fcntl(l, F_SETFL, O_NONBLOCK);
  R("accept empty", accept(l, NULL, NULL));
  close(l);
}

static void ipv6(void) {
  printf("-- ipv6\n");
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = in6addr_any};
  R("bind ::", bind(l, (struct sockaddr *)&a, sizeof a));
  listen(l, 4);
  int port = portof(l);
  int v6only = -1;
  socklen_t vl = sizeof v6only;
  getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &vl);
  printf("v6only %d\n", v6only);
  /* a v4 client reaches the dual-stack listener */
  int c = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a4 = lo(port);
  R("v4 connect to ::", connect(c, (struct sockaddr *)&a4, sizeof a4));
  struct sockaddr_in6 peer;
  socklen_t pl = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &pl);
  char txt[64];
  inet_ntop(AF_INET6, &peer.sin6_addr, txt, sizeof txt);
  printf("accepted %d family %d len %d peer %s\n", s >= 0, peer.sin6_family, (int)pl, txt);
  close(s), close(c);
  /* a v6 client to ::1 */
  c = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_addr = in6addr_loopback};
  R("connect ::1", connect(c, (struct sockaddr *)&to, sizeof to));
  pl = sizeof peer;
  s = accept(l, (struct sockaddr *)&peer, &pl);
  inet_ntop(AF_INET6, &peer.sin6_addr, txt, sizeof txt);
  printf("peer %s\n", txt);
  struct sockaddr_in6 me;
  socklen_t ml = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &ml);
  inet_ntop(AF_INET6, &me.sin6_addr, txt, sizeof txt);
  printf("local %s\n", txt);
  close(s), close(c);
  /* v4-mapped destination from a v6 socket */
  c = socket(AF_INET6, SOCK_STREAM, 0);
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &to.sin6_addr);
  R("connect mapped", connect(c, (struct sockaddr *)&to, sizeof to));
  ml = sizeof me;
  getsockname(c, (struct sockaddr *)&me, &ml);
  inet_ntop(AF_INET6, &me.sin6_addr, txt, sizeof txt);
  printf("mapped local %s\n", txt);
  close(c);
  close(l);
  /* v6only listener does not take v4 */
  l = socket(AF_INET6, SOCK_STREAM, 0);
  int one = 1;
  R("set v6only", setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
  a.sin6_port = 0;
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 4);
  a4 = lo(portof(l));
  R("v4 to v6only", ({ int x = socket(AF_INET, SOCK_STREAM, 0); int r = connect(x, (struct sockaddr *)&a4, sizeof a4); close(x); r; }));
  R("set v6only after bind", setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
  close(l);
}

static void processes(void) {
  printf("-- two processes\n");
  int l = listener(0);
  struct sockaddr_in a = lo(portof(l));
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 20; i++) {
      int c = socket(AF_INET, SOCK_STREAM, 0);
      if (connect(c, (struct sockaddr *)&a, sizeof a)) _exit(1);
      char b[4096];
      memset(b, 'a' + i, sizeof b);
      for (int k = 0; k < 64; k++)
        if (write(c, b, sizeof b) != sizeof b) _exit(2);
      shutdown(c, SHUT_WR);
      char r[8];
      if (read(c, r, sizeof r) != 2) _exit(3);
      close(c);
    }
    _exit(0);
  }
  long total = 0;
  for (int i = 0; i < 20; i++) {
    int s = accept(l, NULL, NULL);
    char b[65536];
    ssize_t n;
    while ((n = read(s, b, sizeof b)) > 0) total += n;
    write(s, "ok", 2);
    close(s);
  }
  int st;
  waitpid(child, &st, 0);
  printf("bytes %ld child %d\n", total, WEXITSTATUS(st));
  close(l);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGPIPE, SIG_IGN);
  basics();
  options();
  nonblocking();
  ipv6();
  processes();
  return 0;
}
