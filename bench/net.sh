#!/usr/bin/env bash
# Networking figures (issue 4): requests per second of a small
# request/response server and bulk TCP throughput host->guest, Toro against a
# Linux VM running the SAME server program (tests/vm/echo_server.c in epoll
# mode, built with x86_64-toro-gcc for Toro and gcc -static for Linux), both
# on microvm with QEMU's user network (slirp, virtio-net-device), 1 vCPU,
# 256 MiB, in one run.  The client is tests/vm/echo_clients.py on the host:
# CONNS connections each sending SIZE bytes and waiting for the echo, for
# SECONDS; then BULK bytes to the server's discard port, timed until the
# server's byte count comes back.  Figures are medians of RUNS runs; never
# pass/fail.  Everything stays on 127.0.0.1.
#
#   bench/net.sh [RUNS] [SECONDS] [BULK_MIB]      (defaults: 1, 10, 64)
#   CONNS=32 SIZE=64 bench/net.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TORO_BUILD:-$root/build}
runs=${1:-1}
seconds=${2:-10}
bulk=$((${3:-64} << 20))
conns=${CONNS:-32}
size=${SIZE:-64}
source "$here/lib.sh"
source "$here/server-lib.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
out=$build/bench/net
mkdir -p "$out"
img=$build/tests/vm/echo_server.img
ninja -C "$build" vm_echo_server_img >/dev/null
clients=$root/tests/vm/echo_clients.py
total=1000000 # see toro_run
timeout=$((seconds + 120 + bulk / 1048576))

free_ports() { python3 "$root/tools/freeports.py" 2; }

# "system rps N" and "system bulk X" from a client log
figures() {
	awk -v sys="$1" '$1 == "rps" { print sys, "rps", $2 } $1 == "bulk_mibs" { print sys, "bulk", $2 }' "$2"
	grep '^error' "$2" >&2 || true
}

client() { # system tcp discard
	python3 "$clients" bench --tcp "$2" --discard "$3" --conns "$conns" --size "$size" \
		--seconds "$seconds" --bulk "$bulk" --deadline 120 >"$out/$1.clients.log" 2>&1 || true
}

# The server is told to serve far more connections than the client makes and
# is stopped once the client is done: a readiness probe that reached a
# server but timed out counts as served, and the server then ended before
# the bulk run (the Linux VM's bulk connection was reset).
toro_run() { # run
	local tcp dis
	read -r tcp dis < <(free_ports)
	vm_start "$out/toro-$1.log" "$root/tools/toro-run" --timeout "$timeout" -m 256M --net user \
		--fwd "$tcp:7777" --fwd "$dis:7778" "$img" -- epoll "$total"
	client "toro-$1" "$tcp" "$dis"
	vm_stop
	figures toro "$out/toro-$1.clients.log"
}

linux_run() { # run
	local tcp dis
	read -r tcp dis < <(free_ports)
	vm_start "$out/linux-$1.log" "$here/linuxvm/run.sh" "$out/linuxvm" -m 256M --timeout "$timeout" \
		--fwd "$tcp:7777" --fwd "$dis:7778" -- "/echo_server epoll $total"
	client "linux-$1" "$tcp" "$dis"
	vm_stop
	figures linux "$out/linux-$1.clients.log"
}

linux=0
if gcc -O2 -static -pthread -Wno-deprecated-declarations -I"$root/tests/vm" \
	"$root/tests/vm/echo_server.c" -o "$out/echo_server" &&
	"$here/linuxvm/build.sh" "$out/linuxvm" --pvh --add "$out/echo_server:/echo_server" >"$out/linuxvm-build.log" 2>&1; then
	linux=1
else
	echo "# the Linux VM could not be built (see $out/linuxvm-build.log): Toro only" >&2
fi
for ((i = 0; i < runs; i++)); do
	toro_run "$i"
	[[ $linux == 0 ]] || linux_run "$i"
done >"$out/raw.txt"

value() { awk -v s="$1" -v m="$2" '$1 == s && $2 == m { print $3 }' "$out/raw.txt" | median; }
bench_env
echo "# microvm, slirp, 1 vCPU, 256 MiB; server tests/vm/echo_server.c epoll; client tests/vm/echo_clients.py"
echo "# runs: $runs; rr: $conns connections x $size-byte echo for ${seconds}s; bulk: $((bulk >> 20)) MiB host->guest"
printf '%-22s %12s %12s %12s\n' figure toro linux-vm toro/linux
for m in rps bulk; do
	t=$(value toro $m) l=$(value linux $m)
	label=$([[ $m == rps ]] && echo "requests/s" || echo "bulk h->g MiB/s")
	printf '%-22s %12s %12s %12s\n' "$label" "$t" "$l" "$(ratio "$t" "${l/n\/a/0}")"
done
