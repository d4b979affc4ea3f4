#!/usr/bin/env bash
# Many concurrent connections to ports/nginx-lite, over a tap device:
#
#   nginx-conns.sh NGINX_IMG INITRD TORO_RUN LOG_DIR
#
# QEMU's user network cannot take this (its host forward listens with a
# backlog of 1), so the test creates a network namespace with a tap
# (tests/lib/netns.sh) and runs QEMU and the clients inside it.  Checks:
# 1000 keep-alive connections held open at once by hold_conns.py, each
# answered a GET / with 200; while all are open stub_status counts at least
# 1000 active connections; then each answers a second GET on the same
# connection.  After that, wrk -t2 -c100 -d10s sees no socket error and no
# non-2xx answer, and nginx logged no alert.  Each failed check has its own
# exit code; QEMU and the namespace are always removed.  The console log is
# kept in LOG_DIR/nginx-conns.log.
set -uo pipefail

img=$1
initrd=$(readlink -f "$2") # absolute: it is read after a cd
toro_run=$3
logdir=$4
here=$(cd "$(dirname "$0")" && pwd)
boot_wait=${NGINX_CONNS_BOOT_WAIT:-60} # seconds to the first answer
conns=1000
export TORO_ACCEL=${TORO_ACCEL:-tcg} # as tests/vm: the same result on every host
. "$(dirname "$0")/lib.sh"
port_log nginx-conns "$logdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nginx-conns.XXXXXX")
vm=

cleanup() {
	[[ -z $vm ]] || kill -KILL -- -"$vm" 2>/dev/null
	[[ -z $vm ]] || wait "$vm" 2>/dev/null
	netns_down
	rm -rf "$tmp"
}
. "$here/../lib/netns.sh"
command -v curl >/dev/null || fail 2 "curl missing (tools/bootstrap.sh installs it)"
command -v wrk >/dev/null || fail 2 "wrk missing (tools/bootstrap.sh installs it)"
[[ -f $img && -f $initrd ]] || fail 2 "no image $img or initrd $initrd"
netns_up nginx-conns || fail 2 "no network namespace with a tap (see above)"
trap cleanup EXIT

# The recipe's initrd with room for the connections (nginx counts its
# listening socket among worker_connections) and no access log: a line per
# request on the emulated UART would be most of the work under wrk.
mkdir -p "$tmp/root"
(cd "$tmp/root" && cpio --quiet -i -d <"$initrd") || fail 2 "cannot unpack $initrd"
conf=$tmp/root/etc/nginx/nginx.conf
sed -i -e 's/worker_connections [0-9]*;/worker_connections 2048;/' \
	-e 's|access_log /dev/stdout;|access_log off;|' "$conf"
grep -q 'worker_connections 2048;' "$conf" && grep -q 'access_log off;' "$conf" ||
	fail 2 "cannot adapt $conf (worker_connections, access_log)"
(cd "$tmp/root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) >"$tmp/initrd.cpio"

# setsid: toro-run, timeout and QEMU form one process group we can stop.
setsid ip netns exec "$netns" "$toro_run" "$img" -m 128M --net "tap=$netns_tap" \
	"${netns_kopts[@]}" --initrd "$tmp/initrd.cpio" --timeout 500 >>"$log" 2>&1 &
vm=$!
url=http://$netns_guest:8080

code() { netns_exec curl -s -m 10 -o /dev/null -w '%{http_code}' "$@"; }
for ((i = 0; i < boot_wait; i++)); do
	[[ $(code "$url/" 2>/dev/null) == 200 ]] && break
	kill -0 "$vm" 2>/dev/null || fail 3 "the VM ended before answering"
	sleep 1
done
[[ $(code "$url/") == 200 ]] || fail 3 "no 200 within ${boot_wait}s"
echo "nginx-conns: first 200 from $netns_guest after ~${i}s"

# 1000 keep-alive connections; stub_status is read while all are open.
held=$(netns_exec timeout 400 python3 "$here/hold_conns.py" http "$netns_guest" 8080 "$conns" \
	-- curl -s -m 60 "$url/status" 2>&1)
rc=$?
echo "$held" | grep '^hold_conns:' | sed 's/^/nginx-conns: /'
[[ $rc == 0 ]] || { echo "$held" | tail -8 >&2; fail 10 "holding $conns keep-alive connections failed"; }
active=$(echo "$held" | sed -n 's/^Active connections: *\([0-9]*\).*/\1/p')
[[ $active =~ ^[0-9]+$ ]] || { echo "$held" >&2; fail 11 "no 'Active connections' from stub_status"; }
echo "nginx-conns: stub_status: $active active connections while $conns were held"
((active >= conns)) || fail 11 "stub_status counts $active active connections, not >= $conns"

# Wait until nginx has closed the 1000 on its side too (stub_status back
# near 1): the socket table holds 1024, and wrk's 100 on top of a thousand
# not yet closed would find it full (accept4() fails with ENFILE, as it
# should, and wrk counts the refused connection as an error).
for _ in $(seq 100); do
	left=$(netns_exec curl -s --max-time 5 "$url/status" | sed -n 's/^Active connections: *\([0-9]*\).*/\1/p')
	[[ $left =~ ^[0-9]+$ ]] && ((left <= 5)) && break
	sleep 0.2
done
[[ $left =~ ^[0-9]+$ ]] && ((left <= 5)) ||
	fail 12 "nginx still counts '$left' active connections after the 1000 closed"

# A load after the 1000 have closed: 100 connections for 10 s; a connect,
# read or write error or a non-2xx answer fails.  --timeout 30s, longer than
# the run, so a late answer is not counted: latency is a figure for bench/,
# not a test (before EPOLLRDHUP, nginx answered some requests seconds late).
netns_exec wrk -t2 -c100 -d10s --timeout 30s "$url/" >"$tmp/wrk" 2>&1 ||
	fail 20 "wrk failed: $(cat "$tmp/wrk")"
sed 's/^/nginx-conns: wrk: /' "$tmp/wrk"
grep -q 'requests in' "$tmp/wrk" || fail 20 "wrk made no requests"
! grep -qE 'Socket errors|Non-2xx' "$tmp/wrk" || fail 21 "wrk saw errors"

kill -0 "$vm" 2>/dev/null || fail 30 "the VM ended during the checks"
# QEMU offers checksum and segmentation offload on a tap: everything above
# went through them (tests/vm net-tso-* check the bytes and the counters).
grep -q '^virtio-net: .*checksum offload' "$log" || fail 33 "the NIC did not use checksum offload"
grep -q '^virtio-net: .*, TSO\s*$' "$log" || fail 34 "the NIC did not use segmentation offload"
! grep -qE '\[(alert|emerg|crit)\]' "$log" || fail 31 "nginx logged an alert: $(grep -E '\[(alert|emerg|crit)\]' "$log" | head -3)"
[[ $(code "$url/") == 200 ]] || fail 32 "no 200 after the load"
echo "nginx-conns: SUCCESS"
