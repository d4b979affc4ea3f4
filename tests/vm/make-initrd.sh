#!/usr/bin/env bash
# Builds the test initrds for files_boot.c (newc cpio archives):
#
#   make-initrd.sh OUTDIR
#
# OUTDIR/initrd.cpio      the tree files_boot.c checks (see its "initrd" mode)
# OUTDIR/truncated.cpio   the same cut off in the middle of a file's data
# OUTDIR/garbage.cpio     not an archive at all
# OUTDIR/badname.cpio     a header whose name size runs past the end
set -euo pipefail

out=${1:?usage: make-initrd.sh OUTDIR}
mkdir -p "$out"
tree=$(mktemp -d "${TMPDIR:-/tmp}/toro-initrd.XXXXXX")
trap 'rm -rf "$tree"' EXIT

mkdir -p "$tree/etc" "$tree/data" "$tree/usr/share/doc/deep" "$tree/bin"
printf 'name=toro\nport=8080\n' >"$tree/etc/app.conf"
: >"$tree/etc/empty"
printf 'deep\n' >"$tree/usr/share/doc/deep/readme.txt"
printf '#!/bin/sh\necho hi\n' >"$tree/bin/tool"
chmod 0755 "$tree/bin/tool"
chmod 0644 "$tree/etc/app.conf"
chmod 0700 "$tree/data"
# 300000 bytes, byte i = i % 251: checked in the guest
perl -e 'print pack("C*", map { $_ % 251 } 0 .. 299999)' >"$tree/data/big.bin"
ln -s app.conf "$tree/etc/link.conf"
ln -s /etc/app.conf "$tree/abs.conf"
ln -s usr/share/doc "$tree/doc"
touch -h -d @1600000000 "$tree/etc/app.conf" "$tree/etc/link.conf"

(cd "$tree" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) >"$out/initrd.cpio"

size=$(stat -c %s "$out/initrd.cpio")
head -c $((size / 2)) "$out/initrd.cpio" >"$out/truncated.cpio"
printf 'this is not a cpio archive, just some text to boot with\n' >"$out/garbage.cpio"
# A valid header for "x" that claims a 4096-byte name.
printf '070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x' \
	1 $((0100644)) 0 0 1 0 0 0 0 0 0 4096 0 >"$out/badname.cpio"
printf 'x\0\0\0' >>"$out/badname.cpio"
