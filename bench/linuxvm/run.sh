#!/usr/bin/env bash
# Boot the minimal Linux guest built by build.sh under QEMU (TCG) and run one
# command in it; exit with that command's status. See README.md beside this.
set -euo pipefail

usage() {
	cat >&2 <<'EOF'
usage: run.sh OUTDIR [--machine microvm|q35] [-m MEM] [--smp N]
              [--fwd [ADDR:]HOSTPORT[:GUESTPORT]]... [--net] [--unrestricted]
              [--tap IFNAME]
              [--fs HOSTDIR[:TAG]]...
              [--timeout SECS] [--append KARGS] [--verbose] [--dry-run]
              [--no-boot-tweaks] [--bzimage]
              [--qemu-arg ARG]... -- CMD ARGS...

  --machine    microvm (default) or q35 (with qboot as firmware)
  -m           guest memory (default 256M)
  --smp        guest CPUs (default 1)
  --fwd        forward host 127.0.0.1:HOSTPORT (tcp) to guest GUESTPORT
               (default: same port); ADDR must be a 127.x address. Implies --net.
  --net        attach a virtio NIC (user networking); the guest gets
               10.0.2.15/24, gateway 10.0.2.2, no DNS
  --tap        attach the virtio NIC to the existing tap IFNAME instead (as
               toro-run --net tap=IFNAME; run QEMU in the tap's network
               namespace, e.g. tests/lib/netns.sh's): the guest gets
               10.77.0.2/24, gateway 10.77.0.1 (netns.sh's addresses)
  --unrestricted  let the guest open connections through slirp (to the host
               as 10.0.2.2, and beyond). Default: restrict=on, only --fwd
               rules work.
  --fs         share HOSTDIR over virtio-fs with tag TAG (default "data";
               repeatable), as toro-run --fs does: a virtiofsd per folder, the
               guest RAM in a shared memfd; the guest mounts it on /mnt/TAG.
               Needs build.sh --virtiofs.
  --timeout    kill QEMU after SECS seconds (exit status 124)
  --append     extra kernel command line words (before the --)
  --verbose    show kernel messages and /init's steps; print the QEMU command
  --dry-run    print the QEMU command and exit
  --bzimage    boot OUTDIR/vmlinuz even if build.sh --pvh left OUTDIR/vmlinux
  --no-boot-tweaks  boot the kernel without the speed-ups below (crypto
               self-tests and two slow, unneeded initcalls skipped)
  --qemu-arg   pass one extra argument to QEMU (repeatable)

CMD ARGS are joined with spaces and run in the guest by /bin/sh -c, so shell
syntax works when quoted as one argument: -- 'httpd -p 8080; sleep 10'.
With no CMD, an interactive shell runs on the serial console.

Exit status: the guest command's (0..127; larger values show as 127),
124 on --timeout, 125 if QEMU failed or the guest ended without a status.
EOF
	exit 2
}

[ $# -ge 1 ] || usage
case $1 in -h | --help | -*) usage ;; esac
OUT=$1
shift
MACHINE=microvm MEM=256M SMP=1 NET=0 RESTRICT=on TIMEOUT='' VERBOSE=0 DRY=0 TWEAKS=1 BZ=0
FWDS=() QEXTRA=() KEXTRA=() FSDIRS=() TAP=
while [ $# -gt 0 ]; do
	case $1 in
	--machine) MACHINE=${2:?}; shift 2 ;;
	-m | --mem) MEM=${2:?}; shift 2 ;;
	--smp) SMP=${2:?}; shift 2 ;;
	--fwd) FWDS+=("${2:?}"); NET=1; shift 2 ;;
	--net) NET=1; shift ;;
	--tap) TAP=${2:?}; shift 2 ;;
	--unrestricted) RESTRICT=off; shift ;;
	--fs) FSDIRS+=("${2:?}"); shift 2 ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	--append) KEXTRA+=("${2:?}"); shift 2 ;;
	--verbose) VERBOSE=1; shift ;;
	--dry-run) DRY=1; shift ;;
	--no-boot-tweaks) TWEAKS=0; shift ;;
	--bzimage) BZ=1; shift ;;
	--qemu-arg) QEXTRA+=("${2:?}"); shift 2 ;;
	--) shift; break ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown argument: $1" >&2; usage ;;
	esac
done
CMD="$*"

die() {
	echo "run.sh: error: $*" >&2
	exit 125
}
[ -r "$OUT/vmlinuz" ] && [ -r "$OUT/initramfs.cpio.gz" ] ||
	die "$OUT/vmlinuz or $OUT/initramfs.cpio.gz missing (run build.sh $OUT)"
case $CMD in *$'\n'*) die "the command may not contain newlines" ;; esac

# build.sh --pvh: uncompressed ELF kernel, entered through its PVH note.
KERNEL=$OUT/vmlinuz
[ "$BZ" = 1 ] || [ ! -r "$OUT/vmlinux" ] || KERNEL=$OUT/vmlinux
QEMU=${QEMU:-qemu-system-x86_64}
# shellcheck disable=SC2054 # commas are inside QEMU option values
Q=("$QEMU" -accel tcg -cpu max -m "$MEM" -smp "$SMP"
	-nodefaults -nographic -no-reboot -serial stdio -monitor none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-kernel "$KERNEL" -initrd "$OUT/initramfs.cpio.gz")
case $MACHINE in
microvm)
	# ACPI stays on (the default): the cloud kernel has no
	# CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES and no MP-table parsing, so it finds
	# the IOAPIC and the virtio-mmio NIC through microvm's ACPI tables.
	# pci=off: microvm has no PCI (its "PCI: Fatal: No config space" KERN_ERR
	# line is hidden by loglevel=3 unless --verbose).
	Q+=(-M microvm)
	NETDEV=virtio-net-device
	MACH_KARGS=" pci=off"
	;;
q35)
	Q+=(-M q35 -bios /usr/share/qemu/qboot.rom)
	NETDEV=virtio-net-pci
	MACH_KARGS=
	;;
*) die "--machine must be microvm or q35" ;;
esac

# --fs: the same devices and virtiofsd options as tools/toro-run --fs.
# vhost-user-fs needs the guest's RAM in a shared memfd; virtiofsd
# (libvhost-user) serves virtio 1.x only, so microvm's virtio-mmio transports
# must not be legacy.
VIRTIOFSD=${TORO_VIRTIOFSD:-/usr/lib/qemu/virtiofsd}
FS_TMP='' FS_SRCS=() FS_SOCKS=() FS_PIDS=() FS_KARGS=''
if [ ${#FSDIRS[@]} -gt 0 ]; then
	[ -x "$VIRTIOFSD" ] || die "$VIRTIOFSD not found (apt-get install qemu-system-common)"
	grep -qx './etc/linuxvm/fs-modules' "$OUT/manifest" 2>/dev/null ||
		die "--fs: the initramfs has no virtio-fs modules (build.sh --virtiofs)"
	if [ "$DRY" = 1 ]; then FS_DIR=/tmp/linuxvm-fs.XXXXXX; else
		FS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/linuxvm-fs.XXXXXX")
		FS_DIR=$FS_TMP
	fi
	for ((i = 0; i < ${#Q[@]}; i++)); do
		[ "${Q[i]}" != -M ] || Q[i + 1]+=",memory-backend=mem"
	done
	Q+=(-object "memory-backend-memfd,id=mem,size=$MEM,share=on")
	FSDEV=vhost-user-fs-pci
	if [ "$MACHINE" = microvm ]; then
		FSDEV=vhost-user-fs-device
		Q+=(-global virtio-mmio.force-legacy=false)
	fi
	i=0
	for spec in "${FSDIRS[@]}"; do
		dir=$spec tag=data
		case $spec in *:*) dir=${spec%:*} tag=${spec##*:} ;; esac
		[ -d "$dir" ] || die "--fs: '$dir' is not a directory"
		[[ $tag =~ ^[A-Za-z0-9._-]{1,36}$ ]] || die "--fs: tag '$tag' must be 1-36 of [A-Za-z0-9._-]"
		FS_SRCS+=("$(cd "$dir" && pwd)")
		FS_SOCKS+=("$FS_DIR/fs$i.sock")
		Q+=(-chardev "socket,id=fs$i,path=$FS_DIR/fs$i.sock" -device "$FSDEV,chardev=fs$i,tag=$tag")
		FS_KARGS+=" linuxvm.fs=$tag:/mnt/$tag"
		i=$((i + 1))
	done
fi

# Guest TSC = host TSC under TCG. Tell the kernel its rate: microvm has no
# HPET/ACPI PM timer, PIT calibration fails often under TCG and the kernel then
# hangs. tsc=reliable keeps the TSC clocksource (no watchdog switching it to
# jiffies/HPET when the host is loaded). Same on q35, for like-for-like clocks.
TSC_KHZ=${LINUXVM_TSC_KHZ:-}
[ -n "$TSC_KHZ" ] || TSC_KHZ=$(cat "$OUT/host-tsc-khz" 2>/dev/null) || true
[[ $TSC_KHZ =~ ^[0-9]+$ ]] || die "no host TSC rate: set LINUXVM_TSC_KHZ or re-run build.sh"
# panic=-1: a kernel panic resets at once, which -no-reboot turns into exit.
KARGS="console=ttyS0 panic=-1 tsc_early_khz=$TSC_KHZ tsc=reliable$MACH_KARGS"
[ "$VERBOSE" = 1 ] && KARGS+=" linuxvm.verbose" || KARGS+=" quiet loglevel=3"
if [ -n "$TAP" ]; then
	[ "$NET" = 0 ] || die "--tap and --net/--fwd exclude each other"
	[[ $TAP =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "--tap wants an interface name, got '$TAP'"
	Q+=(-netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" -device "$NETDEV,netdev=n0")
	KARGS+=" ip=10.77.0.2/24 gw=10.77.0.1"
fi
if [ "$NET" = 1 ]; then
	ND="user,id=n0,restrict=$RESTRICT"
	for f in "${FWDS[@]}"; do
		proto=tcp
		case $f in tcp:* | udp:*) proto=${f%%:*} f=${f#*:} ;; esac
		IFS=: read -r -a parts <<<"$f"
		case ${#parts[@]} in
		1) addr=127.0.0.1 hp=${parts[0]} gp=${parts[0]} ;;
		2) addr=127.0.0.1 hp=${parts[0]} gp=${parts[1]} ;;
		3) addr=${parts[0]} hp=${parts[1]} gp=${parts[2]} ;;
		*) die "bad --fwd $f" ;;
		esac
		case $addr in 127.*) ;; *) die "--fwd: host address must be loopback (127.x), got $addr" ;; esac
		[[ $hp =~ ^[0-9]+$ && $gp =~ ^[0-9]+$ ]] || die "bad --fwd ports in $f"
		ND+=",hostfwd=$proto:$addr:$hp-:$gp"
	done
	Q+=(-netdev "$ND" -device "$NETDEV,netdev=n0")
	KARGS+=" ip=10.0.2.15/24 gw=10.0.2.2"
fi
# Boot speed-ups (~0.4 s of TCG CPU time): skip the crypto self-tests and two
# initcalls that take 0.1-0.35 s each under TCG (SP800-108 KDF self-test,
# kprobe-event tracing setup). None affects a benchmarked program.
[ "$TWEAKS" = 0 ] || KARGS+=" cryptomgr.notests initcall_blacklist=crypto_kdf108_init,init_kprobe_trace"
KARGS+=$FS_KARGS
[ ${#KEXTRA[@]} -eq 0 ] || KARGS+=" ${KEXTRA[*]}"
[ -z "$CMD" ] || KARGS+=" -- $CMD"
[ ${#KARGS} -lt 2048 ] || die "kernel command line longer than 2047 bytes (x86 COMMAND_LINE_SIZE)"
Q+=(-append "$KARGS" "${QEXTRA[@]}")

if [ "$DRY" = 1 ] || [ "$VERBOSE" = 1 ]; then
	for ((i = 0; i < ${#FS_SRCS[@]}; i++)); do
		printf '%q ' "$VIRTIOFSD" "--socket-path=${FS_SOCKS[i]}" -o "source=${FS_SRCS[i]}" -o cache=auto >&2
		echo "&" >&2
	done
	printf '%q ' "${Q[@]}" >&2
	echo >&2
	[ "$DRY" = 0 ] || exit 0
fi

ERR=$(mktemp "${TMPDIR:-/tmp}/linuxvm-run.XXXXXX")
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local p
	for p in "${FS_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -f "$ERR"
	[ -z "$FS_TMP" ] || rm -rf "$FS_TMP"
}
trap cleanup EXIT
# Each virtiofsd listens before QEMU connects: wait for its socket.
for ((i = 0; i < ${#FS_SRCS[@]}; i++)); do
	"$VIRTIOFSD" "--socket-path=${FS_SOCKS[i]}" -o "source=${FS_SRCS[i]}" -o cache=auto \
		>"$FS_TMP/virtiofsd$i.log" 2>&1 &
	FS_PIDS+=($!)
	for _ in $(seq 100); do
		[ -S "${FS_SOCKS[i]}" ] && break
		kill -0 "${FS_PIDS[i]}" 2>/dev/null || break
		sleep 0.05
	done
	[ -S "${FS_SOCKS[i]}" ] || { cat "$FS_TMP/virtiofsd$i.log" >&2; die "virtiofsd did not start"; }
done
rc=0
if [ -n "$TIMEOUT" ]; then
	timeout --foreground -k 5 "$TIMEOUT" "${Q[@]}" 2>"$ERR" || rc=$?
else
	"${Q[@]}" 2>"$ERR" || rc=$?
fi
cat "$ERR" >&2

if [ -n "$TIMEOUT" ] && { [ $rc -eq 124 ] || [ $rc -eq 137 ]; }; then
	echo "run.sh: timed out after ${TIMEOUT}s" >&2
	exit 124
fi
if [ $rc -eq 1 ] && grep -v 'warning' "$ERR" | grep -q '^qemu-system'; then
	die "QEMU failed (exit 1)"
fi
if [ $((rc % 2)) -eq 1 ]; then
	exit $(((rc - 1) / 2))
fi
die "guest ended without reporting a status (QEMU exit $rc: poweroff, reset or panic?)"
