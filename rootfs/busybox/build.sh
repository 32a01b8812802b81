#!/bin/sh
# Builds a busybox root filesystem in DIR: the static busybox with the applets
# listed in ./applets linked to it, the usual top-level directories, and the
# files under ./files (passwd, group). Used by oci/make-bundle.sh, the OCI
# client scripts and the image tests.
#   usage: rootfs/busybox/build.sh DIR      (BUSYBOX=path overrides the binary)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${1:?usage: rootfs/busybox/build.sh DIR}
busybox=${BUSYBOX:-$(command -v busybox || true)}
[ -n "$busybox" ] || { echo "rootfs/busybox: busybox not found (apt-get install busybox-static)" >&2; exit 1; }
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || echo "rootfs/busybox: warning: $busybox is not static" >&2
mkdir -p "$root"
root=$(cd "$root" && pwd)
mkdir -p "$root/bin" "$root/root" "$root/tmp" "$root/proc" "$root/dev" "$root/sys" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for a in $(cat "$here/applets"); do ln -sf busybox "$root/bin/$a"; done
cp -R "$here/files/." "$root/"
