# Helpers for the server benchmarks (bench/redis.sh, bench/nginx.sh), sourced
# after lib.sh.  A "VM" here is a background toro-run or linuxvm/run.sh
# started in its own process group (setsid), so it can be stopped as a whole.
#
#   vm_start LOGFILE COMMAND...   start it; sets vm (the group leader's PID)
#                                 and vm_t0 (ns, just before the start)
#   vm_wait_ready SECS PROBE...   poll PROBE every 20 ms until it succeeds;
#                                 prints ms from vm_t0, or "fail"
#   vm_rss_kib                    VmRSS of the VM's QEMU process (KiB)
#   vm_stop                       SIGKILL the whole group and reap it
#   apt_need PKG...               apt-get install what is not installed
#   net_up NAME                   the network both systems share (NET)
#   vm_net HOSTPORT GUESTPORT     its launcher options (toronet, linuxnet)
#   net_report CLIENT             the report's "# QEMU:" line

vm=
vm_t0=
inns=() # with NET=tap: the namespace's "ip netns exec NS", to run things in it

apt_need() {
	local p need=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
	done
	[[ ${#need[@]} -eq 0 ]] && return 0
	echo "# apt-get install ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
}

# NET=tap (the default): both systems on a tap in a private network namespace
# (tests/lib/netns.sh) that lives as long as the script; NET=user: QEMU's user
# network.  Sets inns and an EXIT trap that stops the VM (and the namespace).
net_up() { # NAME
	NET=${NET:-tap}
	if [[ $NET == tap ]]; then
		source "$(dirname "${BASH_SOURCE[0]}")/../tests/lib/netns.sh"
		netns_up "$1" || exit 1
		inns=(ip netns exec "$netns")
		trap 'vm_stop; netns_down' EXIT
	else
		trap vm_stop EXIT
	fi
}

# vm_net HOSTPORT GUESTPORT: the launchers' network options, in toronet
# (toro-run) and linuxnet (linuxvm/run.sh): the namespace's tap, or a host
# forward of 127.0.0.1:HOSTPORT.
vm_net() {
	if [[ $NET == tap ]]; then
		toronet=(--net "tap=$netns_tap" "${netns_kopts[@]}") linuxnet=(--tap "$netns_tap")
	else
		toronet=(--net user --fwd "$1:$2") linuxnet=(--fwd "$1:$2")
	fi
}

# The report's "# QEMU:" line; CLIENT names the load generator.
net_report() { # CLIENT
	if [[ $NET == tap ]]; then
		echo "# QEMU: microvm, $TORO_ACCEL, 1 vCPU, -m $MEM, tap in a private network namespace (no vhost); client: $1 in that namespace"
	else
		echo "# QEMU: microvm, $TORO_ACCEL, 1 vCPU, -m $MEM, user net + hostfwd 127.0.0.1; client: $1 on the host"
	fi
}

free_port() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/../tools/freeports.py"
}

vm_start() {
	local log=$1
	shift
	vm_t0=$(date +%s%N)
	setsid "$@" >>"$log" 2>&1 </dev/null &
	vm=$!
}

vm_wait_ready() {
	local secs=$1 deadline
	shift
	deadline=$((vm_t0 + secs * 1000000000))
	while (($(date +%s%N) < deadline)); do
		if "$@" >/dev/null 2>&1; then
			echo $((($(date +%s%N) - vm_t0) / 1000000))
			return 0
		fi
		kill -0 "$vm" 2>/dev/null || break
		sleep 0.02
	done
	echo fail
	return 1
}

vm_qemu_pid() {
	pgrep -g "$vm" qemu-system 2>/dev/null | head -1
}

vm_rss_kib() {
	local q
	q=$(vm_qemu_pid)
	[[ -n $q ]] && awk '/^VmRSS/ { print $2 }' "/proc/$q/status" 2>/dev/null || echo n/a
}

vm_stop() {
	[[ -n $vm ]] || return 0
	kill -KILL -- -"$vm" 2>/dev/null
	wait "$vm" 2>/dev/null || true
	vm=
}

# "1234.5 KiB" -> MiB with one decimal
mib() { awk -v k="$1" 'BEGIN { if (k + 0 == 0) print "n/a"; else printf "%.1f\n", k / 1024 }'; }
