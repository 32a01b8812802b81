/* Signals (handlers without SA_RESTART) arriving while the guest makes
 * calls the sandbox traps: calls that never fail with EINTR on Linux (close,
 * open, stat, dup, pipe) must not start to, while a read blocked on an empty
 * pipe must still end with EINTR. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;
static void on_alarm(int sig) { (void)sig; ticks++; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm; /* no SA_RESTART */
  sigaction(SIGALRM, &sa, NULL);

  struct itimerval it = {{0, 200}, {0, 200}};
  setitimer(ITIMER_REAL, &it, NULL);
  int eintr = 0, other = 0, leaked = 0;
  struct stat st;
  for (int i = 0; i < 20000 && ticks < 400; i++) {
    int fd = open("/etc/passwd", O_RDONLY);
    if (fd < 0) { if (errno == EINTR) eintr++; else other++; continue; }
    if (fstat(fd, &st) != 0) { if (errno == EINTR) eintr++; else other++; }
    if (stat("/etc/hostname", &st) != 0 && errno == EINTR) eintr++;
    int d = dup(fd);
    if (d < 0) { if (errno == EINTR) eintr++; else other++; }
    int p[2];
    if (pipe(p) == 0) { close(p[0]); close(p[1]); } else if (errno == EINTR) eintr++;
    if (close(fd) != 0) { if (errno == EINTR) eintr++; else other++; }
    if (d >= 0 && close(d) != 0) { if (errno == EINTR) eintr++; else other++; }
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  /* Nothing may stay open: a close that "failed" with EINTR would leak. */
  int probe = open("/dev/null", O_RDONLY);
  if (probe != 3) leaked = 1;
  close(probe);
  printf("signals arrived: %d\n", ticks > 0);
  printf("EINTR from calls that cannot be interrupted: %d\n", eintr);
  printf("other errors: %d\n", other);
  printf("descriptors leaked: %d\n", leaked);

  /* A read blocked on an empty pipe is interrupted. */
  int p[2];
  pipe(p);
  struct itimerval once = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &once, NULL);
  char c;
  ssize_t r = read(p[0], &c, 1);
  printf("blocked read: %zd %s\n", r, r < 0 ? strerrorname_np(errno) : "");
  return 0;
}
