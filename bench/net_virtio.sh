#!/usr/bin/env bash
# virtio-net throughput (issue: networking): BYTES over TCP guest->host, then
# host->guest, through QEMU's user network, against tests/vm/net_peer.py on
# 127.0.0.1, on microvm (virtio-mmio) and q35 (virtio-pci).  Toro runs
# tests/vm/net_virtio.c in bench mode; the peer is the Linux guest of
# bench/linuxvm running bench/net_xfer.c, the same transfers through the
# same QEMU settings.  Figures are MiB/s as the host-side peer times each
# transfer (from the guest's hello to the end of stream), median of RUNS
# runs; never pass/fail.  Also the image size against hello.img.
#
#   bench/net_virtio.sh [RUNS] [BYTES]      (defaults: 3, 64 MiB)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TORO_BUILD:-$root/build}
runs=${1:-3}
bytes=${2:-$((64 << 20))}
source "$here/lib.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
export TORO_TEST_TIMEOUT=${TORO_TEST_TIMEOUT:-600}
out=$build/bench/net_virtio
mkdir -p "$out"
img=$build/tests/vm/net_virtio.img
ninja -C "$build" vm_net_virtio_img vm_hello_img >/dev/null

# "system machine direction MiB/s" from a peer log's "time LABEL S" lines
figures() {
	awk -v sys="$1" -v m="$2" -v b="$bytes" '
		$1 == "time" && $2 ~ /g2h$/ { printf "%s %s g2h %.2f\n", sys, m, b / $3 / 1048576 }
		$1 == "time" && $2 ~ /h2g$/ { printf "%s %s h2g %.2f\n", sys, m, b / $3 / 1048576 }' "$3"
}

toro_run() { # machine
	"$root/tests/vm/run-net-test.sh" --name "toro-$1" --log-dir "$out" -- "$img" -m 128M \
		--machine "$1" --net user --fwd @FWDPORT@:7001 -- bench @PEERPORT@ 7001 "$bytes" \
		>"$out/toro-$1.out" || {
		echo "# toro $1: run failed, logs kept as $out/failed-toro-$1.*" >&2
		for f in out log peer.log; do cp "$out/toro-$1.$f" "$out/failed-toro-$1.$f"; done
		return 0
	}
	figures toro "$1" "$out/toro-$1.peer.log"
}

linux_run() { # machine
	local pf=$out/ports peer p f
	rm -f "$pf"
	python3 "$root/tests/vm/net_peer.py" --port-file "$pf" --connect 0 --deadline 900 \
		>"$out/linux-$1.peer.log" 2>&1 &
	peer=$!
	for _ in $(seq 50); do [[ -s $pf ]] && break; sleep 0.1; done
	read -r p f <"$pf"
	"$here/linuxvm/run.sh" "$out/linuxvm" --machine "$1" --fwd "$f:7001" --unrestricted \
		--timeout 900 -- "/net_xfer $bytes $p 7001" >"$out/linux-$1.log" 2>&1 ||
		echo "# linux $1: run failed" >&2
	kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null || true
	figures linux "$1" "$out/linux-$1.peer.log"
}

linux=0
if gcc -O2 -static "$here/net_xfer.c" -o "$out/net_xfer" 2>/dev/null &&
	"$here/linuxvm/build.sh" "$out/linuxvm" --pvh --add "$out/net_xfer:/net_xfer" >/dev/null 2>&1; then
	linux=1
fi
for m in microvm q35; do
	for ((i = 0; i < runs; i++)); do
		toro_run "$m"
		[[ $linux == 0 ]] || linux_run "$m"
	done
done >"$out/raw.txt"

value() { awk -v s="$1" -v m="$2" -v d="$3" '$1 == s && $2 == m && $3 == d { print $4 }' "$out/raw.txt" | median; }
bench_env
echo "# runs: $runs each, $((bytes >> 20)) MiB per transfer, MiB/s timed by the host-side peer"
printf '%-10s %-6s %10s %10s %12s\n' machine dir toro linux-vm toro/linux
for m in microvm q35; do
	for d in g2h h2g; do
		t=$(value toro "$m" "$d") l=$(value linux "$m" "$d")
		printf '%-10s %-6s %10s %10s %12s\n' "$m" "$d" "$t" "$l" "$(ratio "$t" "${l/n\/a/0}")"
	done
done
size_of() { size "$1" | awk 'NR == 2 { print $1 + $2 + $3 }'; }
h=$build/tests/vm/hello.img
echo "# image size, text+data+bss (file): net_virtio $(size_of "$img") ($(stat -c %s "$img")) B," \
	"hello $(size_of "$h") ($(stat -c %s "$h")) B: $(ratio "$(size_of "$img")" "$(size_of "$h")")"
