#!/bin/sh
# Drives Docker with tsvisor as a registered runtime, against a dockerd the
# script starts with its own data root, exec root and socket (--bridge none,
# --iptables=false: it touches no host network), on a busybox image loaded
# locally (oci/image-archive.mjs, no registry).
#   usage: oci/docker.sh    (needs root and dockerd >= 20.10)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runtime=$(cd "$here/../bin" && pwd)/tsvisor-oci
work=$(mktemp -d)
D="docker -H unix://$work/docker.sock"
img=localhost/tsvisor-busybox:docker
name=tsvisor-docker-$$
pid=
# Docker's network hook turns IPv6 off in the namespace of the pid it is given
# (the sentry's, which moves to a namespace of its own as root: docs/oci.md);
# should it ever reach the host's again, what was there is put back at the end.
ipv6_saved=$(for k in all default lo; do printf '%s=%s ' "$k" "$(cat /proc/sys/net/ipv6/conf/$k/disable_ipv6 2>/dev/null)"; done)
cleanup() {
  $D rm -f "$name" >/dev/null 2>&1 || true
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; }
  umount -R "$work/exec" 2>/dev/null || true
  rm -rf "$work"
  for kv in $ipv6_saved; do
    k=${kv%%=*} v=${kv#*=}
    [ -z "$v" ] || echo "$v" > "/proc/sys/net/ipv6/conf/$k/disable_ipv6" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "not ok - $*"; exit 1; }

dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/docker.pid" -H "unix://$work/docker.sock" \
  --bridge none --iptables=false --ip6tables=false --storage-driver vfs --containerd-namespace "tsvisor-$$" \
  --add-runtime "tsvisor=$runtime" >"$work/dockerd.log" 2>&1 &
pid=$!
i=0
until $D version >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 600 ] || fail "dockerd did not start: $(tail -3 "$work/dockerd.log")"; sleep 0.1
done

"$here/make-bundle.sh" "$work/bundle" true >/dev/null
node "$here/image-archive.mjs" "$work/bundle/rootfs" "$work/image.tar" "$img"
$D load -i "$work/image.tar" >/dev/null || fail "docker load"

out=$($D run --runtime tsvisor --rm --network none "$img" echo hi) || fail "docker run --rm"
[ "$out" = hi ] || fail "docker run printed '$out'"
echo "ok - docker run --rm echo hi"

set +e
$D run --runtime tsvisor --rm --network none "$img" sh -c 'exit 6'
code=$?
set -e
[ $code = 6 ] || fail "exit status 6 came back as $code"
echo "ok - docker run: the exit status"

if command -v script >/dev/null; then
  out=$(script -qec "$D run --runtime tsvisor --rm -t --network none $img sh -c 'tty; echo tty-ok'" /dev/null </dev/null | tr -d '\r')
  case "$out" in /dev/pts/*tty-ok*) ;; *) fail "docker run -t printed '$out'" ;; esac
  echo "ok - docker run -t"
fi

$D run --runtime tsvisor -d --name "$name" --network none "$img" sleep 3600 >/dev/null || fail "docker run -d"
out=$($D exec "$name" sh -c 'echo exec-ok') || fail "docker exec"
[ "$out" = exec-ok ] || fail "docker exec printed '$out'"
echo "ok - docker exec"
if command -v script >/dev/null; then
  out=$(script -qec "$D exec -t $name sh -c 'tty; echo exec-tty-ok'" /dev/null </dev/null | tr -d '\r')
  case "$out" in /dev/pts/*exec-tty-ok*) ;; *) fail "docker exec -t printed '$out'" ;; esac
  echo "ok - docker exec -t"
fi
$D top "$name" | grep -q 'sleep 3600' || fail "docker top"
echo "ok - docker top"
$D stop -t 2 "$name" >/dev/null || fail "docker stop"
$D rm "$name" >/dev/null || fail "docker rm"
echo "ok - docker stop, rm"
