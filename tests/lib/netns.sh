# shellcheck shell=bash
# A private network namespace with a tap device, for tests that need more
# than QEMU's user network gives (its host forwards listen with a backlog of
# 1, so hundreds of simultaneous connections stall).  Sourced by a test:
#
#   . tests/lib/netns.sh
#   netns_up NAME || fail ...   netns toro-NAME-$$, tap ttap0 at 10.77.0.1/24
#   netns_exec CMD...           runs CMD inside it (QEMU too: the tap is there)
#   netns_down                  kills what runs inside and deletes the netns
#
# The guest goes on the tap with toro-run --net tap=$netns_tap $netns_kopts
# and answers at $netns_guest.  No traffic leaves the namespace: it has no
# route out, only lo and the tap.
#
# netns_up sets an EXIT trap that calls netns_down; a test that sets its own
# EXIT trap afterwards must call netns_down from it.  A watcher outside the
# test's process tree deletes the netns too if the test is killed (ctest's
# timeout sends SIGKILL, which no trap sees).  Needs root, iproute2 and
# /dev/net/tun; when one is missing netns_up says which and returns 1, and
# the test must fail, not skip.

netns=
netns_tap=ttap0
netns_host=10.77.0.1
netns_guest=10.77.0.2
netns_kopts=(-k "ip=$netns_guest/24" -k "gw=$netns_host")

# Kills every process in netns $1, then deletes it (and with it the tap).
netns_clean() {
	local pids i
	for ((i = 0; i < 50; i++)); do
		pids=$(ip netns pids "$1" 2>/dev/null) || break
		[[ -n $pids ]] || break
		# shellcheck disable=SC2086 # one PID a word
		kill -KILL $pids 2>/dev/null
		sleep 0.1
	done
	ip netns exec "$1" ip link del "$netns_tap" 2>/dev/null
	ip netns del "$1" 2>/dev/null
	return 0
}

netns_down() {
	[[ -n $netns ]] || return 0
	netns_clean "$netns"
	netns=
}

# Namespaces toro-*-PID left by a test whose process is gone (a host crash,
# or the watcher itself killed).
netns_reap_stale() {
	local n pid
	for n in $(ip netns list 2>/dev/null | awk '$1 ~ /^toro-.*-[0-9]+$/ {print $1}'); do
		pid=${n##*-}
		kill -0 "$pid" 2>/dev/null || netns_clean "$n"
	done
}

netns_fail() {
	echo "netns: $*" >&2
	netns_down
	return 1
}

netns_up() {
	local name=toro-$1-$$
	[[ $(id -u) == 0 ]] || netns_fail "must run as root to create a network namespace" || return
	command -v ip >/dev/null || netns_fail "no 'ip' command (apt-get install iproute2)" || return
	[[ -c /dev/net/tun ]] || netns_fail "/dev/net/tun missing (modprobe tun)" || return
	netns_reap_stale
	ip netns add "$name" || netns_fail "'ip netns add $name' failed" || return
	netns=$name
	trap netns_down EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	netns_watch "$name"
	ip netns exec "$name" ip link set lo up &&
		ip netns exec "$name" ip tuntap add dev "$netns_tap" mode tap user 0 group 0 &&
		ip netns exec "$name" ip addr add "$netns_host/24" dev "$netns_tap" &&
		ip netns exec "$name" ip link set "$netns_tap" up ||
		netns_fail "cannot set up tap $netns_tap in $name (tun module? /dev/net/tun usable?)"
}

# A process outside this test's tree (the subshell exits at once, so it is
# reparented to init) that deletes the netns once the test's PID is gone.
netns_watch() {
	(setsid bash -c "$(declare -f netns_clean); netns_tap=$netns_tap
		while kill -0 $$ 2>/dev/null; do sleep 2; done
		netns_clean $1" </dev/null >/dev/null 2>&1 &)
}

netns_exec() {
	[[ -n $netns ]] || { echo "netns: netns_exec before netns_up" >&2; return 1; }
	ip netns exec "$netns" "$@"
}
