/* Readiness on every socket kind, seen by poll, epoll and select: listeners
 * (accept readiness), connecting and connected streams, half-closed and
 * closed peers, datagram sockets, socketpairs. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "net_util.h"

static int ev_poll(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
  poll(&p, 1, 0);
  return p.revents;
}

static int ev_epoll(int fd) {
  int e = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.fd = fd};
  epoll_ctl(e, EPOLL_CTL_ADD, fd, &ev);
  struct epoll_event out;
  int n = epoll_wait(e, &out, 1, 0);
  close(e);
  return n > 0 ? (int)out.events : 0;
}

static const char *ev_select(int fd) {
  fd_set r, w;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_SET(fd, &r);
  FD_SET(fd, &w);
  struct timeval tv = {0, 0};
  select(fd + 1, &r, &w, NULL, &tv);
  return FD_ISSET(fd, &r) ? (FD_ISSET(fd, &w) ? "rw" : "r") : (FD_ISSET(fd, &w) ? "w" : "-");
}

static void show(const char *what, int fd) {
  printf("%-28s poll %#06x epoll %#06x select %s\n", what, ev_poll(fd), ev_epoll(fd), ev_select(fd));
}

/* Waits until fd is readable (so the state printed next is settled). */
static void settle(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  poll(&p, 1, 5000);
}

static void stream(int family) {
  printf("-- %s stream\n", family == AF_INET ? "tcp" : family == AF_INET6 ? "tcp6" : "unix");
  struct sockaddr_storage ss = {0};
  socklen_t len;
  if (family == AF_UNIX) {
    struct sockaddr_un *u = (struct sockaddr_un *)&ss;
    u->sun_family = AF_UNIX;
    strcpy(u->sun_path + 1, "net_poll");
    len = sizeof(sa_family_t) + 1 + 8;
  } else if (family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof *a;
  }
  int l = socket(family, SOCK_STREAM, 0);
  show("new", l);
  bind(l, (struct sockaddr *)&ss, len);
  listen(l, 4);
  show("listening, empty", l);
  len = sizeof ss;
  getsockname(l, (struct sockaddr *)&ss, &len);
  int c = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(c, (struct sockaddr *)&ss, len);
  printf("connect %s\n", r == 0 ? "0" : en(errno));
  struct pollfd p = {c, POLLOUT, 0};
  poll(&p, 1, 5000);
  settle(l);
  show("listening, one pending", l);
  show("client connected", c);
  int s = accept(l, NULL, NULL);
  show("listening, accepted", l);
  show("server side", s);
  write(c, "x", 1);
  settle(s);
  show("server with data", s);
  shutdown(c, SHUT_WR);
  char b[4];
  read(s, b, 1);
  settle(s);
  show("server, client shut wr", s);
  show("client after shut wr", c);
  close(s);
  settle(c);
  show("client, server closed", c);
  close(c);
  close(l);
}

static void dgram(int family) {
  printf("-- %s dgram\n", family == AF_INET ? "udp" : "unix");
  int x = socket(family, SOCK_DGRAM, 0), y = socket(family, SOCK_DGRAM, 0);
  show("new", x);
  struct sockaddr_storage ss = {0};
  socklen_t len;
  if (family == AF_UNIX) {
    struct sockaddr_un *u = (struct sockaddr_un *)&ss;
    u->sun_family = AF_UNIX;
    strcpy(u->sun_path + 1, "net_poll_dgram");
    len = sizeof(sa_family_t) + 1 + 14;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  }
  bind(x, (struct sockaddr *)&ss, len);
  len = sizeof ss;
  getsockname(x, (struct sockaddr *)&ss, &len);
  show("bound", x);
  sendto(y, "d", 1, 0, (struct sockaddr *)&ss, len);
  settle(x);
  show("with a datagram", x);
  char b[4];
  recv(x, b, sizeof b, 0);
  show("drained", x);
  close(x), close(y);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  stream(AF_INET);
  stream(AF_INET6);
  stream(AF_UNIX);
  dgram(AF_INET);
  dgram(AF_UNIX);
  printf("-- socketpair\n");
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  show("pair", sv[0]);
  pid_t child = fork();
  if (child == 0) {
    write(sv[1], "hi", 2);
    _exit(0);
  }
  waitpid(child, NULL, 0);
  show("pair with data", sv[0]);
  close(sv[1]);
  show("pair, peer closed", sv[0]);
  /* a blocked poll woken by a connection from another process */
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 1);
  socklen_t al = sizeof a;
  getsockname(l, (struct sockaddr *)&a, &al);
  child = fork();
  if (child == 0) {
    usleep(100000);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    _exit(0);
  }
  struct pollfd p = {l, POLLIN, 0};
  R("blocking poll on listener", poll(&p, 1, 10000));
  printf("revents %#x\n", p.revents);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = l};
  epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
  R("epoll_wait listener", epoll_wait(ep, &ev, 1, 10000));
  R("accept", accept(l, NULL, NULL) >= 0);
  waitpid(child, NULL, 0);
  return 0;
}
