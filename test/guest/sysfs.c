/* /sys files runtimes read: CPU ranges and transparent huge pages. */
#include "fs_util.h"

int main(void) {
  show_file("cpu online", "/sys/devices/system/cpu/online");
  show_file("cpu possible", "/sys/devices/system/cpu/possible");
  show_file("cpu present", "/sys/devices/system/cpu/present");
  show_file("thp enabled", "/sys/kernel/mm/transparent_hugepage/enabled");
  show_file("thp defrag", "/sys/kernel/mm/transparent_hugepage/defrag");
  struct stat st;
  SAY("/sys/fs/cgroup is a directory: %d\n", stat("/sys/fs/cgroup", &st) == 0 && S_ISDIR(st.st_mode));
  return 0;
}
