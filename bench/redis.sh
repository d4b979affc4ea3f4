#!/usr/bin/env bash
# Redis figures: Toro's ports/redis-lite image against Debian's redis-server
# in the Linux VM (bench/linuxvm), side by side, same QEMU settings: microvm,
# TCG, 1 vCPU, the same -m, the same network (a tap in a private network
# namespace by default, see NET below).
# Figures only, never pass/fail.
#
#   bench/redis.sh [--quick]
#
# Prints redis-benchmark requests/s (GET, SET; -c 30, pipelined -P 16 and not
# -P 1), boot to first PONG (QEMU launcher start to the first PING answered,
# polled every 20 ms), image size, the smallest -m that serves a short
# benchmark, and the host RSS of the QEMU process after the load, with
# Toro's gain (toro/linux for requests/s, linux/toro for the rest); writes build/bench/redis.png (throughput bars).
# Environment: NET (tap, the default, or user: see start()), REDIS_N
# (requests of a -P 16 run), REDIS_N1 (-P 1 run),
# RUNS (load runs, median), BOOTS (boot runs, median), STALL (seconds without
# a command processed after which a redis-benchmark run is stopped and
# counted as stalled; default 30), TORO_BUILD.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TORO_BUILD:-$root/build}
source "$here/lib.sh"
source "$here/server-lib.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
quick=0
[[ ${1:-} == --quick ]] && quick=1
if ((quick)); then
	N=${REDIS_N:-20000} N1=${REDIS_N1:-2000} RUNS=${RUNS:-1} BOOTS=${BOOTS:-2} STALL=${STALL:-30}
else
	N=${REDIS_N:-500000} N1=${REDIS_N1:-50000} RUNS=${RUNS:-3} BOOTS=${BOOTS:-5} STALL=${STALL:-30}
fi
MEM=256M
img=$build/ports/redis-lite/redis.img
out=$build/bench/redis
lvm=$out/linuxvm
log=$out/console.log
mkdir -p "$out"
: >"$log"
[[ -f $img ]] || { echo "build first: ninja -C build (no $img)" >&2; exit 1; }

apt_need redis-server redis-tools gnuplot-nox
net_up bench-redis

linux_ok=1
"$here/linuxvm/build.sh" "$lvm" --add /usr/bin/redis-server:/redis-server >"$out/linuxvm-build.log" 2>&1 ||
	{ linux_ok=0; echo "# linux VM build failed, see $out/linuxvm-build.log" >&2; }

# NET=tap (default): both VMs on a tap in a network namespace made here
# (tests/lib/netns.sh), QEMU and the clients inside it, guest 10.77.0.2:6379.
# NET=user: QEMU's user network with a host forward on 127.0.0.1; slirp's
# forward listens with a backlog of 1, so redis-benchmark's 30 connections
# opening at once can wait out SYN retransmissions (the "stalled" runs).
start() { # toro|linux MEM PORT
	local toronet linuxnet
	vm_net "$3" 6379
	case $1 in
	toro) vm_start "$log" "${inns[@]}" "$root/tools/toro-run" "$img" -m "$2" \
		"${toronet[@]}" --timeout 1200 -- --protected-mode no --save "" ;;
	linux) vm_start "$log" "${inns[@]}" "$here/linuxvm/run.sh" "$lvm" -m "$2" --timeout 1200 \
		"${linuxnet[@]}" --append mitigations=off \
		-- '/redis-server --protected-mode no --save "" --bind 0.0.0.0' ;;
	esac
}
at() { # PORT -> where the server answers, as redis-cli/redis-benchmark options
	if [[ $NET == tap ]]; then echo "-h $netns_guest -p 6379"; else echo "-p $1"; fi
}
# Short probes: a PING that reaches slirp before the guest can answer waits
# for slirp's SYN retransmission (3 s, then 6 s), so a long probe measures
# slirp, not the boot.  A probe that gives up after 0.3 s and is sent again
# finds the guest within one probe interval of its first answer.
# shellcheck disable=SC2046 # at's words are meant to split
pong() { [[ $("${inns[@]}" timeout 0.3 redis-cli $(at "$1") ping 2>/dev/null) == PONG ]]; }
# shellcheck disable=SC2046
cmds() { "${inns[@]}" timeout 3 redis-cli $(at "$1") info stats 2>/dev/null | tr -d '\r' | sed -n 's/^total_commands_processed://p'; }
bench() { # PORT N P TEST -> "requests/s" from redis-benchmark, or "requests/s*"
	# when it stalled: no command processed for STALL s (Toro: see README);
	# the rate is then the server's total_commands_processed over the time
	# in which it progressed, and the run is counted as stalled.
	local f c0 c t0 t last tlast prev
	f=$(mktemp)
	# shellcheck disable=SC2046
	"${inns[@]}" redis-benchmark $(at "$1") -c 30 -n "$2" -P "$3" -t "$4" -q >"$f" 2>/dev/null &
	local pid=$!
	c0=$(cmds "$1") t0=$(date +%s%N) last=$c0 tlast=$t0 prev=$c0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.5
		c=$(cmds "$1") t=$(date +%s%N)
		# progress: more than our own INFO calls since the previous sample
		if [[ -n $c && -n $prev ]] && ((c > prev + 2)); then
			last=$c tlast=$t
		fi
		[[ -z $c ]] || prev=$c
		if (((t - tlast) / 1000000000 >= STALL)); then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null || true
			rm -f "$f"
			awk -v c="$((last - c0))" -v ns="$((tlast - t0))" 'BEGIN { if (ns > 0) printf "%.2f*\n", c / (ns / 1e9); else print "stall" }'
			return
		fi
	done
	wait "$pid" 2>/dev/null || true
	c=$(tr '\r' '\n' <"$f" | sed -n 's/^\([A-Z]*\): \([0-9.]*\) requests per second.*/\2/p' | tail -1)
	rm -f "$f"
	echo "${c:-stall}"
}
nums() { printf '%s\n' "$@" | tr -d '*' | grep -E '^[0-9.]+$' | median; }
stalls() { printf '%s\n' "$@" | grep -c -E 'stall|\*' || true; }

declare -A R # R[sys.figure] = value
declare -A L # L[sys.figure] = the values of each run so far, space-separated
# One boot of s, and a load run on it while i < RUNS.  The two systems take
# turns (toro, linux, toro...), so a slow spell of the host falls on both.
round() { # toro|linux I
	local s=$1 i=$2 port t a b c d
	port=$(free_port)
	start "$s" "$MEM" "$port"
	t=$(vm_wait_ready 180 pong "$port") || true
	echo "# $s boot $((i + 1)): ${t} ms" >&2
	L[$s.boot]+=" $t"
	if [[ $t != fail ]] && ((i < RUNS)); then
		a=$(bench "$port" "$N" 16 set) b=$(bench "$port" "$N" 16 get)
		c=$(bench "$port" "$N1" 1 set) d=$(bench "$port" "$N1" 1 get)
		L[$s.setp]+=" $a" L[$s.getp]+=" $b" L[$s.set1]+=" $c" L[$s.get1]+=" $d"
		echo "# $s run $((i + 1)): P16 set $a get $b, P1 set $c get $d" >&2
		R[$s.rss]=$(vm_rss_kib)
	fi
	vm_stop
}
# shellcheck disable=SC2086 # the lists are meant to split
summarize() { # toro|linux
	local s=$1 runs
	runs=$(wc -w <<<"${L[$s.setp]:-}")
	R[$s.boot]=$(printf '%s\n' ${L[$s.boot]} | grep -v fail | median)
	R[$s.setp]=$(nums ${L[$s.setp]:-})
	R[$s.getp]=$(nums ${L[$s.getp]:-})
	R[$s.set1]=$(nums ${L[$s.set1]:-})
	R[$s.get1]=$(nums ${L[$s.get1]:-})
	R[$s.stalls]="$(stalls ${L[$s.setp]:-} ${L[$s.getp]:-} ${L[$s.set1]:-} ${L[$s.get1]:-})/$((runs * 4))"
}
smallest() { # toro|linux sizes...
	local s=$1 m port t b
	shift
	for m in "$@"; do
		port=$(free_port)
		start "$s" "$m" "$port"
		if t=$(vm_wait_ready 120 pong "$port"); then
			b="$(bench "$port" 20000 16 set) $(bench "$port" 20000 16 get)"
			vm_stop
			if [[ $b != *stall* ]]; then
				echo "$m"
				return
			fi
		fi
		vm_stop
		echo "# $s: -m $m does not serve" >&2
	done
	echo "none"
}

bench_env
echo "# redis: Toro ports/redis-lite $img vs Debian redis-server $(dpkg-query -W -f='${Version}' redis-server) in bench/linuxvm ($(cat "$lvm/kernel-version" 2>/dev/null || echo n/a), mitigations=off)"
net_report "redis-benchmark -c 30 -t get,set"
echo "# N: $N requests per -P 16 run, $N1 per -P 1 run (one redis-benchmark run per test); load runs $RUNS, boot runs $BOOTS (medians); a run in which the server processes no command for $STALL s is stopped and counted as stalled; its rate is then total_commands_processed over the time it progressed"

for ((i = 0; i < BOOTS; i++)); do
	round toro "$i"
	((linux_ok)) && round linux "$i"
done
summarize toro
R[toro.mem]=$(smallest toro 4M 6M 8M 12M 16M 32M 64M 128M 256M)
if ((linux_ok)); then
	summarize linux
	R[linux.mem]=$(smallest linux 64M 96M 128M 192M 256M)
fi

tsize=$(stat -c %s "$img")
ssize=$(stat -c %s "${img%.img}.elf")
lsize=n/a
((linux_ok)) && lsize=$(($(stat -c %s "$lvm/vmlinuz") + $(stat -c %s "$lvm/initramfs.cpio.gz")))
memnum() { [[ $1 =~ ^[0-9]+M$ ]] && echo "${1%M}" || echo 0; }
v() { echo "${R[$1]:-n/a}"; }

echo
printf '%-46s %14s %14s %11s\n' figure toro linux-vm 'toro gain'
# lower is better (times, sizes, memory): the gain is linux/toro
row() { printf '%-46s %14s %14s %11s\n' "$1" "$2" "$3" "$(ratio "${3/n\/a/0}" "$2")"; }
# higher is better (req/s): the gain is toro/linux
rate() { printf '%-46s %14s %14s %11s\n' "$1" "$2" "$3" "$(ratio "$2" "${3/n\/a/0}")"; }
rate "SET req/s, -P 16 (median)" "$(v toro.setp)" "$(v linux.setp)"
rate "GET req/s, -P 16 (median)" "$(v toro.getp)" "$(v linux.getp)"
rate "SET req/s, -P 1 (median)" "$(v toro.set1)" "$(v linux.set1)"
rate "GET req/s, -P 1 (median)" "$(v toro.get1)" "$(v linux.get1)"
printf '%-46s %14s %14s\n' "load runs that stalled (of all runs)" "$(v toro.stalls)" "$(v linux.stalls)"
row "boot to first PONG, ms (median)" "$(v toro.boot)" "$(v linux.boot)"
row "image bytes (toro: as booted, self-unpacking)" "$tsize" "$lsize"
row "image bytes (toro: unpacked ELF)" "$ssize" "$lsize"
printf '%-46s %14s %14s %11s\n' "smallest -m serving 20k requests" "$(v toro.mem)" "$(v linux.mem)" \
	"$(ratio "$(memnum "$(v linux.mem)")" "$(memnum "$(v toro.mem)")")"
row "host RSS of QEMU after the load, MiB" "$(mib "$(v toro.rss)")" "$(mib "$(v linux.rss)")"
echo "# linux image = vmlinuz + initramfs.cpio.gz (busybox, redis-server and its libs)"

{
	echo "test toro linux"
	echo "\"SET -P16\" $(v toro.setp) $(v linux.setp)"
	echo "\"GET -P16\" $(v toro.getp) $(v linux.getp)"
	echo "\"SET -P1\" $(v toro.set1) $(v linux.set1)"
	echo "\"GET -P1\" $(v toro.get1) $(v linux.get1)"
} | sed 's/n\/a/0/g' >"$out/chart.dat"
"$here/chart.sh" "$out/chart.dat" "$build/bench/redis.png" \
	"Redis 7.0.15 under QEMU TCG (1 vCPU, -m $MEM): redis-benchmark -c 30" "requests/s" &&
	echo "# chart: $build/bench/redis.png"
