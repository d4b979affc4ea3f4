#!/usr/bin/env bash
# nginx figures: Toro's ports/nginx-lite image against Debian's nginx
# (nginx-light) in the Linux VM (bench/linuxvm), side by side, same QEMU
# settings: microvm, TCG, 1 vCPU, the same -m, the same network (NET: a tap
# in a private network namespace by default, or user for QEMU's user network
# with hostfwd on 127.0.0.1), and the same nginx.conf (one process, epoll, access_log off,
# sendfile on, as in Debian's default nginx.conf).  Figures only, never
# pass/fail.
#
#   bench/nginx.sh [--quick]
#
# Prints wrk -t2 -c30 requests/s and p99 latency (wrk --latency) on a
# 612-byte index.html and on a 1 MiB file, boot to first HTTP 200 (launcher
# start to the first 200, polled every 20 ms), image size, the smallest -m
# that serves the load, and the host RSS of QEMU after the load, with
# Toro's gain (toro/linux for requests/s, linux/toro for the rest); writes build/bench/nginx.png (requests/s bars).
# Environment: NET (tap or user, see start()), DURATION (wrk seconds), RUNS (load runs, median), BOOTS
# (boot runs, median), TORO_BUILD.
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
	DURATION=${DURATION:-3} RUNS=${RUNS:-1} BOOTS=${BOOTS:-2}
else
	DURATION=${DURATION:-30} RUNS=${RUNS:-3} BOOTS=${BOOTS:-5} # -d30s: the issue's figure
fi
MEM=128M
img=$build/ports/nginx-lite/nginx.img
initrd0=$build/ports/nginx-lite/initrd.cpio
out=$build/bench/nginx
lvm=$out/linuxvm
log=$out/console.log
mkdir -p "$out"
: >"$log"
[[ -f $img && -f $initrd0 ]] || { echo "build first: ninja -C build (no $img or $initrd0)" >&2; exit 1; }

apt_need nginx-light wrk curl gnuplot-nox cpio
net_up bench-nginx

# One site for both: the recipe's initrd (for nginx's mime.types), our
# nginx.conf, a 612-byte index.html and a 1 MiB file.
site=$out/site
rm -rf "$site"
mkdir -p "$site"
(cd "$site" && cpio --quiet -i -d <"$initrd0")
cat >"$site/etc/nginx/nginx.conf" <<'EOF'
daemon off;
master_process off;
worker_processes 1;
error_log stderr notice;
pid /tmp/nginx.pid;

events {
    use epoll;
    worker_connections 1024;
    multi_accept on;
}

http {
    include mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 65;
    keepalive_requests 10000;

    server {
        listen 8080;
        root /www;
        index index.html;
    }
}
EOF
{
	printf '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n'
	printf '<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and working.</p>\n'
	printf '<p>This page is the benchmark page of bench/nginx.sh: 612 bytes in all.</p>\n<!-- '
} >"$site/www/index.html"
pad=$((612 - $(stat -c %s "$site/www/index.html") - 21)) # 21: the tail below
printf '%*s -->\n</body>\n</html>\n' "$pad" '' >>"$site/www/index.html"
[[ $(stat -c %s "$site/www/index.html") == 612 ]] || { echo "index.html is not 612 bytes" >&2; exit 1; }
head -c 1048576 /dev/urandom >"$site/www/1m.bin"
mkdir -p "$site/var/lib/nginx" "$site/var/log/nginx"
(cd "$site" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) >"$out/initrd.cpio"

linux_ok=1
"$here/linuxvm/build.sh" "$lvm" --add /usr/sbin/nginx:/usr/sbin/nginx --add "$site/etc:/etc" \
	--add "$site/www:/www" --add "$site/var:/var" >"$out/linuxvm-build.log" 2>&1 ||
	{ linux_ok=0; echo "# linux VM build failed, see $out/linuxvm-build.log" >&2; }

# NET=tap (default) or user, as in bench/redis.sh.
start() { # toro|linux MEM PORT
	local toronet linuxnet
	vm_net "$3" 8080
	case $1 in
	toro) vm_start "$log" "${inns[@]}" "$root/tools/toro-run" "$img" -m "$2" "${toronet[@]}" \
		--initrd "$out/initrd.cpio" --timeout 1200 ;;
	linux) vm_start "$log" "${inns[@]}" "$here/linuxvm/run.sh" "$lvm" -m "$2" --timeout 1200 \
		"${linuxnet[@]}" --append mitigations=off -- /usr/sbin/nginx ;;
	esac
}
url() { # PORT PATH
	if [[ $NET == tap ]]; then echo "http://$netns_guest:8080$2"; else echo "http://127.0.0.1:$1$2"; fi
}
# Short probes, as bench/redis.sh's pong (a long one measures slirp's SYN
# retransmission, not the boot).
ok200() { [[ $("${inns[@]}" curl -s -m 0.3 -o /dev/null -w '%{http_code}' "$(url "$1" /)") == 200 ]]; }
load() { # PORT PATH SECS -> "rps p99ms errors p50ms"
	"${inns[@]}" timeout $(($3 + 60)) wrk -t2 -c30 -d"$3s" --timeout 10s --latency "$(url "$1" "$2")" 2>&1 | awk '
		/^Requests\/sec:/ { rps = $2 }
		function ms(v, u) { u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
			return (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
		$1 == "99%" { p99 = ms($2) }
		$1 == "50%" { p50 = ms($2) }
		/Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
		/Non-2xx/ { err += $NF }
		END { printf "%s %s %d %s\n", (rps == "" ? "n/a" : rps), (p99 == "" ? "n/a" : p99), err, (p50 == "" ? "n/a" : p50) }'
}

declare -A R # R[sys.figure] = value
declare -A L # L[sys.figure] = the values of each run so far, space-separated
# One boot of s, and a load run on it while i < RUNS.  The two systems take
# turns (toro, linux, toro...), so a slow spell of the host falls on both.
round() { # toro|linux I
	local s=$1 i=$2 port t a b c e1 e2
	port=$(free_port)
	start "$s" "$MEM" "$port"
	t=$(vm_wait_ready 180 ok200 "$port") || true
	echo "# $s boot $((i + 1)): ${t} ms" >&2
	L[$s.boot]+=" $t"
	if [[ $t != fail ]] && ((i < RUNS)); then
		read -r a b e1 c < <(load "$port" /index.html "$DURATION")
		L[$s.rs]+=" $a" L[$s.ls]+=" $b" L[$s.ms]+=" $c"
		echo "# $s run $((i + 1)): 612 B $a req/s p50 $c p99 $b ms ($e1 errors)" >&2
		read -r a b e2 c < <(load "$port" /1m.bin "$DURATION")
		L[$s.rb]+=" $a" L[$s.lb]+=" $b" L[$s.mb]+=" $c"
		echo "# $s run $((i + 1)): 1 MiB $a req/s p50 $c p99 $b ms ($e2 errors)" >&2
		R[$s.rss]=$(vm_rss_kib)
	fi
	vm_stop
}
# shellcheck disable=SC2086 # the lists are meant to split
summarize() { # toro|linux
	local s=$1 f
	R[$s.boot]=$(printf '%s\n' ${L[$s.boot]} | grep -v fail | median)
	for f in rs ls rb lb ms mb; do
		R[$s.$f]=$(printf '%s\n' ${L[$s.$f]:-} | grep -v n/a | median)
	done
}
smallest() { # toro|linux sizes... ; serves = both files answered under wrk, no errors
	local s=$1 m port a b e1 e2
	shift
	for m in "$@"; do
		port=$(free_port)
		start "$s" "$m" "$port"
		if vm_wait_ready 120 ok200 "$port" >/dev/null; then
			read -r a b e1 c < <(load "$port" /index.html 3)
			read -r a2 b e2 c < <(load "$port" /1m.bin 3)
			vm_stop
			if [[ $a != n/a && $a2 != n/a ]] && awk -v a="$a" -v b="$a2" 'BEGIN { exit !(a > 0 && b > 0) }' &&
				((e1 == 0 && e2 == 0)); then
				echo "$m"
				return
			fi
		fi
		vm_stop
		echo "# $s: -m $m does not serve" >&2
	done
	echo none
}

bench_env
echo "# nginx: Toro ports/nginx-lite $img vs Debian nginx-light $(dpkg-query -W -f='${Version}' nginx-light) in bench/linuxvm ($(cat "$lvm/kernel-version" 2>/dev/null || echo n/a), mitigations=off)"
net_report "wrk -t2 -c30 -d${DURATION}s --timeout 10s --latency"
echo "# same nginx.conf on both ($out/site/etc/nginx/nginx.conf); load runs $RUNS, boot runs $BOOTS (medians)"

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

tsize=$(($(stat -c %s "$img") + $(stat -c %s "$out/initrd.cpio")))
ssize=$(($(stat -c %s "${img%.img}.elf") + $(stat -c %s "$out/initrd.cpio")))
lsize=n/a
((linux_ok)) && lsize=$(($(stat -c %s "$lvm/vmlinuz") + $(stat -c %s "$lvm/initramfs.cpio.gz")))
memnum() { [[ $1 =~ ^[0-9]+M$ ]] && echo "${1%M}" || echo 0; }
v() { echo "${R[$1]:-n/a}"; }

echo
printf '%-46s %14s %14s %11s\n' figure toro linux-vm 'toro gain'
# lower is better (times, sizes, memory): the gain is linux/toro
row() { printf '%-46s %14s %14s %11s\n' "$1" "$2" "$3" "$(ratio "${3/n\/a/0}" "${2/n\/a/0}")"; }
# higher is better (req/s): the gain is toro/linux
rate() { printf '%-46s %14s %14s %11s\n' "$1" "$2" "$3" "$(ratio "${2/n\/a/0}" "${3/n\/a/0}")"; }
rate "612 B page: req/s (median)" "$(v toro.rs)" "$(v linux.rs)"
row "612 B page: p50 latency, ms (median)" "$(v toro.ms)" "$(v linux.ms)"
row "612 B page: p99 latency, ms (median)" "$(v toro.ls)" "$(v linux.ls)"
rate "1 MiB file: req/s (median)" "$(v toro.rb)" "$(v linux.rb)"
row "1 MiB file: p50 latency, ms (median)" "$(v toro.mb)" "$(v linux.mb)"
row "1 MiB file: p99 latency, ms (median)" "$(v toro.lb)" "$(v linux.lb)"
row "boot to first HTTP 200, ms (median)" "$(v toro.boot)" "$(v linux.boot)"
row "image bytes (toro: as booted, + initrd)" "$tsize" "$lsize"
row "image bytes (toro: unpacked ELF, + initrd)" "$ssize" "$lsize"
printf '%-46s %14s %14s %11s\n' "smallest -m serving wrk on both files" "$(v toro.mem)" "$(v linux.mem)" \
	"$(ratio "$(memnum "$(v linux.mem)")" "$(memnum "$(v toro.mem)")")"
row "host RSS of QEMU after the load, MiB" "$(mib "$(v toro.rss)")" "$(mib "$(v linux.rss)")"
[[ $NET == tap ]] || echo "# p99 includes libslirp's host-forward backlog of 1 (SYNs of the 30 connections dropped, retried after 1 s / 3 s; see ports/nginx-lite/README.md)"
echo "# both initrds hold the 1 MiB random file; linux image = vmlinuz + initramfs.cpio.gz (busybox, nginx and its libs, the site)"

{
	echo "test toro linux"
	echo "\"612 B page\" $(v toro.rs) $(v linux.rs)"
	echo "\"1 MiB file\" $(v toro.rb) $(v linux.rb)"
} | sed 's/n\/a/0/g' >"$out/chart.dat"
"$here/chart.sh" "$out/chart.dat" "$build/bench/nginx.png" \
	"nginx 1.22.1 under QEMU TCG (1 vCPU, -m $MEM): wrk -t2 -c30 -d${DURATION}s" "requests/s (log scale)" log &&
	echo "# chart: $build/bench/nginx.png"
