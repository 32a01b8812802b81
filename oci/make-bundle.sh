#!/bin/sh
# Builds an OCI bundle (DIR/config.json + DIR/rootfs) from the recipe in
# rootfs/busybox/ (a static busybox with its applets linked, passwd, group).
# config.json is `tsvisor-oci spec` with the process given
# as arguments (default: sh -c 'echo hello from $(hostname)').
#   usage: oci/make-bundle.sh DIR [CMD ARG...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: make-bundle.sh DIR [CMD...]}
shift
"$here/../rootfs/busybox/build.sh" "$dir/rootfs"
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
