#!/usr/bin/env bash
# Smoke test of ports/nginx-lite with the host's curl:
#
#   nginx-smoke.sh NGINX_IMG INITRD TORO_RUN LOG_DIR
#
# Boots the image with the recipe's initrd (nginx.conf, mime.types,
# /www/index.html) plus a few test files, and a virtio-net NIC on QEMU's
# user network; forwards a free port on 127.0.0.1 to the guest's 8080, then
# checks with curl: the index page byte-exact (plain and gzip), 404, HEAD,
# several requests on one keep-alive connection, a 1 MB file byte-exact, 403
# on a directory without index, autoindex, 304, 206, stub_status, the access
# log, proxy_pass to a Python HTTP server on the host (10.0.2.2 in the
# guest), malformed requests, and a short wrk run with no socket errors and
# no non-2xx answers.  Each failed check has its own exit code; QEMU and the
# backend are always stopped.  The console log is kept in
# LOG_DIR/nginx-smoke.log.
set -uo pipefail

img=$1
initrd=$2
toro_run=$3
logdir=$4
here=$(cd "$(dirname "$0")/../.." && pwd)
page=$here/ports/nginx-lite/index.html
boot_wait=${NGINX_SMOKE_BOOT_WAIT:-60} # seconds to the first answer
export TORO_ACCEL=${TORO_ACCEL:-tcg} # as tests/vm: the same result on every host
. "$(dirname "$0")/lib.sh"
port_log nginx-smoke "$logdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nginx-smoke.XXXXXX")

command -v curl >/dev/null || fail 2 "curl missing (tools/bootstrap.sh installs it)"
[[ -f $img && -f $initrd ]] || fail 2 "no image $img or initrd $initrd"

command -v wrk >/dev/null || fail 2 "wrk missing (tools/bootstrap.sh installs it)"
free_port() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/../../tools/freeports.py"
}
port=$(free_port)
backend_port=$(free_port)
url=http://127.0.0.1:$port

# The recipe's initrd, its proxy_pass pointed at our backend, plus test files.
mkdir -p "$tmp/root" "$tmp/backend"
(cd "$tmp/root" && cpio --quiet -i -d <"$initrd") || fail 2 "cannot unpack $initrd"
sed -i "s|http://10.0.2.2:8081/|http://10.0.2.2:$backend_port/|" "$tmp/root/etc/nginx/nginx.conf"
mkdir -p "$tmp/root/www/files" "$tmp/root/www/noindex"
printf 'hello from the initrd\n' >"$tmp/root/www/files/hello.txt"
head -c 1048576 /dev/urandom >"$tmp/root/www/big.bin"
(cd "$tmp/root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) >"$tmp/initrd.cpio"
printf 'backend says hi\n' >"$tmp/backend/hello.txt"

# setsid: toro-run, timeout and QEMU form one process group we can stop;
# the backend gets its own.
setsid "$toro_run" "$img" -m 128M --net user --fwd "$port:8080" --initrd "$tmp/initrd.cpio" \
	--timeout 280 >>"$log" 2>&1 &
vm=$!
setsid python3 -m http.server "$backend_port" --bind 127.0.0.1 --directory "$tmp/backend" \
	>"$tmp/backend.log" 2>&1 &
backend=$!
cleanup() {
	kill -- -"$vm" 2>/dev/null
	kill -- -"$backend" 2>/dev/null
	wait "$vm" "$backend" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

get() { curl -s -m 10 "$@"; }

for ((i = 0; i < boot_wait; i++)); do
	[[ $(get -o /dev/null -w '%{http_code}' "$url/" 2>/dev/null) == 200 ]] && break
	kill -0 "$vm" 2>/dev/null || fail 3 "the VM ended before answering"
	sleep 1
done
[[ $(get -o /dev/null -w '%{http_code}' "$url/") == 200 ]] || fail 3 "no 200 within ${boot_wait}s"
echo "nginx-smoke: first 200 after ~${i}s"

# The index page, byte-exact, with its type from mime.types.
get -o "$tmp/index" -D "$tmp/index.h" "$url/" || fail 10 "GET / failed"
cmp -s "$tmp/index" "$page" || fail 10 "GET / body differs from $page"
grep -qi '^Content-Type: text/html' "$tmp/index.h" || fail 10 "GET / Content-Type is not text/html"

# gzip: the same page compressed, when the client asks for it.
get -H 'Accept-Encoding: gzip' -o "$tmp/index.gz" -D "$tmp/index.gz.h" "$url/" || fail 10 "GET / (gzip) failed"
grep -qi '^Content-Encoding: gzip' "$tmp/index.gz.h" || fail 10 "GET / with Accept-Encoding: gzip is not gzip"
gzip -dc "$tmp/index.gz" | cmp -s - "$page" || fail 10 "GET / gzip body does not inflate to the page"

# 404 for a missing file.
code=$(get -o /dev/null -w '%{http_code}' "$url/no-such-file.html")
[[ $code == 404 ]] || fail 11 "GET of a missing file gave $code, not 404"

# HEAD: the headers of GET with the page's length, and no body.
get -I -o "$tmp/head" "$url/" || fail 12 "HEAD / failed"
grep -q '^HTTP/1.1 200' "$tmp/head" || fail 12 "HEAD / is not 200"
grep -qi "^Content-Length: $(stat -c %s "$page")"$'\r'"\$" "$tmp/head" ||
	fail 12 "HEAD / Content-Length is not the page's size"
[[ $(get -X HEAD -o - "$url/" | wc -c) == 0 ]] || fail 12 "HEAD / sent a body"

# Keep-alive: curl reuses one connection for several URLs on one command
# line; %{num_connects} counts the new connections each transfer made.
n=8
urls=()
for ((k = 0; k < n; k++)); do urls+=("$url/" -o /dev/null); done
out=$(get -w '%{http_code} %{num_connects}\n' "${urls[@]}") || fail 13 "keep-alive sequence failed"
[[ $(grep -c '^200 ' <<<"$out") == "$n" ]] || fail 13 "keep-alive: not $n answers of 200: $out"
[[ $(awk '{s += $2} END {print s}' <<<"$out") == 1 ]] ||
	fail 13 "keep-alive: $n requests used more than one connection: $out"

# stub_status counts what was served.
get "$url/status" | grep -q '^Active connections:' || fail 14 "stub_status missing"

# The access log reaches the console.
grep -q '"GET / HTTP/1.1" 200' "$log" || fail 15 "no access log line on the console"

# A 1 MB file, byte-exact.
get -o "$tmp/big" "$url/big.bin" || fail 16 "GET /big.bin failed"
cmp -s "$tmp/big" "$tmp/root/www/big.bin" || fail 16 "GET /big.bin differs"

# 403 on a directory without an index; autoindex where it is on.
code=$(get -o /dev/null -w '%{http_code}' "$url/noindex/")
[[ $code == 403 ]] || fail 17 "GET of a directory without index gave $code, not 403"
get "$url/files/" | grep -q '<a href="hello.txt">hello.txt</a>' || fail 17 "no autoindex listing"

# If-Modified-Since gives 304; a range gives 206 with those bytes.
lm=$(grep -i '^Last-Modified:' "$tmp/head" | cut -d' ' -f2- | tr -d '\r')
code=$(get -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" "$url/")
[[ $code == 304 ]] || fail 18 "If-Modified-Since gave $code, not 304"
[[ $(get -w ' %{http_code}' -r 10-19 "$url/") == "$(head -c 20 "$page" | tail -c 10) 206" ]] ||
	fail 18 "range 10-19 is not a 206 with those bytes"

# proxy_pass to the host's backend through QEMU's gateway.
[[ $(get "$url/proxy/hello.txt") == "backend says hi" ]] || fail 19 "proxy_pass did not return the backend's body"

# Malformed requests get a 4xx (or a close) and the server keeps serving:
# a bad method, a 10 KB header line (over large_client_header_buffers), a
# request cut off by the client, and one left half-sent while we GET.
raw() { # bytes-to-send: prints the status line nginx answers, or "closed"
	python3 - "$port" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
try:
    line = s.makefile("rb").readline().decode().strip()
except OSError:
    line = ""
print(line or "closed")
PY
}
[[ $(raw 'G@T / HTTP/1.1\r\nHost: x\r\n\r\n') == "HTTP/1.1 400 Bad Request" ]] ||
	fail 21 "a bad method did not get 400"
[[ $(raw "GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Big: $(head -c 10240 /dev/zero | tr '\0' a)\\r\\n\\r\\n") == "HTTP/1.1 400 Bad Request" ]] ||
	fail 21 "an oversized header did not get 400"
python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(b"GET / HT"); s.close()' "$port" ||
	fail 21 "could not send a truncated request"
exec 7<>"/dev/tcp/127.0.0.1/$port" && printf 'GET / HTTP/1.1\r\nHost: slow\r\n' >&7 ||
	fail 21 "could not open a half-sent request"
code=$(get -o /dev/null -w '%{http_code}' "$url/")
exec 7>&-
[[ $code == 200 ]] || fail 21 "GET while a request was half-sent gave $code"

# A short load: no socket errors, no answers other than 2xx/3xx.  QEMU's
# host forward listens with a backlog of 1 (libslirp), so the host drops
# most of wrk's 20 simultaneous SYNs and retries them after 1 s, then 3 s:
# a longer timeout keeps that host artifact from counting as an error.
wrk -t2 -c20 -d5s --timeout 10s "$url/" >"$tmp/wrk" 2>&1 || fail 20 "wrk failed: $(cat "$tmp/wrk")"
cat "$tmp/wrk"
grep -q 'requests in' "$tmp/wrk" || fail 20 "wrk made no requests"
! grep -qE 'Socket errors|Non-2xx' "$tmp/wrk" || fail 20 "wrk saw errors"

kill -0 "$vm" 2>/dev/null || fail 22 "the VM ended during the checks"
echo "nginx-smoke: OK"
