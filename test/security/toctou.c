// cflags: -O1 -static -pthread
// Races against the sentry's path walk, from several threads for a few
// seconds: directories renamed away and replaced by symlinks to "/..",
// symlinks swapped atomically between an inside target and "../../..", a
// directory fd whose directory moves, cwds in moving directories, and a path
// buffer rewritten while the call that reads it is in flight. Any read of the
// host secret (next to the rootfs) is an escape; everything else is fine.
#include "escape.h"

#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

static const char *secret;
static volatile int stop;
static int leaks, opened, tries;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char pathbuf[4096];

static void count(int fd) {
  char b[256];
  pthread_mutex_lock(&mu);
  tries++;
  if (fd >= 0) {
    opened++;
    ssize_t n = read(fd, b, sizeof b);
    if (n > 0 && is_secret(b, (size_t)n)) leaks++;
    close(fd);
  }
  pthread_mutex_unlock(&mu);
}

static void *swap_dirs(void *a) {
  (void)a;
  while (!stop) {
    rename("/tmp/race/d", "/tmp/race/moved");
    symlink("/..", "/tmp/race/d");
    unlink("/tmp/race/d");
    rename("/tmp/race/moved", "/tmp/race/d");
    rename("/tmp/race/d/sub", "/tmp/race/sub-out");
    rename("/tmp/race/sub-out", "/tmp/race/d/sub");
  }
  return NULL;
}

static void *swap_links(void *a) {
  (void)a;
  while (!stop) {
    symlink("/tmp/race/d", "/tmp/race/new1");
    rename("/tmp/race/new1", "/tmp/race/l");
    symlink("../../../../../..", "/tmp/race/new2");
    rename("/tmp/race/new2", "/tmp/race/l");
    symlink(secret, "/tmp/race/new3");
    rename("/tmp/race/new3", "/tmp/race/f");
    symlink("/tmp/race/d/inside", "/tmp/race/new4");
    rename("/tmp/race/new4", "/tmp/race/f");
  }
  return NULL;
}

static void *rewrite_buf(void *a) {
  (void)a;
  char alt[4096];
  snprintf(alt, sizeof alt, "%s", secret);
  while (!stop) {
    memcpy(pathbuf, "/tmp/race/d/inside", 19);
    memcpy(pathbuf, alt, strlen(alt) + 1);
    memcpy(pathbuf, "/../../secret.txt", 18);
  }
  return NULL;
}

static void *reader(void *a) {
  (void)a;
  int dfd = open("/tmp/race/d/sub", O_RDONLY | O_DIRECTORY);
  while (!stop) {
    count(open("/tmp/race/d/../../../../secret.txt", O_RDONLY));
    count(open("/tmp/race/l/secret.txt", O_RDONLY));
    count(open("/tmp/race/l/../secret.txt", O_RDONLY));
    count(open("/tmp/race/f", O_RDONLY));
    count(open(pathbuf, O_RDONLY));
    if (dfd >= 0) count(openat(dfd, "../../../../../../secret.txt", O_RDONLY));
    if (chdir("/tmp/race/d/sub") == 0) {
      count(open("../../../../../../secret.txt", O_RDONLY));
      chdir("/");
    }
  }
  return NULL;
}

int main(void) {
  secret = env("SECRET_PATH");
  mkdir("/tmp/race", 0777);
  mkdir("/tmp/race/d", 0777);
  mkdir("/tmp/race/d/sub", 0777);
  close(open("/tmp/race/d/inside", O_CREAT | O_WRONLY, 0644));
  strcpy(pathbuf, "/tmp/race/d/inside");
  pthread_t th[8];
  pthread_create(&th[0], NULL, swap_dirs, NULL);
  pthread_create(&th[1], NULL, swap_links, NULL);
  pthread_create(&th[2], NULL, rewrite_buf, NULL);
  for (int i = 3; i < 8; i++) pthread_create(&th[i], NULL, reader, NULL);
  struct timespec ts = {3, 0};
  nanosleep(&ts, NULL);
  stop = 1;
  for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
  report(leaks > 0, "rename/symlink/path-buffer races against the walk", "%d opens tried, %d opened, %d read the host secret", tries, opened, leaks);
  report(tries < 100, "the races ran", "%d opens", tries);
  return finish();
}
