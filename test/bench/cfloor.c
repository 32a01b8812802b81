/* The C floor for W9: a supervisor written in C answering a child's getppid
 * through seccomp user notification (SYNC_WAKE_UP when the kernel has it), the
 * best any supervisor can do on this machine. Prints microseconds per call. */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

static int pass_fd(int sock, int fd) {
  char b = 0;
  struct iovec io = {&b, 1};
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr a; } u;
  struct msghdr m = {0};
  m.msg_iov = &io; m.msg_iovlen = 1; m.msg_control = u.buf; m.msg_controllen = sizeof u.buf;
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int take_fd(int sock) {
  char b;
  struct iovec io = {&b, 1};
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr a; } u;
  struct msghdr m = {0};
  m.msg_iov = &io; m.msg_iovlen = 1; m.msg_control = u.buf; m.msg_controllen = sizeof u.buf;
  if (recvmsg(sock, &m, 0) != 1) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof fd);
  return fd;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000;
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pid_t child = fork();
  if (child == 0) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {4, f};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    if (lfd < 0 || pass_fd(sv[1], lfd)) _exit(1);
    char go;
    if (read(sv[1], &go, 1) != 1) _exit(1);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n;
    if (write(sv[1], &us, sizeof us) != sizeof us) _exit(1);
    _exit(0);
  }
  int lfd = take_fd(sv[0]);
  if (lfd < 0) return 1;
  ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, 1UL); /* SYNC_WAKE_UP; ignored where unknown */
  if (write(sv[0], "g", 1) != 1) return 1;
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  for (long i = 0; i < n; i++) {
    memset(&req, 0, sizeof req);
    if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req)) return 1;
    memset(&resp, 0, sizeof resp);
    resp.id = req.id;
    resp.val = 1;
    ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
  }
  double us;
  if (read(sv[0], &us, sizeof us) != sizeof us) return 1;
  waitpid(child, NULL, 0);
  printf("%.3f\n", us);
  return 0;
}
