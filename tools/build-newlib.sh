#!/usr/bin/env bash
# Build newlib 3.3.0 for Toro (x86_64, freestanding) using the HOST gcc as the
# "cross" compiler, reproducibly, from Debian's newlib-source tarball.
#
# Usage: tools/build-newlib.sh OUT_PREFIX WORK_DIR
#
# Result (flat layout):
#   OUT_PREFIX/include/...      newlib headers
#   OUT_PREFIX/lib/libc.a
#   OUT_PREFIX/lib/libm.a
#   OUT_PREFIX/.stamp           tarball sha256 + flags; if it matches, the
#                               whole build is skipped.
#
# WORK_DIR is scratch space (source tree, build tree, staging install); it is
# wiped and recreated on every real build.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 OUT_PREFIX WORK_DIR" >&2
    exit 2
fi

OUT_PREFIX=$(realpath -m -- "$1")
WORK_DIR=$(realpath -m -- "$2")
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PATCH_DIR="$REPO_ROOT/libc-glue/newlib/patches"

NEWLIB_VERSION=3.3.0
TARBALL=/usr/src/newlib/newlib-${NEWLIB_VERSION}.tar.xz
TARBALL_SHA256=c6f3a88b9d93420904241b231ca8647303be3bfb3cfef6adc8d1ea9207291033
TARGET=x86_64-elf

die() { echo "build-newlib: error: $*" >&2; exit 1; }
log() { echo "build-newlib: $*"; }

# --- inputs ------------------------------------------------------------------
[[ -f $TARBALL ]] ||
    die "$TARBALL not found; install newlib-source (apt-get install newlib-source)"
actual_sha=$(sha256sum "$TARBALL" | cut -d' ' -f1)
[[ $actual_sha == "$TARBALL_SHA256" ]] ||
    die "sha256 mismatch for $TARBALL: got $actual_sha, expected $TARBALL_SHA256"

command -v gcc >/dev/null || die "gcc not found"
GCC_INC=$(gcc -print-file-name=include)
[[ -f $GCC_INC/stddef.h && -f $GCC_INC/limits.h ]] ||
    die "gcc's private include dir ($GCC_INC) lacks stddef.h/limits.h"
GCC_VERSION=$(gcc -dumpfullversion)

# --- flags ---------------------------------------------------------------------
# Code-generation flags mandated for Toro's libc (kernel-compatible ABI).
BASE_CFLAGS="-O2 -g -mno-red-zone -fno-pic -fno-pie -fno-omit-frame-pointer \
-ffunction-sections -fdata-sections -fstack-protector-strong \
-mstack-protector-guard=global -mno-avx"
BASE_CFLAGS=$(echo $BASE_CFLAGS)   # normalise whitespace

# Threads: every newlib access to "the current struct _reent" (errno, stdio
# state) goes through __getreent(), which libc-glue answers per thread.  Apps
# see the same through libc-glue/include/sys/features.h.
THREAD_CFLAGS="-D__DYNAMIC_REENT__"

# Header isolation: never look at the host glibc headers in /usr/include.
# -nostdinc drops every default dir; we re-add only gcc's private dir
# (stddef.h, stdarg.h, float.h, stdint-gcc.h, limits.h, ...).  The top-level
# configure puts "-isystem <newlib>/targ-include -isystem <newlib>/libc/include"
# in CC_FOR_TARGET, i.e. *before* these CFLAGS, so newlib's limits.h is seen
# first: it defines _LIBC_LIMITS_H_ and include_next's gcc's limits.h, which
# then skips its own "syslimits.h -> include_next" step.  So no include-fixed
# (Debian's gcc 12 has none anyway) and no limits.h hack is needed.
HDR_CFLAGS="-nostdinc -isystem $GCC_INC"

# Reproducibility: strip the (variable) WORK_DIR from debug info and __FILE__.
REPRO_CFLAGS="-ffile-prefix-map=$WORK_DIR=/usr/src/toro-newlib"

# newlib's x86_64 assembly (memcpy.S, memset.S, setjmp.S) lacks a
# .note.GNU-stack section, which makes ld 2.40 warn "missing .note.GNU-stack
# section implies executable stack" on every link; mark it non-exec.
ASM_CFLAGS="-Wa,--noexecstack"

CFLAGS_FOR_TARGET="$BASE_CFLAGS $THREAD_CFLAGS $HDR_CFLAGS $ASM_CFLAGS $REPRO_CFLAGS"

CONFIGURE_OPTS=(
    --target=$TARGET
    --disable-newlib-supplied-syscalls
    --enable-newlib-retargetable-locking
    # stdin/stdout/stderr are one set of FILEs shared by all threads, not one per _reent
    --enable-newlib-reent-global-stdio-streams
    --enable-newlib-io-long-long
    --enable-newlib-io-c99-formats
    --disable-multilib
    --disable-nls
)

# Patch list (contents hashed into the stamp so a patch change forces a rebuild).
shopt -s nullglob
PATCHES=("$PATCH_DIR"/[0-9][0-9][0-9][0-9]-*.patch)
shopt -u nullglob
patch_sums=""
if ((${#PATCHES[@]})); then
    patch_sums=$(cd "$PATCH_DIR" && sha256sum -- "${PATCHES[@]##*/}")
fi

# --- stamp -----------------------------------------------------------------------
# WORK_DIR only appears in the prefix map, which does not influence the output,
# so it is replaced by a placeholder to let the build be reused across work dirs.
STAMP_CONTENT=$(cat <<EOF
newlib-version: $NEWLIB_VERSION
tarball-sha256: $TARBALL_SHA256
target: $TARGET
gcc-version: $GCC_VERSION
cflags-for-target: ${CFLAGS_FOR_TARGET//$WORK_DIR/@WORK_DIR@}
configure: ${CONFIGURE_OPTS[*]}
patches: ${patch_sums:-none}
EOF
)

STAMP="$OUT_PREFIX/.stamp"
if [[ -f $STAMP && -f $OUT_PREFIX/lib/libc.a && -f $OUT_PREFIX/lib/libm.a &&
      -f $OUT_PREFIX/include/stdio.h ]] &&
    [[ "$(cat "$STAMP")" == "$STAMP_CONTENT" ]]; then
    log "up to date ($STAMP matches), skipping build"
    # Refresh the mtime so make/ninja see the stamp as newer than its inputs
    # (e.g. after this script was merely touched) and stop re-running us.
    touch -- "$STAMP"
    exit 0
fi

# --- build -------------------------------------------------------------------------
start=$(date +%s)

# Deterministic, self-contained environment.  MAKEFLAGS & co. are dropped so a
# parent make's jobserver does not interfere with our own -j2.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS \
    CFLAGS CPPFLAGS CXXFLAGS LDFLAGS CPATH C_INCLUDE_PATH LIBRARY_PATH \
    GCC_EXEC_PREFIX COMPILER_PATH
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

SRC_DIR="$WORK_DIR/newlib-$NEWLIB_VERSION"
BUILD_DIR="$WORK_DIR/build"
STAGE_DIR="$WORK_DIR/stage"

log "extracting $TARBALL into $WORK_DIR"
rm -rf -- "$SRC_DIR" "$BUILD_DIR" "$STAGE_DIR"
mkdir -p -- "$SRC_DIR" "$BUILD_DIR" "$STAGE_DIR"
# Debian's tarball has a "newlib-salsa/" top dir with Debian's quilt patches
# already applied.
tar -xJf "$TARBALL" -C "$SRC_DIR" --strip-components=1 --no-same-owner

for p in "${PATCHES[@]}"; do
    log "applying ${p##*/}"
    patch -d "$SRC_DIR" -p1 --forward --batch --quiet < "$p"
done

log "configuring ($TARGET, CC_FOR_TARGET=gcc)"
(
    cd "$BUILD_DIR"
    "$SRC_DIR/configure" \
        "${CONFIGURE_OPTS[@]}" \
        --prefix="$STAGE_DIR" \
        CC_FOR_TARGET=gcc \
        AR_FOR_TARGET=ar \
        AS_FOR_TARGET=as \
        LD_FOR_TARGET=ld \
        NM_FOR_TARGET=nm \
        RANLIB_FOR_TARGET=ranlib \
        OBJDUMP_FOR_TARGET=objdump \
        STRIP_FOR_TARGET=strip \
        READELF_FOR_TARGET=readelf \
        CFLAGS_FOR_TARGET="$CFLAGS_FOR_TARGET" \
        >"$WORK_DIR/configure.log" 2>&1
) || die "configure failed, see $WORK_DIR/configure.log"

log "building (make -j2)"
# MAKEINFO=true: no texinfo on the host and we do not want the manuals.
make -C "$BUILD_DIR" -j2 MAKEINFO=true all-target-newlib \
    >"$WORK_DIR/build.log" 2>&1 ||
    { tail -n 40 "$WORK_DIR/build.log" >&2; die "make failed, see $WORK_DIR/build.log"; }

log "installing"
make -C "$BUILD_DIR" MAKEINFO=true install-target-newlib \
    >"$WORK_DIR/install.log" 2>&1 ||
    { tail -n 40 "$WORK_DIR/install.log" >&2; die "make install failed, see $WORK_DIR/install.log"; }

# make install produces STAGE_DIR/x86_64-elf/{include,lib}; lay it out flat.
[[ -f $STAGE_DIR/$TARGET/lib/libc.a && -f $STAGE_DIR/$TARGET/lib/libm.a ]] ||
    die "install did not produce $STAGE_DIR/$TARGET/lib/lib{c,m}.a"
mkdir -p -- "$OUT_PREFIX"
rm -f -- "$STAMP"
rm -rf -- "$OUT_PREFIX/include" "$OUT_PREFIX/lib"
cp -a -- "$STAGE_DIR/$TARGET/include" "$OUT_PREFIX/include"
mkdir -p -- "$OUT_PREFIX/lib"
cp -a -- "$STAGE_DIR/$TARGET/lib/libc.a" "$STAGE_DIR/$TARGET/lib/libm.a" "$OUT_PREFIX/lib/"
printf '%s\n' "$STAMP_CONTENT" >"$STAMP"

end=$(date +%s)
log "done: $OUT_PREFIX (build time $((end - start))s)"
