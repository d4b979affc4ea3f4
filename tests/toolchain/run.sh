#!/usr/bin/env bash
# Builds an existing project with the Toro toolchain the way a user would,
# then boots the result: `run.sh make BUILD_DIR` or `run.sh cmake BUILD_DIR`.
set -euo pipefail
kind=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$build/tests/toolchain/$kind
rm -rf "$work"
mkdir -p "$work"
case $kind in
make)
	cp "$here"/make-project/* "$work"/
	make -s -C "$work" CC="$build/bin/x86_64-toro-gcc"
	image=$work/prog
	args=() ;;
cmake)
	cmake -S "$here/cmake-project" -B "$work" -G Ninja \
		-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toro-toolchain.cmake" -DTORO_BUILD_DIR="$build" >/dev/null
	ninja -C "$work" >/dev/null
	image=$work/greeter
	args=(-- cmake) ;;
*)
	echo "run.sh: make or cmake" >&2
	exit 2 ;;
esac
exec "$here/../vm/run-vm-test.sh" --name "toolchain-$kind" --status 0 \
	--log-dir "$build/tests/vm/logs" -- "$image" "${args[@]}"
