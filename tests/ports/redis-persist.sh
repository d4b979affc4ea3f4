#!/usr/bin/env bash
# Persistence of ports/redis-lite on a virtio-fs folder:
#
#   redis-persist.sh REDIS_IMG TORO_RUN LOG_DIR
#
# RDB: write 100,000 keys, SAVE, SHUTDOWN NOSAVE, boot again on the same
# folder: all keys are back.  AOF: the same with appendonly yes and
# appendfsync always, but the first VM is killed (no shutdown): every
# acknowledged write must be back.  Console: LOG_DIR/redis-persist.log.
set -uo pipefail

img=$1
toro_run=$2
logdir=$3
keys=100000
. "$(dirname "$0")/lib.sh"
port_log redis-persist "$logdir"
rm -f "$log.pipe"
data=$(mktemp -d "$logdir/redis-persist-data.XXXXXX")
vm_extra=(--fs "$data:data" -k fs=data:/data)

port_fail_more() { # what redis-cli --pipe said, if it ran
	[[ -f $log.pipe ]] && { echo "--- redis-cli --pipe said:"; tail -5 "$log.pipe"; }
	return 0
}
. "$(dirname "$0")/redis-vm.sh"
command -v redis-cli >/dev/null || fail 2 "redis-cli missing (tools/bootstrap.sh installs redis-tools)"
[[ -f $img ]] || fail 2 "no image $img"

# SET key:N value:N for N in 1..keys, in the protocol, for redis-cli --pipe.
fill() {
	python3 - "$keys" <<'PY' | cli --pipe >>"$log.pipe" 2>&1 || fail "$1" "redis-cli --pipe (step $1; its output: $log.pipe)"
import sys
out = sys.stdout
for i in range(1, int(sys.argv[1]) + 1):
    k, v = "key:%d" % i, "value:%d" % i
    out.write("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
PY
}

check_keys() { # code
	local n
	n=$(cli dbsize)
	[[ $n == "$keys" ]] || fail "$1" "DBSIZE is $n after the reboot, not $keys"
	[[ $(cli get key:1) == value:1 && $(cli get "key:$keys") == "value:$keys" &&
		$(cli get key:31415) == value:31415 ]] || fail "$1" "values differ after the reboot"
}

shutdown_ok() { # code
	cli shutdown nosave >/dev/null 2>&1
	redis_vm_wait_exit 120 "$1"
	[[ $vm_status == 0 ]] || fail "$1" "the VM ended with status $vm_status"
}

port=$(free_port)
common=(--save "" --dir /data)

# RDB
redis_vm_start "$port" "${common[@]}" --appendonly no
redis_vm_wait_pong 60 3
fill 10
[[ $(cli dbsize) == "$keys" ]] || fail 11 "DBSIZE after writing is not $keys"
[[ $(cli save) == OK ]] || fail 12 "SAVE"
shutdown_ok 13
[[ -s $data/dump.rdb ]] || fail 14 "no dump.rdb in the shared folder"
redis_vm_start "$port" "${common[@]}" --appendonly no
redis_vm_wait_pong 60 15
check_keys 16
shutdown_ok 17
echo "redis-persist: RDB: $keys keys back after a reboot"

# AOF only, and the first VM is killed rather than shut down.
rm -rf "${data:?}"/*
redis_vm_start "$port" "${common[@]}" --appendonly yes --appendfsync always
redis_vm_wait_pong 60 20
fill 21
[[ $(cli dbsize) == "$keys" ]] || fail 22 "DBSIZE after writing is not $keys"
redis_vm_kill
[[ -d $data/appendonlydir ]] || fail 23 "no appendonlydir in the shared folder"
redis_vm_start "$port" "${common[@]}" --appendonly yes
redis_vm_wait_pong 120 24
check_keys 25
shutdown_ok 26
echo "redis-persist: AOF (appendfsync always, VM killed): $keys keys back"
rm -rf "$data"
echo "redis-persist: SUCCESS"
