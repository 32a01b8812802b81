// cflags: -pthread
/* clone as pthreads use it: create/join, thread ids (gettid vs pthread_self,
 * and the tid glibc keeps for pthread_kill), futex-based mutex, condvar and
 * barrier under contention, thread return values, and exit_group / exit from
 * threads. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

enum { NT = 6, ITER = 20000 };

static pid_t main_pid;
static pid_t tids[NT];
static pthread_t selves[NT];
static int same_pid[NT];

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static pthread_barrier_t barrier;

static void *ident(void *arg) {
  int i = (int)(intptr_t)arg;
  tids[i] = gettid();
  selves[i] = pthread_self();
  same_pid[i] = getpid() == main_pid;
  pthread_barrier_wait(&barrier);
  return (void *)(intptr_t)(100 + i);
}

static void *adder(void *arg) {
  (void)arg;
  pthread_barrier_wait(&barrier);
  for (int i = 0; i < ITER; i++) {
    pthread_mutex_lock(&mu);
    counter++;
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

/* Producer/consumer: a one-slot queue guarded by a condvar. */
static int slot_full;
static long slot_val, consumed_sum;
enum { ITEMS = 2000 };

static void *producer(void *arg) {
  long base = (long)(intptr_t)arg;
  for (long i = 1; i <= ITEMS; i++) {
    pthread_mutex_lock(&mu);
    while (slot_full) pthread_cond_wait(&cv, &mu);
    slot_val = base + i;
    slot_full = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static void *consumer(void *arg) {
  long n = (long)(intptr_t)arg;
  long sum = 0;
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(&mu);
    while (!slot_full) pthread_cond_wait(&cv, &mu);
    sum += slot_val;
    slot_full = 0;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
  }
  pthread_mutex_lock(&mu);
  consumed_sum += sum;
  pthread_mutex_unlock(&mu);
  return NULL;
}

/* pthread_kill uses the tid glibc recorded at clone time (CLONE_PARENT_SETTID);
 * the handler checks it reached the thread whose gettid() that is. */
static volatile sig_atomic_t handled_in;

/* Waits up to two seconds for a flag a signal handler sets: a signal that
 * never comes shows up as a difference in the output, not as a hang. */
static int await_flag(volatile sig_atomic_t *flag) {
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  while (!*flag) {
    sched_yield();
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (t.tv_sec - t0.tv_sec > 2) return 0;
  }
  return 1;
}
static void on_usr1(int sig) {
  (void)sig;
  handled_in = gettid();
}

static pid_t waiter_tid;
static int waiter_go;
static void *sig_waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  waiter_tid = gettid();
  pthread_cond_broadcast(&cv);
  while (!waiter_go) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return NULL;
}

static void *exit_via_pthread_exit(void *arg) {
  pthread_exit((void *)(intptr_t)((intptr_t)arg * 10));
}

static void *exit_group_thread(void *arg) {
  int pipefd = (int)(intptr_t)arg;
  char b;
  (void)!read(pipefd, &b, 1);
  exit(42); /* exit_group from a non-main thread */
}

static void *raw_exit_thread(void *arg) {
  (void)arg;
  syscall(SYS_exit, 9); /* ends this thread only */
  return NULL;
}

static void *sleeper(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void *late_exit_group(void *arg) {
  int pipefd = (int)(intptr_t)arg;
  char b;
  (void)!read(pipefd, &b, 1);
  printf("thread still runs after main thread exited; getpid unchanged: %d\n", getpid() == main_pid);
  fflush(stdout);
  exit(3);
}

int main(void) {
  main_pid = getpid();
  printf("main: gettid() == getpid(): %d\n", gettid() == main_pid);

  /* Identity of threads. */
  pthread_t th[NT];
  pthread_barrier_init(&barrier, NULL, NT + 1);
  for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, ident, (void *)(intptr_t)i);
  pthread_barrier_wait(&barrier);
  int rets_ok = 1;
  for (int i = 0; i < NT; i++) {
    void *ret;
    if (pthread_join(th[i], &ret) != 0 || (intptr_t)ret != 100 + i) rets_ok = 0;
  }
  int distinct = 1, not_pid = 1, all_same_pid = 1, self_match = 1;
  for (int i = 0; i < NT; i++) {
    if (tids[i] == main_pid || tids[i] <= 0) not_pid = 0;
    if (!same_pid[i]) all_same_pid = 0;
    if (!pthread_equal(selves[i], th[i])) self_match = 0;
    for (int j = i + 1; j < NT; j++)
      if (tids[i] == tids[j] || pthread_equal(selves[i], selves[j])) distinct = 0;
  }
  printf("threads: tids positive and not the pid: %d\n", not_pid);
  printf("threads: tids and pthread_self distinct: %d\n", distinct);
  printf("threads: getpid() == main pid: %d\n", all_same_pid);
  printf("threads: pthread_self() == pthread_create handle: %d\n", self_match);
  printf("threads: join return values: %d\n", rets_ok);
  pthread_barrier_destroy(&barrier);

  /* pthread_kill reaches the thread with that gettid(). */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  pthread_t w;
  pthread_create(&w, NULL, sig_waiter, NULL);
  pthread_mutex_lock(&mu);
  while (!waiter_tid) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  handled_in = 0;
  int pk = pthread_kill(w, SIGUSR1);
  if (!await_flag(&handled_in)) printf("  (no signal)\n");
  printf("pthread_kill: %d, handled in the thread with that tid: %d\n", pk, handled_in == waiter_tid);
  handled_in = 0;
  printf("tgkill(getpid, tid): %d\n", (int)syscall(SYS_tgkill, getpid(), waiter_tid, SIGUSR1));
  if (!await_flag(&handled_in)) printf("  (no signal)\n");
  printf("tgkill handled in that thread: %d\n", handled_in == waiter_tid);
  /* Calls that take a pid accept a thread's id where Linux looks up a task. */
  {
    int r = kill(waiter_tid, 0);
    printf("kill(thread tid, 0): %s\n", r ? strerrorname_np(errno) : "ok");
    printf("getpgid(thread tid) == getpgrp(): %d\n", getpgid(waiter_tid) == getpgrp());
    printf("getsid(thread tid) == getsid(0): %d\n", getsid(waiter_tid) == getsid(0));
    r = setpgid(waiter_tid, 0);
    printf("setpgid(thread tid, 0): %s\n", r ? strerrorname_np(errno) : "ok");
    struct rlimit rl;
    r = prlimit(waiter_tid, RLIMIT_NOFILE, NULL, &rl);
    printf("prlimit(thread tid): %s\n", r ? strerrorname_np(errno) : "ok");
    cpu_set_t set;
    r = sched_getaffinity(waiter_tid, sizeof set, &set);
    printf("sched_getaffinity(thread tid): %s\n", r ? strerrorname_np(errno) : "ok");
    r = waitpid(waiter_tid, NULL, WNOHANG);
    printf("waitpid(thread tid): %s\n", r < 0 ? strerrorname_np(errno) : "found");
    handled_in = 0;
    r = kill(waiter_tid, SIGUSR1);
    if (!await_flag(&handled_in)) printf("  (no signal)\n");
    printf("kill(thread tid, SIGUSR1): %s, handled: 1\n", r ? strerrorname_np(errno) : "ok");
  }
  pthread_mutex_lock(&mu);
  waiter_go = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(w, NULL);
  /* (Not checked: tgkill to the joined thread. Linux already answers ESRCH
   * almost always; the sandbox learns of the exit a little later. See
   * docs/differences.md.) */

  /* Mutex contention. */
  pthread_barrier_init(&barrier, NULL, NT);
  for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, adder, NULL);
  for (int i = 0; i < NT; i++) pthread_join(th[i], NULL);
  printf("mutex counter: %ld (expected %d)\n", counter, NT * ITER);
  pthread_barrier_destroy(&barrier);

  /* Condvar: 2 producers, 3 consumers. */
  pthread_t pr[2], co[3];
  pthread_create(&pr[0], NULL, producer, (void *)(intptr_t)0);
  pthread_create(&pr[1], NULL, producer, (void *)(intptr_t)1000000);
  long share[3] = {1000, 1500, 2 * ITEMS - 2500};
  for (int i = 0; i < 3; i++) pthread_create(&co[i], NULL, consumer, (void *)(intptr_t)share[i]);
  for (int i = 0; i < 2; i++) pthread_join(pr[i], NULL);
  for (int i = 0; i < 3; i++) pthread_join(co[i], NULL);
  long expect = 2L * (ITEMS * (ITEMS + 1L) / 2) + 1000000L * ITEMS;
  printf("condvar sum: %d\n", consumed_sum == expect);

  /* Error-checking mutex: ownership is by thread. */
  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_t em;
  pthread_mutex_init(&em, &ma);
  pthread_mutex_lock(&em);
  printf("errorcheck relock: %s\n", strerrorname_np(pthread_mutex_lock(&em)));
  pthread_mutex_unlock(&em);
  printf("errorcheck unlock unowned: %s\n", strerrorname_np(pthread_mutex_unlock(&em)));

  /* pthread_exit values, and a thread ending with the raw exit syscall. */
  for (int i = 1; i <= 3; i++) {
    pthread_t t;
    void *ret;
    pthread_create(&t, NULL, exit_via_pthread_exit, (void *)(intptr_t)i);
    pthread_join(t, &ret);
    printf("pthread_exit(%d) joined: %ld\n", i * 10, (long)(intptr_t)ret);
  }
  {
    pthread_t t;
    pthread_create(&t, NULL, raw_exit_thread, NULL);
    pthread_join(t, NULL);
    printf("SYS_exit ends only the thread: process still here: %d\n", getpid() == main_pid);
  }

  /* Detached threads finish on their own. */
  pthread_attr_t da;
  pthread_attr_init(&da);
  pthread_attr_setdetachstate(&da, PTHREAD_CREATE_DETACHED);
  counter = 0;
  pthread_barrier_init(&barrier, NULL, 4);
  for (int i = 0; i < 4; i++) {
    pthread_t t;
    pthread_create(&t, &da, adder, NULL);
  }
  for (;;) {
    pthread_mutex_lock(&mu);
    long c = counter;
    pthread_mutex_unlock(&mu);
    if (c == 4L * ITER) break;
    sched_yield();
  }
  printf("detached threads counted: %ld\n", counter);

  /* exit_group from a non-main thread, while the main thread is blocked. */
  int p[2];
  if (pipe(p)) return 1;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    pthread_t t[3];
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, exit_group_thread, (void *)(intptr_t)p[0]);
    (void)!write(p[1], "g", 1);
    pause();
    _exit(1);
  }
  int st;
  waitpid(c, &st, 0);
  printf("exit(42) from a thread: exited %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));

  /* The main thread leaves with pthread_exit; another thread ends the process. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    main_pid = getpid();
    pthread_t t;
    pthread_create(&t, NULL, late_exit_group, (void *)(intptr_t)p[0]);
    (void)!write(p[1], "g", 1);
    pthread_exit(NULL);
  }
  waitpid(c, &st, 0);
  printf("main pthread_exit, thread exit(3): exited %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));

  /* A signal that kills the process while several threads run. */
  fflush(stdout);
  c = fork();
  if (c == 0) {
    pthread_t t[3];
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, sleeper, NULL);
    (void)!write(p[1], "r", 1); /* tell the parent we are ready */
    pause();
    _exit(1);
  }
  char b;
  (void)!read(p[0], &b, 1);
  kill(c, SIGTERM);
  waitpid(c, &st, 0);
  printf("SIGTERM to a threaded child: signaled %d by %s\n", WIFSIGNALED(st), sigabbrev_np(WTERMSIG(st)));
  return 0;
}
