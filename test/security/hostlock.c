// cflags: -O1 -static
// Locks on files of the lower layer: the guest takes an exclusive flock, a
// POSIX read lock and an OFD read lock on /data/lower.txt (a host file of the
// rootfs, opened read-only), says "locked", and holds them for a while. The
// harness then asks the host whether the file is locked for host processes:
// it should not be, but today the host runs these calls on the guest's host
// fd (docs/security.md, known limits), so this is a tap todo.
#include "escape.h"

#include <sys/file.h>

int main(void) {
  int fd = open("/data/lower.txt", O_RDONLY);
  int a = flock(fd, LOCK_EX | LOCK_NB);
  struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
  int b = fcntl(fd, F_SETLK, &fl);
  int fd2 = open("/data/readonly.txt", O_RDONLY);
  int c = fcntl(fd2, F_OFD_SETLK, &fl);
  printf("locked flock=%d posix=%d ofd=%d\n", a, b, c);
  fflush(stdout);
  sleep(4);
  report(0, "locks held for 4 s", "the harness looked from the host meanwhile");
  return finish();
}
