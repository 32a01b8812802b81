/* UDP on loopback: datagram boundaries, source addresses, connect, MSG_TRUNC
 * and MSG_PEEK, EADDRINUSE and SO_REUSEADDR, IPv6, recvmmsg/sendmmsg. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "net_util.h"

static struct sockaddr_in lo(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  return a;
}

static int portof(int s) {
  struct sockaddr_in a;
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  return ntohs(a.sin_port);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int x = socket(AF_INET, SOCK_DGRAM, 0), y = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = lo(0);
  R("bind x", bind(x, (struct sockaddr *)&a, sizeof a));
  R("bind y", bind(y, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in ax = lo(portof(x)), ay = lo(portof(y));
  int z = socket(AF_INET, SOCK_DGRAM, 0);
  R("bind in use", bind(z, (struct sockaddr *)&ax, sizeof ax));
  close(z);
  R("sendto 1", sendto(x, "first", 5, 0, (struct sockaddr *)&ay, sizeof ay));
  R("sendto 2", sendto(x, "second!", 7, 0, (struct sockaddr *)&ay, sizeof ay));
  R("sendto empty", sendto(x, "", 0, 0, (struct sockaddr *)&ay, sizeof ay));
  char buf[64];
  struct sockaddr_in from;
  socklen_t fl = sizeof from;
  R("peek", recvfrom(y, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&from, &fl));
  fl = sizeof from;
  R("recvfrom", recvfrom(y, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
  printf("from %s port is x %d len %d\n", inet_ntoa(from.sin_addr), ntohs(from.sin_port) == portof(x), (int)fl);
  R("recv truncated", recv(y, buf, 3, 0));
  R("recv empty datagram", recv(y, buf, sizeof buf, 0));
  R("recv nothing", recv(y, buf, sizeof buf, MSG_DONTWAIT));
  sendto(x, "0123456789", 10, 0, (struct sockaddr *)&ay, sizeof ay);
  R("recv MSG_TRUNC", recv(y, buf, 4, MSG_TRUNC));
  struct iovec iov = {buf, 4};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_name = &from, .msg_namelen = sizeof from};
  sendto(x, "0123456789", 10, 0, (struct sockaddr *)&ay, sizeof ay);
  R("recvmsg", recvmsg(y, &m, 0));
  printf("trunc flag %d namelen %d\n", (m.msg_flags & MSG_TRUNC) != 0, (int)m.msg_namelen);
  /* connected */
  R("connect", connect(x, (struct sockaddr *)&ay, sizeof ay));
  R("send connected", send(x, "conn", 4, 0));
  R("recv", recv(y, buf, sizeof buf, 0));
  struct sockaddr_in peer;
  socklen_t pl = sizeof peer;
  R("getpeername", getpeername(x, (struct sockaddr *)&peer, &pl));
  printf("peer is y %d\n", ntohs(peer.sin_port) == portof(y));
  /* a connected socket only takes datagrams from its peer */
  int w = socket(AF_INET, SOCK_DGRAM, 0);
  R("sendto connected x from w", sendto(w, "stranger", 8, 0, (struct sockaddr *)&ax, sizeof ax));
  R("x gets nothing", recv(x, buf, sizeof buf, MSG_DONTWAIT));
  R("y replies", sendto(y, "reply", 5, 0, (struct sockaddr *)&ax, sizeof ax));
  R("x gets reply", recv(x, buf, sizeof buf, 0));
  struct sockaddr_in un = {.sin_family = AF_UNSPEC};
  R("disconnect", connect(x, (struct sockaddr *)&un, sizeof un));
  R("getpeername after", getpeername(x, (struct sockaddr *)&peer, &pl));
  /* its port was the kernel's choice: disconnecting gives it up */
  printf("port after disconnect %d\n", portof(x));
  close(w);
  close(x);
  x = socket(AF_INET, SOCK_DGRAM, 0);
  a = lo(0);
  bind(x, (struct sockaddr *)&a, sizeof a);
  ax = lo(portof(x));
  /* to a port nobody has: dropped */
  close(y);
  R("sendto closed port", sendto(x, "lost", 4, 0, (struct sockaddr *)&ay, sizeof ay));
  /* unbound sender gets an ephemeral port */
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  R("unbound sendto", sendto(u, "hi", 2, 0, (struct sockaddr *)&ax, sizeof ax));
  fl = sizeof from;
  R("recvfrom unbound", recvfrom(x, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
  printf("from port is u %d\n", ntohs(from.sin_port) == portof(u) && portof(u) != 0);
  /* sendmmsg / recvmmsg */
  struct mmsghdr mm[3];
  struct iovec iv[3];
  char *msgs[3] = {"one", "two!", "three"};
  for (int i = 0; i < 3; i++) {
    iv[i] = (struct iovec){msgs[i], strlen(msgs[i])};
    mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iv[i], .msg_iovlen = 1, .msg_name = &ax, .msg_namelen = sizeof ax}};
  }
  R("sendmmsg", sendmmsg(u, mm, 3, 0));
  printf("lens %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
  char rb[3][16];
  for (int i = 0; i < 3; i++) {
    iv[i] = (struct iovec){rb[i], sizeof rb[i]};
    mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iv[i], .msg_iovlen = 1}};
  }
  struct pollfd p = {x, POLLIN, 0};
  poll(&p, 1, 5000);
  R("recvmmsg", recvmmsg(x, mm, 3, MSG_DONTWAIT, NULL));
  printf("got %.*s %.*s %.*s\n", (int)mm[0].msg_len, rb[0], (int)mm[1].msg_len, rb[1], (int)mm[2].msg_len, rb[2]);
  close(u), close(x);
  /* IPv6 */
  int s6 = socket(AF_INET6, SOCK_DGRAM, 0), c6 = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 b6 = {.sin6_family = AF_INET6, .sin6_addr = in6addr_loopback};
  R("bind ::1", bind(s6, (struct sockaddr *)&b6, sizeof b6));
  socklen_t l6 = sizeof b6;
  getsockname(s6, (struct sockaddr *)&b6, &l6);
  R("sendto ::1", sendto(c6, "six", 3, 0, (struct sockaddr *)&b6, sizeof b6));
  struct sockaddr_in6 f6;
  l6 = sizeof f6;
  R("recvfrom v6", recvfrom(s6, buf, sizeof buf, 0, (struct sockaddr *)&f6, &l6));
  char txt[64];
  inet_ntop(AF_INET6, &f6.sin6_addr, txt, sizeof txt);
  printf("from %s len %d\n", txt, (int)l6);
  close(s6), close(c6);
  /* two processes: echo */
  int srv = socket(AF_INET, SOCK_DGRAM, 0);
  a = lo(0);
  bind(srv, (struct sockaddr *)&a, sizeof a);
  struct sockaddr_in as = lo(portof(srv));
  pid_t child = fork();
  if (child == 0) {
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    connect(c, (struct sockaddr *)&as, sizeof as);
    for (int i = 0; i < 50; i++) {
      char q[32], r[32];
      int n = snprintf(q, sizeof q, "msg %d", i);
      send(c, q, n, 0);
      if (recv(c, r, sizeof r, 0) != n || memcmp(q, r, n)) _exit(1);
    }
    _exit(0);
  }
  for (int i = 0; i < 50; i++) {
    fl = sizeof from;
    ssize_t n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    sendto(srv, buf, n, 0, (struct sockaddr *)&from, fl);
  }
  int st;
  waitpid(child, &st, 0);
  printf("echo child %d\n", WEXITSTATUS(st));
  return 0;
}
