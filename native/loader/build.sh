#!/bin/sh
# Builds the freestanding loader. Called by binding.gyp (node-gyp) with the output path.
set -eu
out=${1:?usage: build.sh OUTPUT}
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-gcc}
$cc -Os -static-pie -nostdlib -ffreestanding -fno-builtin -fPIE -fno-stack-protector \
  -fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none -Wall -Wextra -Werror \
  -Wl,--no-dynamic-linker -Wl,-z,noexecstack -Wl,--build-id=none -Wl,-z,norelro \
  -o "$out.tmp" "$here/loader.c"
# The loader never relocates itself: any relocation would be a bug.
if readelf -r "$out.tmp" | grep -q 'R_'; then
  echo "tsvisor-loader: unexpected relocations" >&2; readelf -r "$out.tmp" >&2; exit 1
fi
mv "$out.tmp" "$out"
