/* Extended attributes in the user namespace: set/get/list/remove, flags and errors. */
#include "fs_util.h"
#include <sys/xattr.h>

static void get(const char *what, const char *path) {
  char v[64];
  errno = 0;
  ssize_t n = getxattr(path, "user.k", v, sizeof v);
  if (n < 0) SAY("%s: -1 %s\n", what, ename(errno));
  else SAY("%s: %zd \"%.*s\"\n", what, n, (int)n, v);
}

static void list(const char *what, const char *path) {
  char buf[256];
  errno = 0;
  ssize_t n = listxattr(path, buf, sizeof buf);
  if (n < 0) {
    SAY("%s: -1 %s\n", what, ename(errno));
    return;
  }
  /* Names in a stable order: only user.* ones (others depend on the filesystem). */
  const char *names[16];
  int k = 0;
  for (ssize_t o = 0; o < n && k < 16; o += strlen(buf + o) + 1)
    if (!strncmp(buf + o, "user.", 5)) names[k++] = buf + o;
  for (int i = 0; i < k; i++)
    for (int j = i + 1; j < k; j++)
      if (strcmp(names[i], names[j]) > 0) {
        const char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  SAY("%s:", what);
  for (int i = 0; i < k; i++) SAY(" %s", names[i]);
  SAY("\n");
}

int main(void) {
  fs_setup("xattr");
  put("f", "x");
  R("mkdir d", mkdir("d", 0755));
  R("symlink", symlink("f", "l"));
  get("get missing", "f");
  R("setxattr", setxattr("f", "user.k", "value", 5, 0));
  get("get", "f");
  R("XATTR_CREATE existing", setxattr("f", "user.k", "v2", 2, XATTR_CREATE));
  R("XATTR_REPLACE existing", setxattr("f", "user.k", "v2", 2, XATTR_REPLACE));
  get("get replaced", "f");
  R("XATTR_REPLACE missing", setxattr("f", "user.other", "v", 1, XATTR_REPLACE));
  R("XATTR_CREATE new", setxattr("f", "user.other", "", 0, XATTR_CREATE));
  R("setxattr bad flags", setxattr("f", "user.k", "v", 1, 4));
  R("setxattr no namespace", setxattr("f", "k", "v", 1, 0));
  R("setxattr unknown namespace", setxattr("f", "bogus.k", "v", 1, 0));
  R("setxattr empty name", setxattr("f", "", "v", 1, 0));
  list("list", "f");
  char small[1];
  R("getxattr size 0 gives the size", getxattr("f", "user.k", NULL, 0));
  R("getxattr small buffer", getxattr("f", "user.k", small, sizeof small));
  R("listxattr size 0 gives a size", listxattr("f", NULL, 0) > 0);
  R("listxattr small buffer", listxattr("f", small, sizeof small));
  get("via symlink follows", "l");
  R("lgetxattr on symlink", lgetxattr("l", "user.k", small, 0));
  R("lsetxattr user.* on symlink", lsetxattr("l", "user.k", "v", 1, 0));
  int fd = open("f", O_RDONLY);
  R("fgetxattr", fgetxattr(fd, "user.k", NULL, 0));
  R("fsetxattr on rdonly fd", fsetxattr(fd, "user.fd", "1", 1, 0));
  R("fremovexattr", fremovexattr(fd, "user.fd"));
  close(fd);
  R("removexattr", removexattr("f", "user.k"));
  R("removexattr again", removexattr("f", "user.k"));
  list("list after remove", "f");
  R("setxattr on dir", setxattr("d", "user.k", "dir", 3, 0));
  get("get on dir", "d");
  R("getxattr missing file", getxattr("missing", "user.k", NULL, 0));
  /* Attributes travel with the inode: hard links share them, rename keeps them. */
  R("link", link("f", "f2"));
  R("setxattr via one link", setxattr("f2", "user.k", "shared", 6, 0));
  get("seen via the other", "f");
  R("rename", rename("f", "f3"));
  get("after rename", "f3");
  char big[300];
  memset(big, 'n', sizeof big);
  memcpy(big, "user.", 5);
  big[299] = 0;
  R("name too long", setxattr("f3", big, "v", 1, 0));
  fs_cleanup();
  return 0;
}
