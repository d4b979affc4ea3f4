#!/usr/bin/env bash
# Self-test and timing of the linuxvm harness (see README.md).
#   selftest.sh [WORKDIR] [--runs N] [--port HOSTPORT]
# Builds static + dynamic hello programs and a guest into WORKDIR (default: a
# temp dir), checks output and exit-status propagation on microvm and q35,
# times N (default 3) boots of `-- /hello` per machine and kernel form
# (bzImage, PVH vmlinux), and runs a bounded
# network smoke test (busybox httpd in the guest, curl on 127.0.0.1).
# Prints "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK='' RUNS=3 PORT=18080
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--port) PORT=$2; shift 2 ;;
	*) WORK=$1; shift ;;
	esac
done
if [ -z "$WORK" ]; then
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/linuxvm-selftest.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
cd "$WORK"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

cat >hello.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    printf("hello from linux");
    for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}
EOF
gcc -static -O2 -o hello hello.c
gcc -O2 -o hello-dyn hello.c
mkdir -p www/cgi-bin
echo "linuxvm httpd ok" >www/index.html
printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\nstopping\\n"\ntouch /tmp/stop\n' >www/cgi-bin/stop
chmod 755 www/cgi-bin/stop

"$HERE/build.sh" out --pvh --add hello --add hello-dyn:/usr/bin/hello-dyn --add www:/www

check() { # machine expected_rc expected_output cmd...
	local m=$1 want=$2 wout=$3 out rc=0
	shift 3
	out=$("$HERE/run.sh" out --machine "$m" --timeout 120 -- "$@" </dev/null 2>&1) || rc=$?
	if [ "$rc" = "$want" ] && grep -qF -- "$wout" <<<"$out"; then
		ok "$m: '$*' -> $rc"
	else
		bad "$m: '$*' -> $rc (want $want, output containing '$wout'): $out"
	fi
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for m in microvm q35; do
	check "$m" 0 "hello from linux" /hello
	check "$m" 3 "hello from linux [3]" /hello 3
	check "$m" 42 "hello from linux [42] [a b]" "/usr/bin/hello-dyn 42 'a b'"
	check "$m" 127 "not found" /nonexistent
	for kern in bzimage pvh; do
		kopt=()
		[ $kern = pvh ] || kopt=(--bzimage)
		walls='' cpus=''
		for ((i = 1; i <= RUNS; i++)); do
			# bash's time: wall, and user+sys of run.sh and QEMU (its children).
			t=$( { TIMEFORMAT='%R %U %S'; time "$HERE/run.sh" out --machine "$m" "${kopt[@]}" --timeout 120 -- /hello \
				</dev/null >/dev/null 2>&1 || echo "rc=$?"; } 2>&1)
			case $t in *rc=*) bad "$m $kern: timing run $i: $t"; continue ;; esac
			read -r w u sy <<<"$t"
			walls+="$w "
			cpus+="$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }') "
		done
		echo "time $m $kern (-- /hello, QEMU start to exit, $RUNS runs): wall ${walls}s median $(median <<<"$walls")s;" \
			"CPU ${cpus}s median $(median <<<"$cpus")s"
	done
done

# Network: httpd in the guest, curl from the host via 127.0.0.1:$PORT, then
# GET /cgi-bin/stop makes the guest command end; --timeout bounds it all.
for m in microvm q35; do
	"$HERE/run.sh" out --machine "$m" --timeout 120 --fwd "127.0.0.1:$PORT:8080" -- \
		'httpd -p 8080 -h /www && while [ ! -e /tmp/stop ]; do usleep 100000; done; usleep 200000' \
		</dev/null >"net-$m.log" 2>&1 &
	vm=$!
	got=
	for ((i = 0; i < 90; i++)); do
		got=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/" || true)
		[ -n "$got" ] && break
		sleep 1
	done
	[ "$got" = "linuxvm httpd ok" ] && ok "$m: curl 127.0.0.1:$PORT -> guest httpd" ||
		bad "$m: curl got '$got'"
	curl -s --max-time 5 "http://127.0.0.1:$PORT/cgi-bin/stop" >/dev/null || true
	rc=0
	wait "$vm" || rc=$?
	[ $rc = 0 ] && ok "$m: network VM stopped cleanly" || bad "$m: network VM exit $rc: $(cat "net-$m.log")"
done

echo "kernel $(cat out/kernel-version)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
