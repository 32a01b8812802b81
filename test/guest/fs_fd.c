/* dup/dup2/dup3/fcntl: shared and separate offsets, fd flags, status flags, locks. */
#include "fs_util.h"
#include <sys/file.h>
#include <sys/wait.h>

int main(void) {
  fs_setup("fd");
  put("f", "0123456789");
  int fd = open("f", O_RDWR);
  SAY("first fd is 3: %d\n", fd == 3);

  /* dup: lowest free number, shared offset and status flags. */
  int d = R("dup", dup(fd));
  show_read("read via fd", fd, 3);
  R("offset seen via dup", lseek(d, 0, SEEK_CUR));
  R("lseek via dup", lseek(d, 8, SEEK_SET));
  show_read("read via fd after dup lseek", fd, 5);
  R("F_SETFL O_APPEND via dup", fcntl(d, F_SETFL, O_APPEND));
  SAY("O_APPEND seen via fd: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
  R("F_SETFL 0 via fd", fcntl(fd, F_SETFL, 0));
  R("F_GETFD dup", fcntl(d, F_GETFD));
  R("dup bad fd", dup(99));
  R("dup -1", dup(-1));
  close(0);
  R("dup takes 0 when free", dup(fd));
  close(0);
  R("close dup", close(d));
  show_read("fd still works", fd, 2);

  /* A second open has its own offset. */
  int o2 = open("f", O_RDONLY);
  R("lseek fd 1", lseek(fd, 1, SEEK_SET));
  R("second open offset", lseek(o2, 0, SEEK_CUR));
  close(o2);

  /* dup2 */
  R("dup2 to 10", dup2(fd, 10));
  R("offset via 10", lseek(10, 0, SEEK_CUR));
  R("dup2 same fd", dup2(fd, fd));
  R("dup2 same bad fd", dup2(50, 50));
  R("dup2 bad old", dup2(50, 11));
  R("dup2 bad new", dup2(fd, -1));
  R("dup2 huge new", dup2(fd, 1 << 30));
  int other = open("f", O_RDONLY);
  R("dup2 over open fd", dup2(other, 10));
  R("offset via 10 now separate", lseek(10, 0, SEEK_CUR));
  R("fd offset unchanged", lseek(fd, 0, SEEK_CUR));
  R("fcntl(10, F_SETFD, FD_CLOEXEC)", fcntl(10, F_SETFD, FD_CLOEXEC));
  R("dup2 clears cloexec", dup2(fd, 10));
  R("F_GETFD 10", fcntl(10, F_GETFD));
  close(other);
  close(10);

  /* dup3 */
  R("dup3 O_CLOEXEC", dup3(fd, 12, O_CLOEXEC));
  R("F_GETFD 12", fcntl(12, F_GETFD));
  R("dup3 same fd", dup3(fd, fd, 0));
  R("dup3 bad flags", dup3(fd, 13, O_NONBLOCK));
  R("dup3 no flags", dup3(fd, 12, 0));
  R("F_GETFD 12 after", fcntl(12, F_GETFD));
  close(12);

  /* F_DUPFD */
  R("F_DUPFD 20", fcntl(fd, F_DUPFD, 20));
  R("F_DUPFD 20 again", fcntl(fd, F_DUPFD, 20));
  R("F_GETFD 21", fcntl(21, F_GETFD));
  R("F_DUPFD_CLOEXEC 20", fcntl(fd, F_DUPFD_CLOEXEC, 20));
  R("F_GETFD 22", fcntl(22, F_GETFD));
  R("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
  R("F_DUPFD huge", fcntl(fd, F_DUPFD, 1 << 30));
  R("F_DUPFD 0", fcntl(fd, F_DUPFD, 0));
  close(4);
  close(20);
  close(21);
  close(22);

  /* F_GETFD/F_SETFD */
  R("F_SETFD 1", fcntl(fd, F_SETFD, FD_CLOEXEC));
  R("F_GETFD", fcntl(fd, F_GETFD));
  R("F_SETFD 0", fcntl(fd, F_SETFD, 0));
  R("F_GETFD", fcntl(fd, F_GETFD));
  R("F_SETFD 3 keeps only FD_CLOEXEC", fcntl(fd, F_SETFD, 3));
  R("F_GETFD", fcntl(fd, F_GETFD));
  fcntl(fd, F_SETFD, 0);
  R("F_GETFD bad fd", fcntl(99, F_GETFD));
  R("fcntl bad cmd", fcntl(fd, 9999));

  /* F_GETFL/F_SETFL */
  SAY("F_GETFL rdwr: %#x\n", fcntl(fd, F_GETFL));
  int ro = open("f", O_RDONLY);
  SAY("F_GETFL rdonly: %#x\n", fcntl(ro, F_GETFL));
  R("F_SETFL O_NONBLOCK|O_APPEND", fcntl(ro, F_SETFL, O_NONBLOCK | O_APPEND));
  SAY("F_GETFL after: %#x\n", fcntl(ro, F_GETFL));
  R("F_SETFL cannot change access mode", fcntl(ro, F_SETFL, O_RDWR));
  SAY("F_GETFL after: %#x\n", fcntl(ro, F_GETFL));
  R("write on rdonly still EBADF", write(ro, "x", 1));
  close(ro);
  int wa = open("f", O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_DSYNC);
  SAY("F_GETFL wronly|append|nofollow|dsync: %#x\n", fcntl(wa, F_GETFL));
  R("F_SETFL 0 drops append", fcntl(wa, F_SETFL, 0));
  SAY("F_GETFL: %#x\n", fcntl(wa, F_GETFL));
  R("lseek 0", lseek(wa, 0, SEEK_SET));
  R("write at 0 now", write(wa, "AB", 2));
  show_file("after non-append write", "f");
  R("F_SETFL O_APPEND", fcntl(wa, F_SETFL, O_APPEND));
  R("lseek 0", lseek(wa, 0, SEEK_SET));
  R("write appends", write(wa, "YZ", 2));
  show_file("after append write", "f");
  close(wa);
  R("mkdir d", mkdir("d", 0755));
  int dfd = open("d", O_RDONLY | O_DIRECTORY);
  SAY("F_GETFL dir: %#x\n", fcntl(dfd, F_GETFL));
  close(dfd);
  int pfd = open("f", O_PATH);
  SAY("F_GETFL O_PATH: %#x\n", fcntl(pfd, F_GETFL));
  R("F_SETFL on O_PATH", fcntl(pfd, F_SETFL, O_NONBLOCK));
  R("F_DUPFD on O_PATH", fcntl(pfd, F_DUPFD, 30));
  close(30);
  close(pfd);

  /* F_SETLK: POSIX record locks on the file, seen by another process. */
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4};
  R("F_SETLK write lock", fcntl(fd, F_SETLK, &fl));
  pid_t pid = fork();
  if (pid == 0) {
    int cfd = open("f", O_RDWR);
    struct flock c = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1};
    errno = 0;
    int r = fcntl(cfd, F_SETLK, &c);
    printf("child F_SETLK overlapping: %d %s\n", r, r ? ename(errno) : "");
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    r = fcntl(cfd, F_GETLK, &q);
    printf("child F_GETLK: %d type %s start %ld len %ld pid is parent: %d\n", r,
           q.l_type == F_WRLCK ? "F_WRLCK" : q.l_type == F_UNLCK ? "F_UNLCK" : "?", (long)q.l_start, (long)q.l_len,
           q.l_pid == getppid());
    struct flock c2 = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 4, .l_len = 2};
    errno = 0;
    r = fcntl(cfd, F_SETLK, &c2);
    printf("child F_SETLK disjoint: %d %s\n", r, r ? ename(errno) : "");
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  SAY("child exit: %d\n", WEXITSTATUS(st));
  struct flock own = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  R("F_GETLK over own lock", fcntl(fd, F_GETLK, &own));
  SAY("own lock reported as: %s\n", own.l_type == F_UNLCK ? "F_UNLCK" : "locked");
  /* A child's lock beyond ours: F_GETLK looks past our own lock to find it. */
  int sync[2], go[2];
  if (pipe(sync) != 0 || pipe(go) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    int cfd = open("f", O_RDWR);
    struct flock c = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 6, .l_len = 2};
    char ch = fcntl(cfd, F_SETLK, &c) == 0 ? 'y' : 'n';
    if (write(sync[1], &ch, 1) != 1 || read(go[0], &ch, 1) != 1) _exit(1);
    _exit(0);
  }
  char ch = 0;
  R("child locked", read(sync[0], &ch, 1));
  SAY("child lock taken: %c\n", ch);
  struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 0, .l_len = 0};
  lseek(fd, 1, SEEK_SET);
  R("F_GETLK from offset 1 to EOF", fcntl(fd, F_GETLK, &q));
  SAY("found: %s whence %d start %ld len %ld pid is child: %d\n", q.l_type == F_RDLCK ? "F_RDLCK" : "?", q.l_whence,
      (long)q.l_start, (long)q.l_len, q.l_pid == pid);
  struct flock rq = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  R("F_GETLK read lock", fcntl(fd, F_GETLK, &rq));
  SAY("read lock conflicts: %s\n", rq.l_type == F_UNLCK ? "none" : "some");
  struct flock neg = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 9, .l_len = -4};
  R("F_GETLK negative length", fcntl(fd, F_GETLK, &neg));
  SAY("found: start %ld len %ld\n", (long)neg.l_start, (long)neg.l_len);
  struct flock bad0 = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = -4};
  R("F_GETLK before start of file", fcntl(fd, F_GETLK, &bad0));
  struct flock un = {.l_type = F_UNLCK, .l_whence = SEEK_SET};
  R("F_GETLK with F_UNLCK", fcntl(fd, F_GETLK, &un));
  if (write(go[1], "g", 1) != 1) return 1;
  waitpid(pid, &st, 0);
  close(sync[0]);
  close(sync[1]);
  close(go[0]);
  close(go[1]);
  fl.l_type = F_UNLCK;
  R("F_SETLK unlock", fcntl(fd, F_SETLK, &fl));
  struct flock bad = {.l_type = 99, .l_whence = SEEK_SET};
  R("F_SETLK bad type", fcntl(fd, F_SETLK, &bad));
  int rofd = open("f", O_RDONLY);
  struct flock wl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
  R("F_SETLK write lock on rdonly fd", fcntl(rofd, F_SETLK, &wl));
  close(rofd);

  /* flock */
  R("flock LOCK_EX", flock(fd, LOCK_EX));
  int fd2 = open("f", O_RDONLY);
  R("flock second open LOCK_EX|LOCK_NB", flock(fd2, LOCK_EX | LOCK_NB));
  int fd3 = dup(fd);
  R("flock dup LOCK_EX|LOCK_NB", flock(fd3, LOCK_EX | LOCK_NB));
  R("flock LOCK_UN", flock(fd, LOCK_UN));
  R("flock second open now", flock(fd2, LOCK_EX | LOCK_NB));
  R("flock bad op", flock(fd2, 0));
  R("flock bad fd", flock(99, LOCK_EX));
  close(fd2);
  close(fd3);

  /* Descriptors are shared with a forked child, offsets included. */
  lseek(fd, 0, SEEK_SET);
  pid = fork();
  if (pid == 0) {
    lseek(fd, 7, SEEK_SET);
    _exit(0);
  }
  waitpid(pid, &st, 0);
  R("offset moved by child", lseek(fd, 0, SEEK_CUR));

  /* close-on-exec survives fork, not exec (checked through /proc/self/fd in the new image elsewhere). */
  R("close", close(fd));
  R("close again", close(fd));
  fs_cleanup();
  return 0;
}
