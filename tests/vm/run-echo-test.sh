#!/usr/bin/env bash
# Runs echo_server.c in a VM and drives it from the host with
# echo_clients.py through QEMU's forwards on 127.0.0.1.
#
#   run-echo-test.sh --name NAME [run-vm-test options] -- IMAGE MODE [toro-run args]
#
# Picks free host ports for TCP 7777 and UDP 7777, boots IMAGE with
# "-- MODE TOTAL WARM" (TOTAL = 1 + clients + 100 + short connections,
# WARM = 1 + clients + 100: echo_clients.py test's contract), and runs the clients at the same
# time.  ECHO_CLIENTS / ECHO_BYTES / ECHO_SHORT change the load (defaults 64,
# 1 MiB, 1000).  Pass means run-vm-test.sh passed (status 0, SUCCESS, the
# guest's own fd and heap checks) and the clients printed no error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name=
logdir=${TORO_TEST_LOGS:-.}
vmargs=()
while [[ $# -ge 2 && $1 != -- ]]; do
	case $1 in
	--name) name=$2 ;;
	--log-dir) logdir=$2 ;;
	esac
	vmargs+=("$1" "$2")
	shift 2
done
[[ -n $name && ${1:-} == -- && $# -ge 3 ]] || { echo "run-echo-test: --name NAME ... -- IMAGE MODE ..." >&2; exit 2; }
image=$2 mode=$3
shift 3

clients=${ECHO_CLIENTS:-64} bytes=${ECHO_BYTES:-1048576} short=${ECHO_SHORT:-1000}
read -r tcp udp < <(python3 "$here/../../tools/freeports.py" 2)

mkdir -p "$logdir"
clog=$logdir/$name.clients.log
python3 "$here/echo_clients.py" test --tcp "$tcp" --udp "$udp" --clients "$clients" \
	--bytes "$bytes" --short "$short" --deadline "${TORO_TEST_TIMEOUT:-120}" >"$clog" 2>&1 &
cpid=$!
# The VM in its own process group: if the clients fail, the server would
# wait for connections that never come until its timeout; stop it instead.
setsid "$here/run-vm-test.sh" "${vmargs[@]}" -- "$image" --net user --fwd "$tcp:7777" \
	--fwd "udp:$udp:7777" "$@" -- "$mode" $((1 + clients + 100 + short)) $((1 + clients + 100)) &
vpid=$!
wait "$cpid"
crc=$?
if [[ $crc != 0 ]] || ! grep -q '^echo-clients: ok' "$clog"; then
	sleep 1 # let the server print what it saw
	kill -TERM -- -"$vpid" 2>/dev/null
fi
wait "$vpid"
rc=$?
cat "$clog"
if [[ $crc != 0 ]] || ! grep -q '^echo-clients: ok' "$clog"; then
	echo "echo test $name: FAILED on the host side (clients' log $clog)"
	exit 1
fi
exit $rc
