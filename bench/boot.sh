#!/usr/bin/env bash
# Boot-time, size and memory figures for hello world (issue: foundation).
#
#   bench/boot.sh [RUNS]
#
# Prints: guest entry-to-main time (kernel bootstats, deterministic with
# -icount), the whole QEMU run from process start to exit (median of RUNS,
# microvm and q35), the stripped image size, the smallest -m that runs it, and
# the same figures for a Linux VM (Debian's cloud kernel and a busybox
# initramfs running a static hello) on the same QEMU settings, with ratios.
# Never pass/fail: figures only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TORO_BUILD:-$root/build}
runs=${1:-20}
source "$here/lib.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
run=$root/tools/toro-run
img=$build/examples/hello.img
[[ -f $img ]] || { echo "build first: tools/bootstrap.sh" >&2; exit 1; }

bench_env
echo "# runs: $runs"
echo

entry_us() {
	TORO_QEMU_EXTRA="-icount shift=0" "$run" --bootstats --machine "$1" "$img" 2>&1 |
		sed -n 's/.*entry-to-main [0-9]* cycles = \([0-9]*\) us.*/\1/p'
}

whole_ms() {
	for ((i = 0; i < runs; i++)); do time_ms "$run" --machine "$1" "$img"; done | median
}

smallest_m() {
	for m in 1 2 3 4 6 8 16; do
		if "$run" -m "${m}M" --timeout 20 --machine "$1" "$img" 2>/dev/null | grep -q "Hello from Toro"; then
			echo "${m}M"
			return
		fi
	done
	echo ">16M"
}

strip -o "$build/hello.stripped" "$img"
size=$(stat -c %s "$build/hello.stripped")

linux_ms() { echo n/a; }
linux_size=n/a
if [[ -x $here/linuxvm/build.sh ]]; then
	lvm=$build/bench/linuxvm-hello
	mkdir -p "$lvm"
	gcc -static -O2 -o "$lvm/hello" "$root/examples/hello/hello.c"
	"$here/linuxvm/build.sh" "$lvm" --add "$lvm/hello:/hello" >/dev/null
	linux_size=$(($(stat -c %s "$lvm/vmlinuz") + $(stat -c %s "$lvm/initramfs.cpio.gz")))
	linux_ms() {
		local n=$((runs < 5 ? runs : 5))
		for ((i = 0; i < n; i++)); do
			time_ms timeout 300 "$here/linuxvm/run.sh" "$lvm" --machine "$1" -- /hello
		done | median
	}
fi

printf '%-44s %12s %12s %8s\n' "figure" "toro" "linux-vm" "ratio"
for m in microvm q35; do
	t=$(whole_ms $m)
	l=$(linux_ms $m)
	printf '%-44s %10s ms %10s ms %8s\n' "hello: QEMU start to exit, $m (median)" "$t" "$l" "$(ratio "$l" "$t")"
done
for m in microvm q35; do
	printf '%-44s %10s us\n' "guest entry to main, $m (-icount)" "$(entry_us $m)"
done
printf '%-44s %10s B  %10s B  %8s\n' "image size (stripped; linux: kernel+initrd)" "$size" "$linux_size" "$(ratio "$linux_size" "$size")"
printf '%-44s %12s\n' "smallest -m running hello (microvm)" "$(smallest_m microvm)"
