#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, then configures and builds
# Toro into ./build (or $TORO_BUILD).  Safe to run again: it only does what
# is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TORO_BUILD:-$root/build}

# Debian packages the build, the tests and the examples use.
packages=(gcc binutils make cmake ninja-build qemu-system-x86 newlib-source lz4
	  ca-certificates xz-utils cpio redis-tools python3 curl wrk
	  iproute2)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	echo "bootstrap: installing ${missing[*]}"
	sudo=
	[[ $(id -u) == 0 ]] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build"
