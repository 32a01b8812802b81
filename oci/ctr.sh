#!/bin/sh
# Drives containerd's ctr with tsvisor as the runc binary (the runc shim
# takes any runc-compatible binary), against a containerd the script starts
# with its own root, state and socket, on a busybox image imported locally.
#   usage: oci/ctr.sh       (needs root, containerd and ctr)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runtime="$here/../bin/tsvisor-oci"
work=$(mktemp -d)
C="ctr -a $work/containerd.sock"
R="--runc-binary $runtime"
img=localhost/tsvisor-busybox:ctr
pid=
cleanup() {
  $C task kill -s KILL tsv-ctr-d >/dev/null 2>&1 || true
  $C task rm -f tsv-ctr-d >/dev/null 2>&1 || true
  $C containers rm tsv-ctr-d >/dev/null 2>&1 || true
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  umount -R "$work/state" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "not ok - $*"; exit 1; }

containerd --root "$work/root" --state "$work/state" --address "$work/containerd.sock" >"$work/containerd.log" 2>&1 &
pid=$!
i=0
until $C version >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 300 ] || fail "containerd did not start: $(tail -3 "$work/containerd.log")"; sleep 0.1
done

"$here/make-bundle.sh" "$work/bundle" true >/dev/null
node "$here/image-archive.mjs" "$work/bundle/rootfs" "$work/image.tar" "$img"
$C images import "$work/image.tar" >/dev/null || fail "ctr images import"

out=$($C run $R --rm "$img" tsv-ctr-1 echo hi) || fail "ctr run --rm"
[ "$out" = hi ] || fail "ctr run printed '$out'"
echo "ok - ctr run --rm echo hi"

set +e
$C run $R --rm "$img" tsv-ctr-2 sh -c 'exit 5'
code=$?
set -e
[ $code = 5 ] || fail "exit status 5 came back as $code"
echo "ok - ctr run: the exit status"

$C run $R -d "$img" tsv-ctr-d sleep 3600 >/dev/null || fail "ctr run -d"
out=$($C task exec --exec-id e1 tsv-ctr-d sh -c 'echo exec-ok') || fail "ctr task exec"
[ "$out" = exec-ok ] || fail "ctr task exec printed '$out'"
echo "ok - ctr task exec"
$C task ps tsv-ctr-d >/dev/null || fail "ctr task ps"
echo "ok - ctr task ps"
$C task kill -s KILL tsv-ctr-d || fail "ctr task kill"
i=0
until $C task ls | grep tsv-ctr-d | grep -q STOPPED; do
  i=$((i + 1)); [ $i -lt 300 ] || fail "the task did not stop"; sleep 0.1
done
$C task rm tsv-ctr-d >/dev/null || fail "ctr task rm"
$C containers rm tsv-ctr-d || fail "ctr containers rm"
echo "ok - ctr task kill, rm"
