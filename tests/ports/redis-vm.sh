# Helpers for the redis-lite tests, sourced by redis-smoke.sh and
# redis-persist.sh.  The caller sets img, toro_run and log, and defines
# fail CODE MESSAGE.
#
#   redis_vm_start PORT [REDIS ARGS...]   boot in the background (vm=PID)
#   redis_vm_wait_pong SECONDS CODE       until PING answers PONG
#   redis_vm_wait_exit SECONDS CODE       until the VM ends; status in vm_status
#   redis_vm_kill                         stop QEMU at once (the trap's job)
#
# With redis_vm_net=tap, after netns_up (tests/lib/netns.sh): the VM runs in
# that namespace on its tap, PORT is ignored (the guest's 6379 at
# $netns_guest), and cli runs redis-cli inside the namespace.
export TORO_ACCEL=${TORO_ACCEL:-tcg} # as tests/vm: the same result on every host

vm=
vm_port=
vm_status=

# setsid: toro-run, timeout, QEMU and virtiofsd form one process group that
# redis_vm_kill can stop without touching anything else.
redis_vm_start() {
	vm_port=$1
	shift
	echo "=== boot: $*" >>"$log"
	local net=(--net user --fwd "$vm_port:6379") inns=()
	if [[ ${redis_vm_net:-user} == tap ]]; then
		vm_port=6379
		net=(--net "tap=$netns_tap" "${netns_kopts[@]}")
		inns=(ip netns exec "$netns")
	fi
	setsid "${inns[@]}" "$toro_run" "$img" -m 256M "${net[@]}" \
		--timeout 900 "${vm_extra[@]}" -- --port 6379 --protected-mode no "$@" >>"$log" 2>&1 &
	vm=$!
	if [[ ${redis_vm_net:-user} == tap ]]; then
		trap 'redis_vm_kill; netns_down' EXIT
	else
		trap redis_vm_kill EXIT
	fi
}

redis_vm_kill() {
	[[ -n $vm ]] || return 0
	kill -KILL -- -"$vm" 2>/dev/null
	wait "$vm" 2>/dev/null
	vm=
}

cli() {
	if [[ ${redis_vm_net:-user} == tap ]]; then
		netns_exec timeout 60 redis-cli -h "$netns_guest" -p "$vm_port" "$@"
	else
		timeout 60 redis-cli -p "$vm_port" "$@"
	fi
}

redis_vm_wait_pong() {
	local i
	for ((i = 0; i < $1; i++)); do
		[[ $(cli ping 2>/dev/null) == PONG ]] && return 0
		kill -0 "$vm" 2>/dev/null || fail "$2" "the VM ended before answering PING"
		sleep 1
	done
	[[ $(cli ping 2>/dev/null) == PONG ]] || fail "$2" "no PONG within $1 s"
}

redis_vm_wait_exit() {
	local i
	for ((i = 0; i < $1; i++)); do
		kill -0 "$vm" 2>/dev/null || break
		sleep 1
	done
	kill -0 "$vm" 2>/dev/null && fail "$2" "the VM still runs $1 s after SHUTDOWN"
	wait "$vm"
	vm_status=$?
	vm=
}

free_port() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/../../tools/freeports.py"
}
