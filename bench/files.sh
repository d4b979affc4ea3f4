#!/usr/bin/env bash
# virtio-fs file figures: bench/files/fsbench.c as a Toro image and as a
# static binary in the Linux VM (bench/linuxvm), side by side on the same
# QEMU settings (microvm, TCG, 1 vCPU, the same -m) and the same virtiofsd
# (/usr/lib/qemu/virtiofsd -o cache=auto, as toro-run --fs starts it) sharing
# one host folder.  Figures only, never pass/fail.
#
#   bench/files.sh [--size MIB] [--runs N] [--files N]
#
# Prints, with toro/linux ratios (above 1: Toro is faster):
#   - sequential write of a SIZE MiB file (default 256) in 1 MiB write()s,
#     fsync and close included, MB/s;
#   - sequential read of that file in 1 MiB read()s, MB/s, on a fresh boot
#     (so neither guest has it cached; the host's page cache has it, for
#     both), every byte checked against what was written;
#   - small files: open(O_CREAT)+write 4 KiB+close of FILES files (default
#     2000), stopped after SMALL_SECS (default 60) seconds, files/s.
# Each figure is the median of RUNS (default 5) runs, each test on its own
# boot; Toro and Linux alternate.  No run starts after MAX_SECS (default
# 840) and a VM is stopped at that point (counted as failed), so the whole
# script ends within about 15 minutes even on a slow host.  Environment:
# MEM (guest RAM, 256M), SMALL_SECS, MAX_SECS, TORO_BUILD.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TORO_BUILD:-$root/build}
source "$here/lib.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
SIZE=256 RUNS=5 FILES=2000
while [[ $# -gt 0 ]]; do
	case $1 in
	--size) SIZE=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	--files) FILES=${2:?}; shift 2 ;;
	*) echo "usage: bench/files.sh [--size MIB] [--runs N] [--files N]" >&2; exit 2 ;;
	esac
done
[[ $SIZE =~ ^[0-9]+$ && $RUNS =~ ^[0-9]+$ && $FILES =~ ^[0-9]+$ ]] || { echo "numbers, please" >&2; exit 2; }
MEM=${MEM:-256M} SMALL_SECS=${SMALL_SECS:-60}
deadline=$((SECONDS + ${MAX_SECS:-840}))
out=$build/bench/files
share=$out/share # the host folder both guests see; big files deleted at exit
lvm=$out/linuxvm
log=$out/console.log
mkdir -p "$out"
: >"$log"

"$build/bin/x86_64-toro-gcc" -O2 -Wall "$here/files/fsbench.c" -o "$out/fsbench.img"
gcc -O2 -Wall -static "$here/files/fsbench.c" -o "$out/fsbench.static"
linux_ok=1
"$here/linuxvm/build.sh" "$lvm" --virtiofs --no-net --add "$out/fsbench.static:/fsbench" \
	>"$out/linuxvm-build.log" 2>&1 || { linux_ok=0; echo "# linux VM build failed, see $out/linuxvm-build.log" >&2; }

rm -rf "$share"
mkdir -p "$share"
trap 'rm -rf "$share"' EXIT

# The launchers; fsbench gets the same arguments on both sides.
toro=("$root/tools/toro-run" -m "$MEM" --fs "$share:data"
	-k fs=data:/data "$out/fsbench.img")
linux=("$here/linuxvm/run.sh" "$lvm" -m "$MEM" --fs "$share:data"
	--append mitigations=off)
launch() { # toro|linux [LAUNCHER-OPTION...] -- FSBENCH-ARGS...
	local s=$1 opts=()
	shift
	while [[ $1 != -- ]]; do opts+=("$1"); shift; done
	shift
	case $s in
	toro) "${toro[@]}" "${opts[@]}" -- /data "$@" ;;
	linux) "${linux[@]}" "${opts[@]}" -- /fsbench /mnt/data "$@" ;;
	esac
}
args() { # TEST -> fsbench's arguments
	case $1 in
	write | read) echo "$1 $SIZE" ;;
	small) echo "small $FILES $SMALL_SECS" ;;
	esac
}
# One test on a fresh boot: prints its figure (field 4 of the fsbench line)
# or "fail".
one() { # toro|linux TEST
	local line
	# A fresh file: the other system's old one is not truncated in the timing.
	[[ $2 != write ]] || rm -f "$share/fsbench.dat"
	echo "### $1 $2" >>"$log"
	local left=$((deadline - SECONDS))
	((left >= 30)) || left=30
	# shellcheck disable=SC2046,SC2094 # args prints plain words; both append to the log
	line=$(launch "$1" --timeout "$left" -- $(args "$2") 2>>"$log" </dev/null | tee -a "$log" | tr -d '\r' |
		grep "^fsbench $2 " || true)
	[[ -n $line ]] && echo "$line" | awk '{ print $4 }' || echo fail
}

declare -A V
for ((r = 1; r <= RUNS && SECONDS < deadline; r++)); do
	for s in toro linux; do
		[[ $s == toro ]] || ((linux_ok)) || continue
		w=$(one "$s" write) rd=$(one "$s" read) sm=$(one "$s" small)
		V[$s.write]+="$w " V[$s.read]+="$rd " V[$s.small]+="$sm "
		echo "# $s run $r: write $w MB/s, read $rd MB/s, small $sm files/s" >&2
	done
done
rm -f "$share/fsbench.dat"

med() { tr ' ' '\n' <<<"${V[$1]:-}" | grep -v -e fail -e '^$' | median; }
fails() { tr ' ' '\n' <<<"${V[$1]:-}" | grep -c fail || true; }

bench_env
echo "# fsbench (bench/files/fsbench.c): Toro $out/fsbench.img vs the same source, gcc -static, in bench/linuxvm ($(cat "$lvm/kernel-version" 2>/dev/null || echo n/a), mitigations=off)"
echo "# QEMU: microvm, $TORO_ACCEL, 1 vCPU, -m $MEM; virtio-fs: vhost-user-fs-device, memfd RAM, $(/usr/lib/qemu/virtiofsd --version 2>&1 | head -1) -o cache=auto, host folder $share"
echo "# write/read: $SIZE MiB in 1 MiB calls (write: + fsync + close), read on a fresh boot; small: $FILES files of 4 KiB, at most ${SMALL_SECS} s; $((r - 1)) runs, medians; MB = 10^6 bytes"
echo "# toro:  $(printf '%q ' "${toro[@]}" --timeout SECS -- /data)TEST ARGS"
echo "# linux: $(printf '%q ' "${linux[@]}" --timeout SECS -- /fsbench /mnt/data)TEST ARGS"
# The virtiofsd and QEMU command lines behind them, for the write test (the
# socket folder is a new mktemp each run).
# shellcheck disable=SC2046 # args prints plain words
launch toro --dry-run -- $(args write) 2>&1 | sed 's/^/#   /'
# shellcheck disable=SC2046
((linux_ok)) && launch linux --dry-run -- $(args write) 2>&1 | sed 's/^/#   /'
echo
printf '%-52s %12s %12s %11s\n' figure toro linux-vm toro/linux
row() { # LABEL KEY
	local a b
	a=$(med "toro.$2") b=$(med "linux.$2")
	printf '%-52s %12s %12s %11s\n' "$1" "$a" "$b" "$(ratio "${a/n\/a/0}" "${b/n\/a/0}")"
}
row "sequential write, $SIZE MiB + fsync, MB/s (median)" write
row "sequential read, $SIZE MiB, fresh boot, MB/s (median)" read
row "create+write 4 KiB+close, files/s (median)" small
printf '%-52s %12s %12s\n' "failed runs (of $(((r - 1) * 3)))" \
	$(($(fails toro.write) + $(fails toro.read) + $(fails toro.small))) \
	$(($(fails linux.write) + $(fails linux.read) + $(fails linux.small)))
echo "# console output: $log"
