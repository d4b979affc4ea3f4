#!/usr/bin/env bash
# Runs an in-VM network test against a host-side peer (net_peer.py).
#
#   run-net-test.sh --name NAME [run-vm-test options] -- TORO-RUN-ARGS...
#
# Starts the peer on 127.0.0.1, replaces @PEERPORT@ (where the peer listens;
# the guest reaches it as 10.0.2.2) and @FWDPORT@ (a free host port for
# --fwd, which the peer connects to) in TORO-RUN-ARGS, runs run-vm-test.sh,
# then stops the peer (always, and within a bounded time).
#
# Pass means run-vm-test.sh passed, the peer reported no error, and every
# "xfer LABEL DIR BYTES CRC" line of the console appears in the peer's
# output too: both ends saw the same bytes.  The peer's log is kept next to
# the console log (NAME.peer.log).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name=
logdir=${TORO_TEST_LOGS:-.}
vmargs=()
while [[ $# -ge 2 && $1 != -- ]]; do # run-vm-test's options pass through
	case $1 in
	--count) vmargs+=("$1" "$2" "${3:-}"); shift 3; continue ;;
	--name) name=$2 ;;
	--log-dir) logdir=$2 ;;
	esac
	vmargs+=("$1" "$2")
	shift 2
done
[[ -n $name && ${1:-} == -- ]] || { echo "run-net-test: --name NAME ... -- ARGS" >&2; exit 2; }
shift

mkdir -p "$logdir"
peerlog=$logdir/$name.peer.log
portfile=$(mktemp "${TMPDIR:-/tmp}/toro-net-ports.XXXXXX")
rm -f "$portfile"
deadline=$((${TORO_TEST_TIMEOUT:-120} + 60))
python3 "$here/net_peer.py" --port-file "$portfile" --connect 0 --deadline "$deadline" \
	>"$peerlog" 2>&1 &
peer=$!
stop_peer() {
	kill "$peer" 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$peer" 2>/dev/null || break
		sleep 0.2
	done
	kill -9 "$peer" 2>/dev/null
	wait "$peer" 2>/dev/null
	rm -f "$portfile"
}
trap stop_peer EXIT

for _ in $(seq 100); do
	[[ -s $portfile ]] && break
	kill -0 "$peer" 2>/dev/null || break
	sleep 0.1
done
read -r peerport fwdport <"$portfile" 2>/dev/null ||
	{ echo "run-net-test: the peer did not start"; cat "$peerlog"; exit 1; }

args=()
for a in "$@"; do
	a=${a//@PEERPORT@/$peerport}
	args+=("${a//@FWDPORT@/$fwdport}")
done
"$here/run-vm-test.sh" "${vmargs[@]}" -- "${args[@]}"
rc=$?
stop_peer
trap - EXIT

vmlog=$logdir/$name.log
failures=()
if grep -q '^error' "$peerlog"; then
	failures+=("the peer reported: $(grep '^error' "$peerlog" | head -3 | tr '\n' ';')")
fi
while read -r line; do
	grep -qxF -- "$line" "$peerlog" || failures+=("the peer did not see /$line/")
done < <(grep -E '^xfer ' "$vmlog" 2>/dev/null)
if [[ ${#failures[@]} -gt 0 ]]; then
	echo "net test $name: FAILED on the host side"
	printf '  - %s\n' "${failures[@]}"
	echo "  peer log kept at $peerlog"
	exit 1
fi
exit $rc
