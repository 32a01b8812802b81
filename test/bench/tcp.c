/* W7: loopback TCP between two processes: throughput (MB/s) of one 64 MiB
 * transfer, then connections per second for 500 connect/accept/close rounds.
 * Prints "MBps CONNps". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(void) {
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  if (ls < 0) { perror("socket"); return 1; }
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
  if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 128)) { perror("bind/listen"); return 1; }
  socklen_t al = sizeof a;
  getsockname(ls, (struct sockaddr *)&a, &al);
  const long total = 64L << 20, rounds = 500;
  pid_t c = fork();
  if (c == 0) {
    static char buf[1 << 16];
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)&a, sizeof a)) _exit(2);
    for (long sent = 0; sent < total;) { ssize_t n = write(s, buf, sizeof buf); if (n <= 0) _exit(3); sent += n; }
    close(s);
    for (long i = 0; i < rounds; i++) { int t = socket(AF_INET, SOCK_STREAM, 0); if (connect(t, (struct sockaddr *)&a, sizeof a)) _exit(4); char x; if (read(t, &x, 1) != 1) _exit(5); close(t); }
    _exit(0);
  }
  static char buf[1 << 16];
  int s = accept(ls, NULL, NULL);
  double t0 = now();
  long got = 0;
  for (ssize_t n; (n = read(s, buf, sizeof buf)) > 0;) got += n;
  double t1 = now();
  close(s);
  for (long i = 0; i < rounds; i++) { int t = accept(ls, NULL, NULL); if (t < 0) return 6; if (write(t, "x", 1) != 1) return 7; close(t); }
  double t2 = now();
  int st;
  waitpid(c, &st, 0);
  if (got != total || st != 0) { fprintf(stderr, "tcp: got %ld, child %d\n", got, st); return 8; }
  printf("%.1f %.0f\n", got / (t1 - t0) / 1e6, rounds / (t2 - t1));
  return 0;
}
