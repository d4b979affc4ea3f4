#!/usr/bin/env bash
# A guest->host TCP stream over a tap, with or without segmentation offload:
#
#   run-tso-test.sh --name NAME --log-dir DIR --tso on|off -- IMAGE [BYTES]
#
# QEMU offers HOST_TSO4 (and CSUM) only on a backend that takes virtio-net
# headers, i.e. a tap, not the user network.  So this creates a network
# namespace with a tap (tests/lib/netns.sh), runs tso_sink.py there on the
# host's side, and boots IMAGE (net_virtio) on the tap with "send ADDR PORT
# BYTES tso|notso" (default 8 MiB).  --tso off gives the NIC host_tso4=off
# (TORO_NIC_OPTS, which toro-run passes on): checksum offload stays, frames
# go one MSS each.  Pass: run-vm-test.sh passed (status 0 and SUCCESS: the
# guest saw the sink's "ok" and its driver's TSO counter as expected) and the
# sink found every byte equal to the generator's (sha256 both sides, in its
# log NAME.sink.log).  The namespace is always removed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name= logdir=${TORO_TEST_LOGS:-.} tso=
while [[ $# -ge 2 && $1 != -- ]]; do
	case $1 in
	--name) name=$2 ;;
	--log-dir) logdir=$2 ;;
	--tso) tso=$2 ;;
	*) echo "run-tso-test: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[[ -n $name && ($tso == on || $tso == off) && ${1:-} == -- && $# -ge 2 ]] ||
	{ echo "run-tso-test: --name NAME --log-dir DIR --tso on|off -- IMAGE [BYTES]" >&2; exit 2; }
image=$2 bytes=${3:-8388608} port=9000
mkdir -p "$logdir"
sinklog=$logdir/$name.sink.log
: >"$sinklog"
sink=

fail() {
	echo "run-tso-test $name: FAILED: $*" >&2
	exit 1
}
cleanup() {
	[[ -z $sink ]] || kill "$sink" 2>/dev/null
	netns_down
}
. "$here/../lib/netns.sh"
netns_up tso || fail "no network namespace with a tap (see above)"
trap cleanup EXIT

netns_exec python3 "$here/tso_sink.py" "$netns_host" "$port" "$bytes" \
	--deadline "${TORO_TEST_TIMEOUT:-120}" >"$sinklog" 2>&1 &
sink=$!
for _ in $(seq 50); do grep -q '^sink: listening' "$sinklog" && break; sleep 0.1; done
grep -q '^sink: listening' "$sinklog" || fail "the sink did not start: $(cat "$sinklog")"

mode=tso
if [[ $tso == off ]]; then
	mode=notso
	export TORO_NIC_OPTS=host_tso4=off${TORO_NIC_OPTS:+,$TORO_NIC_OPTS}
fi
expect=(--expect '^virtio-net: .*checksum offload')
[[ $tso == on ]] && expect+=(--expect '^virtio-net: .*, TSO\s*$')
[[ $tso == off ]] && expect+=(--reject 'TSO\s*$')
netns_exec "$here/run-vm-test.sh" --name "$name" --status 0 --log-dir "$logdir" "${expect[@]}" \
	-- "$image" --net "tap=$netns_tap" "${netns_kopts[@]}" -- send "$netns_host" "$port" "$bytes" "$mode"
rc=$?
for _ in $(seq 50); do kill -0 "$sink" 2>/dev/null || break; sleep 0.1; done
wait "$sink"
src=$?
sink=
cat "$sinklog"
[[ $src == 0 ]] || fail "the sink did not get the stream right (exit $src)"
exit $rc
