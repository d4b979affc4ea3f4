#!/usr/bin/env bash
# Thread figures (issue: threads): bench/threads.c as a Toro image under QEMU,
# natively on the host, and in the Linux VM on the same QEMU settings; median
# of RUNS runs each, with ratios.  Figures only, never pass/fail.
#
#   bench/threads.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TORO_BUILD:-$root/build}
runs=${1:-3}
source "$here/lib.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
out=$build/bench/threads
mkdir -p "$out"

"$build/bin/x86_64-toro-gcc" -O2 "$here/threads.c" -o "$out/threads.img"
gcc -O2 -pthread "$here/threads.c" -o "$out/threads.host"
gcc -O2 -static -pthread "$here/threads.c" -o "$out/threads.static"

collect() { # command... -> "figure value" lines, median over runs
	for ((i = 0; i < runs; i++)); do "$@" 2>/dev/null | tr -d '\r' | grep -E '^[a-z_0-9]+ -?[0-9.]+$'; done >"$out/raw.$$"
	awk '{ print $1 }' "$out/raw.$$" | sort -u | while read -r f; do
		echo "$f $(awk -v f="$f" '$1 == f { print $2 }' "$out/raw.$$" | median)"
	done
	rm -f "$out/raw.$$"
}

bench_env
echo "# runs: $runs each; toro and linux-vm under QEMU ($TORO_ACCEL), host native"
collect "$root/tools/toro-run" --timeout 300 "$out/threads.img" >"$out/toro.txt"
collect "$out/threads.host" >"$out/host.txt"
: >"$out/linux.txt"
if [[ -x $here/linuxvm/build.sh ]]; then
	"$here/linuxvm/build.sh" "$out/linuxvm" --add "$out/threads.static:/threads" >/dev/null
	collect "$here/linuxvm/run.sh" "$out/linuxvm" -- /threads >"$out/linux.txt"
fi

printf '%-24s %12s %12s %12s %12s %12s\n' figure toro linux-vm host "linux/toro" "host/toro"
while read -r f t; do
	l=$(awk -v f="$f" '$1 == f { print $2 }' "$out/linux.txt")
	h=$(awk -v f="$f" '$1 == f { print $2 }' "$out/host.txt")
	printf '%-24s %12s %12s %12s %12s %12s\n' "$f" "$t" "${l:-n/a}" "${h:-n/a}" \
		"$(ratio "${l:-0}" "$t")" "$(ratio "${h:-0}" "$t")"
done <"$out/toro.txt"
