# Helpers for the redis-lite tests, sourced by redis-smoke.sh and
# redis-persist.sh.  The caller sets img, toro_run and log, and defines
# fail CODE MESSAGE.
#
#   redis_vm_start PORT [REDIS ARGS...]   boot in the background (vm=PID)
#   redis_vm_wait_pong SECONDS CODE       until PING answers PONG
#   redis_vm_wait_exit SECONDS CODE       until the VM ends; status in vm_status
#   redis_vm_kill                         stop QEMU at once (the trap's job)
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
	setsid "$toro_run" "$img" -m 256M -k toro.stack=1M --net user --fwd "$vm_port:6379" \
		--timeout 900 "${vm_extra[@]}" -- --port 6379 --protected-mode no "$@" >>"$log" 2>&1 &
	vm=$!
	trap redis_vm_kill EXIT
}

redis_vm_kill() {
	[[ -n $vm ]] || return 0
	kill -KILL -- -"$vm" 2>/dev/null
	wait "$vm" 2>/dev/null
	vm=
}

cli() { timeout 60 redis-cli -p "$vm_port" "$@"; }

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
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
