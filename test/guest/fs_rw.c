/* read/write/pread/pwrite/readv/writev/lseek, O_APPEND, truncate/ftruncate. */
#include "fs_util.h"
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static void size_of(const char *what, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) SAY("%s: stat -1 %s\n", what, ename(errno));
  else SAY("%s: size %lld\n", what, (long long)st.st_size);
}

int main(void) {
  fs_setup("rw");
  char buf[128];
  int fd = R("open rw", open("f", O_RDWR | O_CREAT, 0644));

  R("write", write(fd, "0123456789", 10));
  R("lseek cur", lseek(fd, 0, SEEK_CUR));
  show_read("read at eof", fd, 10);
  R("lseek set 2", lseek(fd, 2, SEEK_SET));
  show_read("read 3", fd, 3);
  R("lseek cur +1", lseek(fd, 1, SEEK_CUR));
  show_read("read rest", fd, 100);
  R("lseek end -3", lseek(fd, -3, SEEK_END));
  show_read("read tail", fd, 100);
  R("lseek negative", lseek(fd, -1, SEEK_SET));
  R("lseek cur negative", lseek(fd, -100, SEEK_CUR));
  R("lseek end negative", lseek(fd, -11, SEEK_END));
  R("lseek bad whence", lseek(fd, 0, 42));
  R("lseek offset unchanged after errors", lseek(fd, 0, SEEK_CUR));
  R("lseek beyond eof", lseek(fd, 20, SEEK_SET));
  show_read("read beyond eof", fd, 10);
  R("write beyond eof", write(fd, "X", 1));
  size_of("size after hole", "f");
  R("pread hole", pread(fd, buf, 12, 8));
  for (int i = 0; i < 12; i++) SAY("%02x", (unsigned char)buf[i]);
  SAY("\n");
  R("lseek SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
  R("lseek SEEK_DATA past eof", lseek(fd, 100, SEEK_DATA));
  R("lseek SEEK_HOLE past eof", lseek(fd, 100, SEEK_HOLE));

  /* pread/pwrite leave the offset alone. */
  R("lseek set 5", lseek(fd, 5, SEEK_SET));
  R("pwrite at 0", pwrite(fd, "ab", 2, 0));
  R("pread at 0", pread(fd, buf, 4, 0));
  SAY("pread data: %.4s\n", buf);
  R("offset still 5", lseek(fd, 0, SEEK_CUR));
  R("pread negative", pread(fd, buf, 1, -1));
  R("pwrite negative", pwrite(fd, "x", 1, -1));
  R("pread past eof", pread(fd, buf, 4, 1000));
  R("pwrite zero bytes", pwrite(fd, "x", 0, 0));
  R("write zero bytes", write(fd, "x", 0));
  R("read zero bytes", read(fd, buf, 0));

  /* readv/writev */
  R("ftruncate 0", ftruncate(fd, 0));
  R("lseek 0", lseek(fd, 0, SEEK_SET));
  struct iovec iov[3] = {{(void *)"one ", 4}, {(void *)"", 0}, {(void *)"two three", 9}};
  R("writev", writev(fd, iov, 3));
  R("offset after writev", lseek(fd, 0, SEEK_CUR));
  R("lseek 0", lseek(fd, 0, SEEK_SET));
  char a[3], b[5], c[40];
  struct iovec riov[3] = {{a, 3}, {b, 5}, {c, 40}};
  memset(c, 0, sizeof c);
  R("readv", readv(fd, riov, 3));
  SAY("readv parts: %.3s|%.5s|%s\n", a, b, c);
  R("readv at eof", readv(fd, riov, 3));
  /* Raw calls: glibc's prototypes object to these counts at compile time. */
  R("writev bad count", syscall(SYS_writev, fd, iov, -1));
  R("readv bad count", syscall(SYS_readv, fd, riov, 100000));
  R("preadv", preadv(fd, riov, 2, 4));
  SAY("preadv parts: %.3s|%.5s\n", a, b);
  R("pwritev", pwritev(fd, iov, 1, 13));
  show_file("after pwritev", "f");
  close(fd);

  /* Two opens: separate offsets. */
  put("g", "abcdef");
  int x = open("g", O_RDONLY), y = open("g", O_RDONLY);
  show_read("x reads 2", x, 2);
  show_read("y reads 3", y, 3);
  show_read("x reads 2 more", x, 2);
  close(x);
  close(y);

  /* O_APPEND: every write goes to the end, whatever the offset. */
  int ap = R("open append", open("g", O_WRONLY | O_APPEND));
  int pl = R("open plain", open("g", O_WRONLY));
  R("append offset at open", lseek(ap, 0, SEEK_CUR));
  R("append write", write(ap, "GH", 2));
  R("append offset after write", lseek(ap, 0, SEEK_CUR));
  R("plain write at 0", write(pl, "AB", 2));
  R("append lseek 0", lseek(ap, 0, SEEK_SET));
  R("append write again", write(ap, "IJ", 2));
  R("plain write at 2", write(pl, "CD", 2));
  R("pwrite on append fd", pwrite(ap, "zz", 2, 0));
  show_file("after appends", "g");
  R("append offset", lseek(ap, 0, SEEK_CUR));
  struct iovec aiov[2] = {{(void *)"K", 1}, {(void *)"L", 1}};
  R("writev on append fd", writev(ap, aiov, 2));
  show_file("after writev append", "g");
  close(ap);
  close(pl);
  ap = R("open rdwr append", open("g", O_RDWR | O_APPEND));
  show_read("append fd reads from 0", ap, 4);
  R("append write", write(ap, "M", 1));
  show_read("read after append write", ap, 4);
  close(ap);

  /* truncate/ftruncate */
  put("t", "hello world");
  R("truncate 5", truncate("t", 5));
  show_file("truncated", "t");
  R("truncate grow 8", truncate("t", 8));
  size_of("grown", "t");
  R("truncate negative", truncate("t", -1));
  R("truncate missing", truncate("missing", 0));
  R("mkdir d", mkdir("d", 0755));
  R("truncate dir", truncate("d", 0));
  fd = open("t", O_RDONLY);
  R("ftruncate rdonly", ftruncate(fd, 0));
  close(fd);
  fd = open("t", O_WRONLY);
  R("ftruncate 2", ftruncate(fd, 2));
  R("ftruncate negative", ftruncate(fd, -5));
  R("offset after ftruncate", lseek(fd, 0, SEEK_CUR));
  close(fd);
  show_file("ftruncated", "t");
  fd = open("d", O_RDONLY);
  R("ftruncate dir", ftruncate(fd, 0));
  R("write dir", write(fd, "x", 1));
  R("lseek dir", lseek(fd, 0, SEEK_SET));
  close(fd);
  R("ftruncate bad fd", ftruncate(77, 0));
  R("write bad fd", write(77, "x", 1));
  R("read bad fd", read(77, buf, 1));
  R("lseek bad fd", lseek(77, 0, SEEK_SET));

  /* A larger transfer crosses any internal chunking. */
  static char big[3 << 20];
  for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7 + i / 4096);
  fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
  R("write 3 MiB", write(fd, big, sizeof big));
  static char back[3 << 20];
  R("pread 3 MiB", pread(fd, back, sizeof back, 0));
  SAY("same: %d\n", memcmp(big, back, sizeof big) == 0);
  R("lseek 1 MiB", lseek(fd, 1 << 20, SEEK_SET));
  R("read 3 MiB from 1 MiB", read(fd, back, sizeof back));
  SAY("same: %d\n", memcmp(big + (1 << 20), back, 2 << 20) == 0);
  close(fd);

  /* mmap: shared mappings and file I/O see the same bytes. */
  fd = open("m", O_RDWR | O_CREAT | O_TRUNC, 0644);
  R("ftruncate 8192", ftruncate(fd, 8192));
  char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  SAY("mmap shared: %s\n", p == MAP_FAILED ? ename(errno) : "ok");
  if (p != MAP_FAILED) {
    memcpy(p + 4096, "mapped", 6);
    R("pread sees the mapping", pread(fd, buf, 6, 4096));
    SAY("data: %.6s\n", buf);
    R("pwrite at 10", pwrite(fd, "written", 7, 10));
    SAY("mapping sees the write: %.7s\n", p + 10);
    R("msync", msync(p, 8192, MS_SYNC));
    munmap(p, 8192);
  }
  int ro = open("m", O_RDONLY);
  R("mmap shared writable on rdonly fd", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED ? -1 : 0);
  p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 0);
  SAY("mmap private read-only: %s %.7s\n", p == MAP_FAILED ? ename(errno) : "ok", p == MAP_FAILED ? "" : p + 10);
  close(ro);
  close(fd);
  int lower = open("/etc/passwd", O_RDONLY);
  p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, lower, 0);
  SAY("mmap lower-layer file: %s first line starts with root: %d\n", p == MAP_FAILED ? ename(errno) : "ok",
      p != MAP_FAILED && !strncmp(p, "root:", 5));
  R("mmap lower-layer file shared writable", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, lower, 0) == MAP_FAILED ? -1 : 0);
  close(lower);

  fs_cleanup();
  return 0;
}
