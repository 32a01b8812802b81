#!/bin/sh
# Builds an OCI bundle (DIR/config.json + DIR/rootfs) from the recipe in
# oci/rootfs/: a static busybox with its applets linked, plus the files under
# oci/rootfs/files. config.json is `tsvisor-oci spec` with the process given
# as arguments (default: sh -c 'echo hello from $(hostname)').
#   usage: oci/make-bundle.sh DIR [CMD ARG...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: make-bundle.sh DIR [CMD...]}
shift
busybox=${BUSYBOX:-$(command -v busybox || true)}
[ -n "$busybox" ] || { echo "make-bundle: busybox not found (apt-get install busybox-static)" >&2; exit 1; }
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || echo "make-bundle: warning: $busybox is not static" >&2
mkdir -p "$dir/rootfs"
root=$(cd "$dir/rootfs" && pwd)
mkdir -p "$root/bin" "$root/root" "$root/tmp" "$root/proc" "$root/dev" "$root/sys"
cp "$busybox" "$root/bin/busybox"
for a in $(cat "$here/rootfs/applets"); do ln -sf busybox "$root/bin/$a"; done
cp -R "$here/rootfs/files/." "$root/"
rm -f "$dir/config.json"
node "$here/../bin/tsvisor-oci" spec --bundle "$dir"
node - "$dir/config.json" "$@" <<'JS'
const fs = require('fs');
const [file, ...cmd] = process.argv.slice(2);
const c = JSON.parse(fs.readFileSync(file, 'utf8'));
c.process.terminal = false;
c.process.args = cmd.length ? cmd : ['sh', '-c', 'echo hello from $(hostname)'];
c.root.readonly = false;
fs.writeFileSync(file, JSON.stringify(c, null, '\t') + '\n');
JS
