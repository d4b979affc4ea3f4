#!/usr/bin/env bash
# Many concurrent clients of ports/redis-lite, over a tap device:
#
#   redis-clients.sh REDIS_IMG TORO_RUN LOG_DIR
#
# QEMU's user network cannot take this (its host forward listens with a
# backlog of 1), so the test creates a network namespace with a tap
# (tests/lib/netns.sh) and runs QEMU and the clients inside it.  Checks:
# redis-benchmark with 500 clients (SET, GET) finishes with no error; 500
# connections held open at once by hold_conns.py, each answered PING, while
# INFO clients counts at least 500 connected clients, and each answers PING
# again afterwards; then SHUTDOWN NOSAVE ends the VM with status 0.  Each
# failed check has its own exit code; QEMU and the namespace are always
# removed.  The console log is kept in LOG_DIR/redis-clients.log.
set -uo pipefail

img=$1
toro_run=$2
logdir=$3
here=$(cd "$(dirname "$0")" && pwd)
boot_wait=${REDIS_CLIENTS_BOOT_WAIT:-60} # seconds to the first PONG
clients=500
. "$(dirname "$0")/lib.sh"
port_log redis-clients "$logdir"
vm_extra=()

. "$here/redis-vm.sh"
. "$here/../lib/netns.sh"
command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null ||
	fail 2 "redis-cli/redis-benchmark missing (tools/bootstrap.sh installs redis-tools)"
[[ -f $img ]] || fail 2 "no image $img"
netns_up redis-clients || fail 2 "no network namespace with a tap (see above)"

redis_vm_net=tap
redis_vm_start 0 --save "" --appendonly no
redis_vm_wait_pong "$boot_wait" 3
echo "redis-clients: PONG from $netns_guest"

# 500 clients at once, without pipelining: each has one request in flight.
bench=$(netns_exec timeout 300 redis-benchmark -h "$netns_guest" -q -c "$clients" -n 20000 \
	-t set,get 2>&1 | tr '\r' '\n')
rc=$?
echo "$bench" | grep 'requests per second' | sed 's/^ *//; s/^/redis-clients: bench: /'
[[ $rc == 0 ]] || { echo "$bench" | tail -5 >&2; fail 10 "redis-benchmark -c $clients exited with $rc"; }
[[ $(echo "$bench" | grep -c 'requests per second') == 2 ]] ||
	{ echo "$bench" | tail -5 >&2; fail 11 "redis-benchmark: missing results"; }
! echo "$bench" | grep -qi 'error' || { echo "$bench" | grep -i error | head -5 >&2; fail 12 "redis-benchmark reported errors"; }
[[ $(cli ping) == PONG ]] || fail 13 "no PONG after the benchmark"

# 500 connections held; INFO clients is read while all of them are open.
held=$(netns_exec timeout 400 python3 "$here/hold_conns.py" redis "$netns_guest" 6379 "$clients" \
	-- timeout 60 redis-cli -h "$netns_guest" info clients 2>&1 | tr -d '\r')
rc=$?
echo "$held" | grep '^hold_conns:' | sed 's/^/redis-clients: /'
[[ $rc == 0 ]] || { echo "$held" | tail -8 >&2; fail 20 "holding $clients connections failed"; }
connected=$(echo "$held" | sed -n 's/^connected_clients://p')
[[ $connected =~ ^[0-9]+$ ]] || { echo "$held" >&2; fail 21 "no connected_clients in INFO clients"; }
echo "redis-clients: connected_clients $connected while $clients were held"
((connected >= clients)) || fail 21 "connected_clients $connected < $clients"

# The guest's exit closes no socket on the tap (QEMU just ends; with the user
# network, QEMU's exit closed the host side), so redis-cli would wait for an
# answer that never comes: it runs in the background until the VM is gone.
cli shutdown nosave >/dev/null 2>&1 &
shut=$!
redis_vm_wait_exit 60 30
kill "$shut" 2>/dev/null
wait "$shut" 2>/dev/null
[[ $vm_status == 0 ]] || fail 31 "the VM ended with status $vm_status, not 0"
echo "redis-clients: SUCCESS"
