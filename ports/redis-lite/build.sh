#!/usr/bin/env bash
# Builds redis.img: Debian's Redis source, our patches, Redis's own Makefile
# with x86_64-toro-gcc.  Called by CMakeLists.txt; usable by hand:
#
#   build.sh SOURCE_ROOT BUILD_BIN OUT_DIR VERSION ORIG_SHA256
#
# OUT_DIR/debian   the unpacked Debian tree (fetched once, cached)
# OUT_DIR/redis    a copy with patches/NNNN-*.patch applied; made afresh
#                  when a patch or a libc-glue header changes
# OUT_DIR/redis.elf  src/redis-server without debug sections (bootable)
# OUT_DIR/redis.img  the same, self-unpacking (tools/toro-pack): what ships
set -euo pipefail

root=$1
bin=$2
out=$3
version=$4
sha256=$5
here=$root/ports/redis-lite
cc=$bin/x86_64-toro-gcc

mkdir -p "$out"
"$root/tools/fetch-debian-source.sh" redis "$version" "$out/debian" "$sha256"

# What the patched tree must be: the source, our patches, and the headers
# Redis compiles against (its Makefile does not track them).
want=$( {
	echo "redis $version $sha256"
	cd "$here/patches" && sha256sum [0-9][0-9][0-9][0-9]-*.patch
	cd "$root/libc-glue/include" && find . -type f -name '*.h' | sort | xargs sha256sum
} )
stamp=$out/redis/.toro-redis-stamp
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
	echo "redis-lite: preparing $out/redis"
	rm -rf "$out/redis"
	cp -a "$out/debian" "$out/redis"
	for p in "$here"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
		echo "redis-lite: applying $(basename "$p")"
		patch -d "$out/redis" -p1 --batch --forward --quiet -i "$p"
	done
	printf '%s\n' "$want" >"$stamp"
fi

# uname_S=Toro: the Makefile's generic branch (not its Linux jemalloc
# default); -rdynamic and -ldl/-lrt it adds are accepted by the toolchain.
# -fstack-clash-protection: lzf_compress() has a 512 KiB frame, larger than
# a stack's guard pages; probing each page makes an overflow stop at the
# guard instead of landing in another thread's memory.
# The image always relinks: the toro libraries may have changed.
rm -f "$out/redis/src/redis-server"
# Redis's mkreleasehdr.sh asks git for a commit: without a ceiling it would
# find Toro's own repository above the build folder and report its commit.
export GIT_CEILING_DIRECTORIES=$out
make -C "$out/redis/src" -j"$(nproc)" redis-server \
	CC="$cc" AR=ar uname_S=Toro MALLOC=libc USE_SYSTEMD=no BUILD_TLS=no \
	OPTIMIZATION=-O2 CFLAGS=-fstack-clash-protection V="${VERBOSE:-}" >"$out/make.log" 2>&1 ||
	{ tail -n 40 "$out/make.log" >&2; echo "redis-lite: make failed (log: $out/make.log)" >&2; exit 1; }
strip --strip-debug -o "$out/redis.elf" "$out/redis/src/redis-server"
"$root/tools/toro-pack" "$out/redis.elf" "$out/redis.img" >/dev/null
echo "redis-lite: $out/redis.img ($(stat -c %s "$out/redis.img") bytes; unpacked $out/redis.elf, $(stat -c %s "$out/redis.elf"))"
