/* Signal handlers: SA_RESTART vs EINTR on a blocking pipe read interrupted by
 * SIGALRM, sigprocmask blocking and pending (standard signals coalesce,
 * real-time ones queue), sigsuspend, SA_RESETHAND, SA_NODEFER, SA_SIGINFO
 * contents for raise/kill/sigqueue, and sigwaitinfo. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits, depth, max_depth;
static int wake_fd = -1;
static volatile siginfo_t last;

static void count(int sig) {
  (void)sig;
  hits++;
}

/* Writes a byte so that a restarted read has something to return. */
static void alarm_feed(int sig) {
  (void)sig;
  hits++;
  if (wake_fd >= 0) (void)!write(wake_fd, "w", 1);
}

static void with_info(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  hits++;
  memcpy((void *)&last, si, sizeof *si);
}

static volatile sig_atomic_t raises;
static void nested(int sig) {
  depth++;
  if (depth > max_depth) max_depth = depth;
  if (raises < 2) {
    raises++;
    raise(sig);
  }
  depth--;
  hits++;
}

static void install(int sig, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static void install_info(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = with_info;
  sa.sa_flags = SA_SIGINFO;
  sigaction(sig, &sa, NULL);
}

static void arm_alarm_ms(int ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static const char *code_name(int c) {
  switch (c) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_TIMER: return "SI_TIMER";
    default: return "other";
  }
}

static void blocking_read(const char *what, int flags) {
  int p[2];
  if (pipe(p)) exit(1);
  wake_fd = p[1];
  install(SIGALRM, alarm_feed, flags);
  hits = 0;
  arm_alarm_ms(30);
  char b = 0;
  errno = 0;
  ssize_t n = read(p[0], &b, 1);
  int e = errno;
  printf("%s: read returned %zd (%s), handler ran %d time(s)", what, n, n < 0 ? strerrorname_np(e) : "ok", hits);
  if (n < 0) {
    n = read(p[0], &b, 1); /* the byte the handler wrote */
    printf(", byte still there: %d", n == 1 && b == 'w');
  } else {
    printf(", got the handler's byte: %d", b == 'w');
  }
  printf("\n");
  wake_fd = -1;
  close(p[0]);
  close(p[1]);
}

int main(void) {
  pid_t me = getpid();

  /* EINTR vs SA_RESTART. */
  blocking_read("SIGALRM without SA_RESTART", 0);
  blocking_read("SIGALRM with SA_RESTART", SA_RESTART);

  /* Blocking and pending. */
  install(SIGUSR1, count, 0);
  sigset_t m, old, pend;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigprocmask(SIG_BLOCK, &m, &old);
  printf("SIGUSR1 was blocked before: %d\n", sigismember(&old, SIGUSR1));
  hits = 0;
  kill(me, SIGUSR1);
  kill(me, SIGUSR1);
  sigpending(&pend);
  printf("blocked: handler ran %d, pending %d\n", hits, sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &m, NULL);
  printf("unblocked: kill() twice delivered %d time(s)\n", hits);
  /* Thread-directed (raise) and process-directed (kill) pending sets are
   * separate: one of each is two deliveries. */
  sigprocmask(SIG_BLOCK, &m, NULL);
  hits = 0;
  raise(SIGUSR1);
  raise(SIGUSR1);
  kill(me, SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &m, NULL);
  printf("raise twice + kill once: delivered %d time(s)\n", hits);
  sigpending(&pend);
  printf("pending after: %d\n", sigismember(&pend, SIGUSR1));

  /* Real-time signals queue. */
  install(SIGRTMIN + 1, count, 0);
  sigemptyset(&m);
  sigaddset(&m, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &m, NULL);
  hits = 0;
  union sigval sv = {.sival_int = 0};
  for (int i = 0; i < 4; i++) sigqueue(me, SIGRTMIN + 1, sv);
  kill(me, SIGRTMIN + 1);
  sigprocmask(SIG_UNBLOCK, &m, NULL);
  printf("real-time signal queued 5 times, delivered %d time(s)\n", hits);

  /* sigsuspend: wait for a signal a child sends, with SIGUSR1 blocked before. */
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigprocmask(SIG_BLOCK, &m, NULL);
  hits = 0;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  sigset_t none;
  sigemptyset(&none);
  errno = 0;
  int r = sigsuspend(&none);
  printf("sigsuspend: %d %s, handler ran %d\n", r, strerrorname_np(errno), hits);
  sigprocmask(SIG_BLOCK, NULL, &old);
  printf("mask restored after sigsuspend (SIGUSR1 blocked): %d\n", sigismember(&old, SIGUSR1));
  waitpid(c, NULL, 0);
  sigprocmask(SIG_UNBLOCK, &m, NULL);

  /* SA_RESETHAND: the second delivery finds the default action (SIGURG's is to ignore). */
  install(SIGURG, count, SA_RESETHAND);
  hits = 0;
  raise(SIGURG);
  raise(SIGURG);
  struct sigaction cur;
  sigaction(SIGURG, NULL, &cur);
  printf("SA_RESETHAND: handler ran %d, now default: %d\n", hits, cur.sa_handler == SIG_DFL);

  /* SA_NODEFER lets the handler be re-entered; without it the signal waits. */
  install(SIGUSR2, nested, SA_NODEFER);
  hits = depth = max_depth = raises = 0;
  raise(SIGUSR2);
  printf("SA_NODEFER: handler ran %d, max nesting %d\n", hits, max_depth);
  install(SIGUSR2, nested, 0);
  hits = depth = max_depth = raises = 0;
  raise(SIGUSR2);
  printf("without SA_NODEFER: handler ran %d, max nesting %d\n", hits, max_depth);

  /* SA_SIGINFO contents. */
  install_info(SIGUSR1);
  hits = 0;
  raise(SIGUSR1);
  printf("raise: signo %s code %s pid==self %d uid %d\n", sigabbrev_np(last.si_signo), code_name(last.si_code),
         last.si_pid == me, last.si_uid);
  kill(me, SIGUSR1);
  printf("kill(self): signo %s code %s pid==self %d uid %d\n", sigabbrev_np(last.si_signo), code_name(last.si_code),
         last.si_pid == me, last.si_uid);
  syscall(SYS_tgkill, me, gettid(), SIGUSR1);
  printf("tgkill(self): code %s pid==self %d\n", code_name(last.si_code), last.si_pid == me);
  sv.sival_int = 4242;
  sigqueue(me, SIGUSR1, sv);
  printf("sigqueue(self, 4242): code %s pid==self %d value %d\n", code_name(last.si_code), last.si_pid == me,
         last.si_value.sival_int);
  sv.sival_ptr = (void *)0x1234567890L;
  install_info(SIGRTMIN);
  sigqueue(me, SIGRTMIN, sv);
  printf("sigqueue(self, SIGRTMIN, ptr): signo is SIGRTMIN %d ptr ok %d\n", last.si_signo == SIGRTMIN,
         last.si_value.sival_ptr == (void *)0x1234567890L);
  /* From a child: si_pid is the child's pid as fork returned it. */
  install_info(SIGUSR2);
  sigemptyset(&m);
  sigaddset(&m, SIGUSR2);
  sigaddset(&m, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &m, NULL);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    union sigval v = {.sival_int = 77};
    kill(getppid(), SIGUSR2);
    sigqueue(getppid(), SIGRTMIN, v);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  siginfo_t si;
  r = sigwaitinfo(&m, &si);
  printf("sigwaitinfo from child kill: %s code %s pid==child %d\n", sigabbrev_np(r), code_name(si.si_code),
         si.si_pid == c);
  r = sigwaitinfo(&m, &si);
  printf("sigwaitinfo from child sigqueue: is SIGRTMIN %d code %s pid==child %d value %d\n", r == SIGRTMIN,
         code_name(si.si_code), si.si_pid == c, si.si_value.sival_int);
  sigprocmask(SIG_UNBLOCK, &m, NULL);

  /* Delivery from a child to our handler. */
  install_info(SIGUSR2);
  sigprocmask(SIG_BLOCK, &m, NULL);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    kill(getppid(), SIGUSR2);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  hits = 0;
  sigprocmask(SIG_UNBLOCK, &m, NULL);
  printf("handler for a child's kill: ran %d code %s pid==child %d uid %d\n", hits, code_name(last.si_code),
         last.si_pid == c, last.si_uid);

  /* A blocked signal stays pending even when ignored: the disposition may
   * change before it is unblocked. */
  signal(SIGUSR1, SIG_IGN);
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigprocmask(SIG_BLOCK, &m, NULL);
  raise(SIGUSR1);
  sigpending(&pend);
  printf("ignored signal while blocked is pending: %d\n", sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &m, NULL);

  /* Invalid arguments. */
  printf("kill(self, 65): %s\n", kill(me, 65) < 0 ? strerrorname_np(errno) : "ok");
  printf("sigaction(SIGKILL): %s\n", sigaction(SIGKILL, &cur, NULL) < 0 ? strerrorname_np(errno) : "ok");
  printf("signal 0 to self: %d\n", kill(me, 0));
  return 0;
}
