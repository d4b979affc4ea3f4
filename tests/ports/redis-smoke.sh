#!/usr/bin/env bash
# Smoke test of ports/redis-lite with Debian's redis-tools on the host:
#
#   redis-smoke.sh REDIS_IMG TORO_RUN LOG_DIR
#
# Boots the image with a virtio-net NIC on QEMU's user network, forwards a
# free port on 127.0.0.1 to the guest's 6379, runs redis-cli commands and a
# short redis-benchmark, then SHUTDOWN NOSAVE: the VM must end with status
# 0.  Each failed check has its own exit code; QEMU is always stopped.  The
# console log is kept in LOG_DIR/redis-smoke.log.
set -uo pipefail

img=$1
toro_run=$2
logdir=$3
boot_wait=${REDIS_SMOKE_BOOT_WAIT:-60} # seconds to the first PONG
. "$(dirname "$0")/lib.sh"
port_log redis-smoke "$logdir"
vm_extra=()

. "$(dirname "$0")/redis-vm.sh"
command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null ||
	fail 2 "redis-cli/redis-benchmark missing (tools/bootstrap.sh installs redis-tools)"
[[ -f $img ]] || fail 2 "no image $img"

port=$(free_port)
redis_vm_start "$port" --save "" --appendonly no
redis_vm_wait_pong "$boot_wait" 3
echo "redis-smoke: PONG"

checks=0
expect() { # code "expected output" redis-cli args...
	local code=$1 want=$2
	shift 2
	local got
	got=$(cli "$@" 2>&1)
	if [[ $got != "$want" ]]; then
		printf 'redis-smoke: %s\n  want: %q\n  got:  %q\n' "$*" "$want" "$got" >&2
		fail "$code" "redis-cli $1"
	fi
	checks=$((checks + 1))
}
nl=$'\n'
expect 10 OK set foo bar
expect 11 bar get foo
expect 12 1 incr counter
expect 12 2 incr counter
expect 13 3 lpush list a b c
expect 13 "c${nl}b${nl}a" lrange list 0 -1
expect 14 2 hset hash f1 v1 f2 v2
expect 14 "f1${nl}v1${nl}f2${nl}v2" hgetall hash
expect 15 2 sadd set x y
expect 15 1 sismember set x
expect 16 2 zadd zset 1 one 2 two
expect 16 "one${nl}1${nl}two${nl}2" zrange zset 0 -1 withscores
expect 17 1 expire foo 100
ttl=$(cli ttl foo)
((ttl > 90 && ttl <= 100)) || fail 17 "TTL after EXPIRE 100 is $ttl"
expect 17 OK set short lived px 300
sleep 1.5 # a real expiry, measured by the guest's clock
expect 17 0 exists short
got=$(printf 'MULTI\nINCR counter\nINCR counter\nEXEC\n' | cli)
[[ $got == "OK${nl}QUEUED${nl}QUEUED${nl}3${nl}4" ]] || { echo "$got" >&2; fail 18 "MULTI/EXEC"; }
expect 19 15 eval "return redis.call('incr', KEYS[1]) + tonumber(ARGV[1])" 1 counter 10
cli info server | grep -q '^redis_version:7\.0\.15' || fail 20 "INFO server"
cli info keyspace | grep -q '^db0:keys=' || fail 20 "INFO keyspace"
expect 21 "maxmemory${nl}0" config get maxmemory
expect 21 OK config set maxmemory 64mb
expect 21 "maxmemory${nl}67108864" config get maxmemory
cli client list | grep -q 'cmd=client|list' || fail 22 "CLIENT LIST"
cli bgsave | grep -q 'fork()' || fail 23 "BGSAVE's error reply"

# Pub/sub between two clients.
sub=$(mktemp)
timeout 20 redis-cli -p "$port" subscribe news >"$sub" 2>&1 &
subpid=$!
for ((i = 0; i < 50; i++)); do
	[[ $(cli pubsub numsub news) == "news${nl}1" ]] && break
	sleep 0.2
done
expect 24 1 publish news hello
wait "$subpid"
grep -qx hello "$sub" || { cat "$sub" >&2; fail 24 "the subscriber did not get the message"; }
rm -f "$sub"

# A client speaking garbage or announcing a 1 GB bulk gets a protocol error;
# the server keeps serving the others.
proto=$(python3 - "$port" <<'PY'
import socket, sys
for req in (b"*1\r\n$1073741824\r\n", b"*abc\r\n"):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
    s.sendall(req)
    print(s.recv(200).decode().strip())
    s.close()
PY
)
[[ $proto == "-ERR Protocol error: invalid bulk length${nl}-ERR Protocol error: invalid multibulk length" ]] ||
	{ echo "$proto" >&2; fail 25 "protocol errors"; }
expect 25 PONG ping
echo "redis-smoke: $checks redis-cli checks passed"

bench=$(timeout 300 redis-benchmark -p "$port" -q -n 20000 -c 10 -P 16 \
	-t set,get,incr,lpush,lpop 2>&1 | tr '\r' '\n')
rc=$?
echo "$bench" | grep 'requests per second' | sed 's/^ *//; s/^/redis-smoke: bench: /'
[[ $rc == 0 ]] || fail 30 "redis-benchmark exited with $rc"
[[ $(echo "$bench" | grep -c 'requests per second') == 5 ]] || fail 31 "redis-benchmark: missing results"
echo "$bench" | grep -qi 'error' && fail 32 "redis-benchmark reported errors"
expect 33 PONG ping

# A write load past maxmemory 4mb with allkeys-lru evicts and keeps serving.
# Ten clients: client buffers count as used memory and cannot be evicted, so
# fifty pipelining clients alone come close to 4 MB (then Redis answers OOM).
used=$(cli info memory | tr -d '\r' | sed -n 's/^used_memory_human://p')
echo "redis-smoke: used memory before the maxmemory load: $used"
expect 34 OK config set maxmemory 4mb
expect 34 OK config set maxmemory-policy allkeys-lru
lru=$(timeout 300 redis-benchmark -p "$port" -q -n 30000 -c 10 -r 1000000 -d 200 -P 16 -t set 2>&1) ||
	{ echo "$lru" | tr '\r' '\n' | tail -n 5 >&2; cli info memory | head -n 12 >&2; fail 34 "redis-benchmark under maxmemory"; }
evicted=$(cli info stats | tr -d '\r' | sed -n 's/^evicted_keys://p')
((evicted > 0)) || fail 34 "no key evicted under maxmemory 4mb ($evicted)"
expect 34 PONG ping
echo "redis-smoke: maxmemory 4mb: $evicted keys evicted, still serving"

cli shutdown nosave >/dev/null 2>&1
redis_vm_wait_exit 60 40
[[ $vm_status == 0 ]] || fail 41 "the VM ended with status $vm_status, not 0"
grep -q 'Redis is now ready to exit' "$log" || fail 42 "no shutdown message on the console"
echo "redis-smoke: SUCCESS"
