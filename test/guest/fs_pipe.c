/* pipe/pipe2 (O_NONBLOCK, O_CLOEXEC), EPIPE with SIGPIPE ignored, pipes across fork, FIFOs. */
#include "fs_util.h"
#include <signal.h>
#include <sys/wait.h>

static void on_pipe(int sig) {
  (void)sig;
  static const char m[] = "SIGPIPE delivered\n";
  if (write(1, m, sizeof m - 1) < 0) _exit(3);
}

int main(void) {
  fs_setup("pipe");
  int p[2];
  char buf[64];
  R("pipe", pipe(p));
  SAY("ends are 3 and 4: %d %d\n", p[0] == 3, p[1] == 4);
  SAY("F_GETFL read end %#x write end %#x\n", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
  SAY("F_GETFD %d %d\n", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
  R("write", write(p[1], "hello", 5));
  show_read("read", p[0], 64);
  R("read on write end", read(p[1], buf, 1));
  R("write on read end", write(p[0], "x", 1));
  R("lseek on pipe", lseek(p[0], 0, SEEK_CUR));
  R("pread on pipe", pread(p[0], buf, 1, 0));
  R("pwrite on pipe", pwrite(p[1], "x", 1, 0));
  struct stat st;
  R("fstat", fstat(p[0], &st));
  SAY("is fifo: %d mode perm %o\n", S_ISFIFO(st.st_mode), (unsigned)(st.st_mode & 0777));
  struct stat st2;
  fstat(p[1], &st2);
  SAY("both ends same inode: %d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
  close(p[0]);
  close(p[1]);

  /* pipe2 flags */
  R("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(p, O_NONBLOCK | O_CLOEXEC));
  SAY("F_GETFL %#x %#x F_GETFD %d %d\n", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL), fcntl(p[0], F_GETFD),
      fcntl(p[1], F_GETFD));
  R("read empty nonblocking", read(p[0], buf, 1));
  R("pipe2 bad flags", pipe2(p + 0, O_APPEND));
  /* Fill it: the write end reports EAGAIN when full. */
  static char chunk[4096];
  long total = 0;
  for (;;) {
    ssize_t n = write(p[1], chunk, sizeof chunk);
    if (n < 0) {
      SAY("fill stops with %s\n", ename(errno));
      break;
    }
    total += n;
  }
  SAY("capacity is 64 KiB: %d\n", total == 65536);
  R("F_GETPIPE_SZ", fcntl(p[1], F_GETPIPE_SZ));
  R("F_SETFL clear O_NONBLOCK", fcntl(p[0], F_SETFL, 0));
  SAY("F_GETFL read end %#x\n", fcntl(p[0], F_GETFL));
  R("drain read", read(p[0], chunk, sizeof chunk));
  close(p[0]);
  close(p[1]);

  /* Writing to a pipe whose read end is closed. */
  signal(SIGPIPE, SIG_IGN);
  R("pipe", pipe(p));
  close(p[0]);
  R("write with no reader (SIGPIPE ignored)", write(p[1], "x", 1));
  close(p[1]);
  signal(SIGPIPE, on_pipe);
  R("pipe", pipe(p));
  close(p[0]);
  R("write with no reader (SIGPIPE handled)", write(p[1], "x", 1));
  close(p[1]);
  signal(SIGPIPE, SIG_DFL);
  /* Default SIGPIPE kills the writer. */
  pid_t pid = fork();
  if (pid == 0) {
    int q[2];
    if (pipe(q) != 0) _exit(1);
    close(q[0]);
    (void)!write(q[1], "x", 1);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  SAY("writer killed by SIGPIPE: %d\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);

  /* EOF once every write end is closed, including the child's copy. */
  R("pipe", pipe(p));
  pid = fork();
  if (pid == 0) {
    close(p[0]);
    (void)!write(p[1], "from child", 10);
    _exit(0);
  }
  close(p[1]);
  size_t got = 0;
  ssize_t n;
  while ((n = read(p[0], buf + got, sizeof buf - 1 - got)) > 0) got += n;
  buf[got] = 0;
  SAY("read from child: %s, then %zd\n", buf, n);
  waitpid(pid, &status, 0);
  close(p[0]);

  /* O_CLOEXEC ends are gone after exec; plain ones stay. */
  R("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
  int keep[2];
  R("pipe", pipe(keep));
  pid = fork();
  if (pid == 0) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test -e /proc/self/fd/%d && echo cloexec fd open || echo cloexec fd closed; "
             "test -e /proc/self/fd/%d && echo plain fd open || echo plain fd closed", p[0], keep[0]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)0);
    _exit(127);
  }
  waitpid(pid, &status, 0);
  SAY("sh exit %d\n", WEXITSTATUS(status));
  close(p[0]);
  close(p[1]);
  close(keep[0]);
  close(keep[1]);

  /* A named FIFO in the filesystem. */
  R("mkfifo", mkfifo("fifo", 0644));
  R("open fifo nonblocking reader", open("fifo", O_RDONLY | O_NONBLOCK));
  int w = R("open fifo nonblocking writer", open("fifo", O_WRONLY | O_NONBLOCK));
  R("write fifo", write(w, "through fifo", 12));
  close(w);
  show_read("read fifo", 3, 64);
  close(3);
  R("open fifo writer without reader", open("fifo", O_WRONLY | O_NONBLOCK));
  pid = fork();
  if (pid == 0) {
    int fd = open("fifo", O_WRONLY);
    (void)!write(fd, "blocking open", 13);
    _exit(0);
  }
  int r = open("fifo", O_RDONLY);
  got = 0;
  while ((n = read(r, buf + got, sizeof buf - 1 - got)) > 0) got += n;
  buf[got] = 0;
  SAY("blocking fifo: %s\n", buf);
  close(r);
  waitpid(pid, &status, 0);

  /* A reader killed while its open waits is no reader any more. */
  pid = fork();
  if (pid == 0) {
    open("fifo", O_RDONLY);
    _exit(0);
  }
  usleep(100000);
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  SAY("waiting reader killed: %d\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  R("open fifo nonblocking writer after that", open("fifo", O_WRONLY | O_NONBLOCK));
  /* O_RDWR never waits and counts as both ends. */
  int rw = R("open fifo O_RDWR", open("fifo", O_RDWR));
  int w2 = R("nonblocking writer with an O_RDWR reader", open("fifo", O_WRONLY | O_NONBLOCK));
  R("write", write(w2, "rw", 2));
  show_read("read via O_RDWR", rw, 10);
  close(w2);
  close(rw);
  R("open fifo access mode 3", open("fifo", O_ACCMODE | O_NONBLOCK));

  fs_cleanup();
  return 0;
}
