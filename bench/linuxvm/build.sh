#!/usr/bin/env bash
# Build a minimal Linux guest: OUTDIR/vmlinuz (Debian cloud kernel) and
# OUTDIR/initramfs.cpio.gz (busybox, /init, qemu-exit, your files, modules).
# See README.md beside this file.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	cat >&2 <<'EOF'
usage: build.sh OUTDIR [--add HOSTPATH[:GUESTPATH]]... [--modules mod1,mod2]
                [--no-net] [--virtiofs] [--pvh]

  --add HOST[:GUEST]  copy HOST (file or directory) into the initramfs at
                      GUEST (default /BASENAME; a GUEST ending in / is a
                      directory). Shared libraries of dynamically linked ELF
                      files (as ldd lists them) and the loader come along.
  --modules a,b       kernel modules (with dependencies) that /init always
                      loads, in dependency order. Repeatable.
  --no-net            leave out the virtio net modules (virtio_net,
                      virtio_mmio, virtio_pci) that /init loads when the
                      command line has ip=.
  --virtiofs          add the virtio-fs modules (fuse, virtiofs and the virtio
                      transports) that /init loads when the command line has
                      linuxvm.fs= (run.sh --fs).
  --pvh               also extract the uncompressed kernel as OUTDIR/vmlinux
                      (ELF with a PVH entry); run.sh then boots it directly,
                      skipping the in-guest decompression (~0.3-0.5 s TCG).
Environment: LINUXVM_KVER=VERSION to pick an installed kernel other than the
one linux-image-cloud-amd64 depends on.
EOF
	exit 2
}

[ $# -ge 1 ] || usage
case $1 in -h | --help | -*) usage ;; esac
OUT=$1
shift
ADDS=()
MODS=()
NET=1
FS=0
PVH=0
while [ $# -gt 0 ]; do
	case $1 in
	--add)
		[ $# -ge 2 ] || usage
		ADDS+=("$2")
		shift 2
		;;
	--modules)
		[ $# -ge 2 ] || usage
		IFS=, read -r -a m <<<"$2"
		MODS+=("${m[@]}")
		shift 2
		;;
	--no-net)
		NET=0
		shift
		;;
	--virtiofs)
		FS=1
		shift
		;;
	--pvh)
		PVH=1
		shift
		;;
	-h | --help) usage ;;
	*)
		echo "build.sh: unknown argument: $1" >&2
		usage
		;;
	esac
done

log() { echo "build.sh: $*" >&2; }
die() {
	echo "build.sh: error: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- packages
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
need=()
for p in linux-image-cloud-amd64 busybox-static cpio; do
	installed "$p" || need+=("$p")
done
command -v gcc >/dev/null || need+=(gcc)
installed libc6-dev || need+=(libc6-dev)
if [ "$PVH" = 1 ]; then
	command -v readelf >/dev/null || need+=(binutils)
	for t in lz4:lz4 xz:xz-utils zstd:zstd; do command -v "${t%%:*}" >/dev/null || need+=("${t#*:}"); done
fi
if [ ${#need[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "need root to install: ${need[*]}"
	log "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends "${need[@]}" >&2; then
		apt-get update >&2
		apt-get install -y --no-install-recommends "${need[@]}" >&2
	fi
fi

# ---------------------------------------------------------------- kernel
KVER=${LINUXVM_KVER:-}
if [ -z "$KVER" ]; then
	KVER=$(dpkg-query -W -f='${Depends}' linux-image-cloud-amd64 |
		grep -o 'linux-image-[0-9][^ ,]*-cloud-amd64' | head -n1 | sed 's/^linux-image-//') || true
fi
if [ -z "$KVER" ] || [ ! -e "/boot/vmlinuz-$KVER" ]; then
	KVER=$(find /boot -maxdepth 1 -name 'vmlinuz-*-cloud-amd64' -printf '%f\n' |
		sed 's/^vmlinuz-//' | sort -V | tail -n1)
fi
[ -n "$KVER" ] && [ -e "/boot/vmlinuz-$KVER" ] || die "no cloud kernel found in /boot"
MODDIR=/lib/modules/$KVER
[ -r "$MODDIR/modules.dep" ] || die "$MODDIR/modules.dep missing"
log "kernel $KVER"

BB=/bin/busybox
[ -x "$BB" ] || die "$BB missing (busybox-static)"
if ldd "$BB" >/dev/null 2>&1; then die "$BB is not static (is busybox-static installed?)"; fi

# ---------------------------------------------------------------- staging
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/linuxvm.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
ROOT=$STAGE/root
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,dev,proc,sys,tmp,run,root,etc/linuxvm}
chmod 1777 "$ROOT/tmp"
mknod -m 600 "$ROOT/dev/console" c 5 1
mknod -m 666 "$ROOT/dev/null" c 1 3

cp "$BB" "$ROOT/bin/busybox"
while read -r p; do
	[ "$p" = bin/busybox ] && continue
	mkdir -p "$ROOT/$(dirname "$p")"
	ln -sf /bin/busybox "$ROOT/$p"
done < <("$BB" --list-full)

install -m 755 "$HERE/init.sh" "$ROOT/init"
gcc -static -O2 -s -o "$ROOT/sbin/qemu-exit" "$HERE/qemu-exit.c"

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$ROOT/etc/hosts"
echo linuxvm >"$ROOT/etc/hostname"

# ---------------------------------------------------------------- --add
declare -A LIBDIRS=()
is_elf() { [ -f "$1" ] && [ "$(head -c4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }
copy_libs() { # ELF file -> its shared libraries and loader into ROOT
	local f=$1 lib
	is_elf "$f" || return 0
	while read -r lib; do
		[ -n "$lib" ] || continue
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
		LIBDIRS[$(dirname "$lib")]=1
	done < <(ldd "$f" 2>/dev/null | awk '/=>/ { if ($3 ~ /^\//) print $3; next } $1 ~ /^\// { print $1 }')
}
for spec in "${ADDS[@]}"; do
	host=${spec%%:*}
	if [ "$host" != "$spec" ]; then guest=${spec#*:}; else guest=/$(basename "$host"); fi
	case $guest in */) guest=$guest$(basename "$host") ;; esac
	case $guest in /*) ;; *) guest=/$guest ;; esac
	[ -e "$host" ] || die "--add: $host does not exist"
	mkdir -p "$ROOT$(dirname "$guest")"
	if [ -d "$host" ]; then
		mkdir -p "$ROOT$guest"
		cp -a "$host/." "$ROOT$guest/"
		while IFS= read -r -d '' f; do copy_libs "$f"; done < <(find "$host" -type f -print0)
	else
		cp -L "$host" "$ROOT$guest"
		copy_libs "$host"
	fi
	log "added $host -> $guest"
done
if [ ${#LIBDIRS[@]} -gt 0 ]; then
	printf '%s\n' "${!LIBDIRS[@]}" >"$ROOT/etc/ld.so.conf"
	ldconfig -r "$ROOT" 2>/dev/null || log "warning: ldconfig -r failed (libs still in default paths)"
fi

# ---------------------------------------------------------------- modules
declare -A MODPATH=() MODDEPS=() BUILTIN=() SEEN=()
ORDER=()
while IFS= read -r line; do
	p=${line%%:*}
	n=${p##*/}
	n=${n%%.ko*}
	n=${n//-/_}
	MODPATH[$n]=$p
	MODDEPS[$p]=${line#*:}
done <"$MODDIR/modules.dep"
if [ -r "$MODDIR/modules.builtin" ]; then
	while IFS= read -r p; do
		n=${p##*/}
		n=${n%%.ko*}
		BUILTIN[${n//-/_}]=1
	done <"$MODDIR/modules.builtin"
fi
visit() { # modules.dep path -> ORDER (dependencies first)
	local p=$1 d
	[ -n "${SEEN[$p]:-}" ] && return 0
	SEEN[$p]=1
	for d in ${MODDEPS[$p]}; do visit "$d"; done
	ORDER+=("$p")
}
resolve() { # names... -> ORDER
	local n
	for n in "$@"; do
		n=${n//-/_}
		[ -n "$n" ] || continue
		if [ -n "${MODPATH[$n]:-}" ]; then
			visit "${MODPATH[$n]}"
		elif [ -n "${BUILTIN[$n]:-}" ]; then
			log "module $n is built into $KVER, nothing to load"
		else
			die "module $n not found in $MODDIR"
		fi
	done
}
install_mods() { # ORDER entries from index $1 on -> list file $2
	local i p src dst
	: >"$2"
	for ((i = $1; i < ${#ORDER[@]}; i++)); do
		p=${ORDER[$i]}
		src=$MODDIR/$p
		dst=$ROOT/lib/modules/$KVER/${p%.ko*}.ko
		mkdir -p "$(dirname "$dst")"
		case $p in
		*.ko) cp "$src" "$dst" ;;
		*.ko.xz) xz -dc "$src" >"$dst" ;;
		*.ko.zst) zstd -qdc "$src" >"$dst" ;;
		*.ko.gz) gzip -dc "$src" >"$dst" ;;
		*) die "unknown module file $p" ;;
		esac
		echo "/lib/modules/$KVER/${p%.ko*}.ko" >>"$2"
	done
}
resolve "${MODS[@]}"
install_mods 0 "$ROOT/etc/linuxvm/modules"
n_user=${#ORDER[@]}
if [ "$NET" = 1 ]; then
	# microvm: virtio-mmio devices are found through ACPI (virtio_mmio);
	# q35: virtio-net-pci (virtio_pci). Both are modules in the cloud kernel.
	resolve virtio_mmio virtio_pci virtio_net
	install_mods "$n_user" "$ROOT/etc/linuxvm/net-modules"
fi
if [ "$FS" = 1 ]; then
	# virtio-fs (run.sh --fs): the transports again, so that this list is
	# complete without the net one (/init skips a module already loaded).
	n_fs=${#ORDER[@]}
	SEEN=()
	resolve virtio_mmio virtio_pci virtiofs
	install_mods "$n_fs" "$ROOT/etc/linuxvm/fs-modules"
fi
log "modules: ${ORDER[*]:-none}"

# ---------------------------------------------------------------- output
install -m 644 "/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
rm -f "$OUT/vmlinux"
if [ "$PVH" = 1 ]; then
	# Like the kernel's scripts/extract-vmlinux: find the compressed payload
	# in the bzImage, decompress (trailing data makes the tools exit 1), keep
	# the first result that is an ELF with a PVH entry note (Xen note 0x12).
	extract() { # magic(grep -P) command...
		local magic=$1 off
		shift
		for off in $(LC_ALL=C grep -abo -P "$magic" "$OUT/vmlinuz" | cut -d: -f1 | head -n 5); do
			tail -c +$((off + 1)) "$OUT/vmlinuz" | "$@" >"$STAGE/vmlinux" 2>/dev/null || true
			if readelf -h "$STAGE/vmlinux" >/dev/null 2>&1 &&
				readelf -n "$STAGE/vmlinux" | grep -q 'type: (0x00000012)'; then
				return 0
			fi
		done
		return 1
	}
	if extract '\x02\x21\x4c\x18' lz4 -dc || extract '\x1f\x8b\x08' gzip -dc ||
		extract '\xfd\x37\x7a\x58\x5a\x00' xz -dc || extract '\x28\xb5\x2f\xfd' zstd -dc; then
		install -m 644 "$STAGE/vmlinux" "$OUT/vmlinux"
		log "PVH kernel $OUT/vmlinux ($(stat -c %s "$OUT/vmlinux") B)"
	else
		die "--pvh: could not extract an ELF kernel with a PVH note from vmlinuz"
	fi
fi
(cd "$ROOT" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) | gzip -9n >"$OUT/initramfs.cpio.gz"
echo "$KVER" >"$OUT/kernel-version"
# Host TSC rate, passed by run.sh as tsc_early_khz= (see tsc-khz.c).
gcc -O2 -o "$STAGE/tsc-khz" "$HERE/tsc-khz.c"
"$STAGE/tsc-khz" >"$OUT/host-tsc-khz"
(cd "$ROOT" && find . -mindepth 1 ! -type l | LC_ALL=C sort) >"$OUT/manifest"
log "host TSC $(cat "$OUT/host-tsc-khz") kHz"
log "wrote $OUT/vmlinuz ($(stat -c %s "$OUT/vmlinuz") B), $OUT/initramfs.cpio.gz ($(stat -c %s "$OUT/initramfs.cpio.gz") B)"
