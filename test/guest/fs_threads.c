// cflags: -pthread
/* Threads share one fd table: opens, dups and closes racing in several threads
 * never hand out a number that is still in use, and every fd reads its own file. */
#include "fs_util.h"
#include <pthread.h>

#define THREADS 4
#define ROUNDS 300

static int failures[THREADS];

static void *worker(void *arg) {
  int id = (int)(long)arg;
  char name[32], want[32], buf[32];
  snprintf(name, sizeof name, "t%d", id);
  snprintf(want, sizeof want, "thread %d", id);
  for (int i = 0; i < ROUNDS; i++) {
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      failures[id]++;
      continue;
    }
    int d = dup(fd);
    ssize_t n = pread(d, buf, sizeof buf - 1, 0);
    if (n != (ssize_t)strlen(want) || memcmp(buf, want, n)) failures[id]++;
    close(fd);
    n = pread(d, buf, sizeof buf - 1, 0);
    if (n != (ssize_t)strlen(want) || memcmp(buf, want, n)) failures[id]++;
    close(d);
    int p[2];
    if (pipe2(p, O_CLOEXEC) == 0) {
      if (write(p[1], want, strlen(want)) != (ssize_t)strlen(want)) failures[id]++;
      n = read(p[0], buf, sizeof buf - 1);
      if (n != (ssize_t)strlen(want) || memcmp(buf, want, n)) failures[id]++;
      close(p[0]);
      close(p[1]);
    } else {
      failures[id]++;
    }
  }
  return NULL;
}

int main(void) {
  fs_setup("threads");
  for (int i = 0; i < THREADS; i++) {
    char name[32], text[32];
    snprintf(name, sizeof name, "t%d", i);
    snprintf(text, sizeof text, "thread %d", i);
    put(name, text);
  }
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, worker, (void *)(long)i);
  for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
  int total = 0;
  for (int i = 0; i < THREADS; i++) total += failures[i];
  SAY("threads: %d, rounds: %d, failures: %d\n", THREADS, ROUNDS, total);
  /* Afterwards nothing is left open: the next fd is 3 again. */
  int fd = open("t0", O_RDONLY);
  SAY("next fd is 3: %d\n", fd == 3);
  close(fd);
  fs_cleanup();
  return 0;
}
