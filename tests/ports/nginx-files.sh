#!/usr/bin/env bash
# ports/nginx-lite serving from and logging to host folders over virtio-fs:
#
#   nginx-files.sh NGINX_IMG INITRD TORO_RUN LOG_DIR
#
# Boots the image once with the recipe's initrd, its nginx.conf changed in
# two places only: a `location /data/` whose files come from a host folder
# shared over virtio-fs (tag data, mounted at /data), and a second
# `access_log` in another shared folder (tag logs, mounted at /logs; the
# console log stays).  Then checks with curl through --fwd: a 50 MB file of
# random bytes made on the host comes back with the host's sha256; ranges
# inside it (-r 10000000-10000099, one across 1 MiB, the last 100 bytes)
# are 206s with exactly those bytes; after a 404 and a 200 with names unique
# to this run, both request lines (and the 50 MB GET's, with its byte count)
# reach the log file on the host.
# Each failed check has its own exit code; QEMU, virtiofsd and the temporary
# folders are always removed.  The console log is kept in
# LOG_DIR/nginx-files.log.
set -uo pipefail

img=$(realpath -- "$1")
initrd=$(realpath -- "$2")
toro_run=$(realpath -- "$3")
logdir=$4
boot_wait=${NGINX_FILES_BOOT_WAIT:-60} # seconds to the first answer
log_wait=10                            # seconds for a log line to land
big_mb=50
export TORO_ACCEL=${TORO_ACCEL:-tcg} # as tests/vm: the same result on every host
. "$(dirname "$0")/lib.sh"
port_log nginx-files "$logdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nginx-files.XXXXXX")

vm=
cleanup() {
	[[ -z $vm ]] || { kill -KILL -- -"$vm" 2>/dev/null; wait "$vm" 2>/dev/null; }
	rm -rf "$tmp"
}
trap cleanup EXIT
command -v curl >/dev/null || fail 2 "curl missing (tools/bootstrap.sh installs it)"
[[ -f $img && -f $initrd ]] || fail 2 "no image $img or initrd $initrd"
port=$(python3 "$(dirname "${BASH_SOURCE[0]}")/../../tools/freeports.py") || fail 2 "no free port"
url=http://127.0.0.1:$port
id=$$-$RANDOM # names this run's requests in the log

# The recipe's initrd; its conf gets /data/ from the share and a log file.
mkdir -p "$tmp/root" "$tmp/data" "$tmp/logs"
(cd "$tmp/root" && cpio --quiet -i -d <"$initrd") || fail 2 "cannot unpack $initrd"
conf=$tmp/root/etc/nginx/nginx.conf
sed -i -e 's|^\( *\)access_log /dev/stdout;|&\n\1access_log /logs/access.log;|' \
	-e 's|^\( *\)location /files/ {|\1location /data/ {\n\1    root /;\n\1}\n&|' "$conf"
if ! grep -q '^ *access_log /logs/access.log;' "$conf" || ! grep -q '^ *location /data/ {' "$conf"; then
	fail 2 "the recipe's nginx.conf no longer has the lines this test changes"
fi
(cd "$tmp/root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) >"$tmp/initrd.cpio"
# `root /` maps the URI /data/big.bin to the guest's /data/big.bin, where
# the data share is mounted: the host's $tmp/data/big.bin.
head -c "${big_mb}M" /dev/urandom >"$tmp/data/big.bin" || fail 2 "cannot make the test file"

# setsid: toro-run, timeout, QEMU and virtiofsd form one process group the
# trap stops; TMPDIR puts toro-run's virtiofsd sockets under $tmp, so a
# killed toro-run leaves nothing behind.
TMPDIR=$tmp setsid "$toro_run" "$img" -m 128M --net user --fwd "$port:8080" \
	--initrd "$tmp/initrd.cpio" --fs "$tmp/data:data" --fs "$tmp/logs:logs" \
	-k fs=data:/data -k fs=logs:/logs --timeout 280 >>"$log" 2>&1 &
vm=$!

get() { curl -s -m 10 "$@"; }

for ((i = 0; i < boot_wait; i++)); do
	[[ $(get -o /dev/null -w '%{http_code}' "$url/" 2>/dev/null) == 200 ]] && break
	kill -0 "$vm" 2>/dev/null || fail 3 "the VM ended before answering"
	sleep 1
done
[[ $(get -o /dev/null -w '%{http_code}' "$url/") == 200 ]] || fail 3 "no 200 within ${boot_wait}s"
echo "nginx-files: first 200 after ~${i}s"

# The 50 MB file from the share, byte-exact.
size=$((big_mb * 1048576))
t0=$SECONDS
cmd=(curl -s -m 240 -o "$tmp/big" -w '%{http_code} %{size_download}' "$url/data/big.bin")
out=$("${cmd[@]}") || fail 10 "'${cmd[*]}' failed (curl status $?, got: $out)"
[[ $out == "200 $size" ]] || fail 10 "GET /data/big.bin: status and size '$out', not '200 $size'"
want=$(sha256sum <"$tmp/data/big.bin" | cut -d' ' -f1)
got=$(sha256sum <"$tmp/big" | cut -d' ' -f1)
[[ $got == "$want" ]] ||
	fail 10 "GET /data/big.bin: sha256 $got, the host's file $want (first differing byte: $(cmp "$tmp/big" "$tmp/data/big.bin" | head -1))"
echo "nginx-files: $big_mb MB byte-exact in $((SECONDS - t0))s"
rm -f "$tmp/big"

# Ranges inside it: 206, the right Content-Range, exactly those bytes.  The
# one the issue names, one across a 1 MiB boundary, and the last 100 bytes.
check_range() { # first last
	local first=$1 last=$2 code cmd
	cmd=(curl -s -m 30 -r "$first-$last" -D "$tmp/range.h" -o "$tmp/range" -w '%{http_code}' "$url/data/big.bin")
	code=$("${cmd[@]}") || fail 11 "'${cmd[*]}' failed (curl status $?)"
	[[ $code == 206 ]] || fail 11 "'${cmd[*]}' gave $code, not 206"
	grep -qi "^Content-Range: bytes $first-$last/$size"$'\r'"\$" "$tmp/range.h" ||
		fail 11 "'${cmd[*]}': Content-Range is '$(grep -i '^Content-Range' "$tmp/range.h" | tr -d '\r')'"
	tail -c +$((first + 1)) "$tmp/data/big.bin" | head -c $((last - first + 1)) >"$tmp/range.want"
	cmp -s "$tmp/range" "$tmp/range.want" ||
		fail 11 "'${cmd[*]}': $(stat -c %s "$tmp/range") bytes that differ from the host file's bytes $first-$last"
}
check_range 10000000 10000099
check_range 1048500 1048699
check_range $((size - 100)) $((size - 1))

# The access log on the logs share: a 404 and a 200 with names of this run,
# and the 50 MB GET with its byte count.  nginx writes a line once the
# request is done, not necessarily before the client has the answer: wait.
code=$(get -o /dev/null -w '%{http_code}' "$url/nginx-files-missing-$id")
[[ $code == 404 ]] || fail 12 "GET /nginx-files-missing-$id gave $code, not 404"
code=$(get -o /dev/null -w '%{http_code}' "$url/?nginx-files-$id")
[[ $code == 200 ]] || fail 12 "GET /?nginx-files-$id gave $code, not 200"
lines=("\"GET /nginx-files-missing-$id HTTP/1.1\" 404 "
	"\"GET /?nginx-files-$id HTTP/1.1\" 200 "
	"\"GET /data/big.bin HTTP/1.1\" 200 $size ")
alog=$tmp/logs/access.log
for ((i = 0; i < log_wait * 10; i++)); do
	missing=
	for l in "${lines[@]}"; do grep -qF -- "$l" "$alog" 2>/dev/null || missing=$l; done
	[[ -z $missing ]] && break
	sleep 0.1
done
[[ -f $alog ]] || fail 12 "no access.log in the logs share after ${log_wait}s (ls: $(ls -la "$tmp/logs"))"
[[ -z $missing ]] || fail 12 "after ${log_wait}s the host's access.log lacks $missing; it holds:
$(tail -5 "$alog")"
echo "nginx-files: access log lines on the host after ~$((i / 10)).$((i % 10))s"

kill -0 "$vm" 2>/dev/null || fail 13 "the VM ended during the checks"
echo "nginx-files: OK"
