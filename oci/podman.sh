#!/bin/sh
# Drives podman with tsvisor as its runtime, end to end, on a busybox image
# imported locally from oci/make-bundle.sh's rootfs (no registry). Always
# --network none (podman's default network rewrites iptables).
#   usage: oci/podman.sh            (needs root and podman >= 4)
# Prints one "ok - ..." line per check; exits non-zero at the first failure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runtime="$here/../bin/tsvisor-oci"
work=${TSVISOR_OCI_WORK:-}
own_work=
[ -n "$work" ] || { work=$(mktemp -d); own_work=1; }
img=localhost/tsvisor-busybox:test
name=tsvisor-podman-$$
P="podman --runtime $runtime"
cleanup() {
  $P rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$work/bundle"
  [ -z "$own_work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "not ok - $*"; exit 1; }

"$here/make-bundle.sh" "$work/bundle" true >/dev/null
tar -C "$work/bundle/rootfs" -c . | podman import -q - "$img" >/dev/null

out=$($P run --rm --network none "$img" echo hi) || fail "podman run --rm"
[ "$out" = hi ] || fail "podman run --rm printed '$out'"
echo "ok - podman run --rm echo hi"

set +e
$P run --rm --network none "$img" sh -c 'exit 7'
code=$?
set -e
[ $code = 7 ] || fail "exit status 7 came back as $code"
echo "ok - podman run: the exit status"

if command -v script >/dev/null; then
  out=$(script -qec "$P run --rm -t --network none $img sh -c 'tty; echo tty-ok'" /dev/null </dev/null | tr -d '\r')
  case "$out" in /dev/pts/*tty-ok*) ;; *) fail "podman run -t printed '$out'" ;; esac
  echo "ok - podman run -t (a console socket)"
fi

$P run -d --name "$name" --network none "$img" sleep 3600 >/dev/null || fail "podman run -d"
st=$($P inspect -f '{{.State.Status}}' "$name")
[ "$st" = running ] || fail "state after run -d: $st"
echo "ok - podman run -d: running"

out=$($P exec "$name" sh -c 'echo in-$(hostname); ps | grep -c sleep') || fail "podman exec"
case "$out" in in-*) ;; *) fail "podman exec printed '$out'" ;; esac
echo "ok - podman exec"

if command -v script >/dev/null; then
  out=$(script -qec "$P exec -t $name sh -c 'tty; echo exec-tty-ok'" /dev/null </dev/null | tr -d '\r')
  case "$out" in /dev/pts/*exec-tty-ok*) ;; *) fail "podman exec -t printed '$out'" ;; esac
  echo "ok - podman exec -t"
fi

set +e
$P exec "$name" sh -c 'exit 3'
code=$?
set -e
[ $code = 3 ] || fail "exec exit status 3 came back as $code"
echo "ok - podman exec: the exit status"

$P stop -t 2 "$name" >/dev/null || fail "podman stop"
st=$($P inspect -f '{{.State.Status}}' "$name")
[ "$st" = exited ] || fail "state after stop: $st"
echo "ok - podman stop"

$P rm "$name" >/dev/null || fail "podman rm"
echo "ok - podman rm"
