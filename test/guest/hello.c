/* The smallest differential case: output, exit status, argv, and a pid that is
 * consistent with itself (the sandbox's init is pid 1, natively it is not). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("hello from %s with %d args\n", argc > 1 ? argv[1] : "nobody", argc);
  printf("pid is positive: %d\n", getpid() > 0);
  return 3;
}
