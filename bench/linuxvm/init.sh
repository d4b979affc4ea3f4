#!/bin/sh
# /init of the linuxvm initramfs (installed by bench/linuxvm/build.sh).
#
# Kernel command line understood here (everything else is the kernel's):
#   ip=ADDR/PREFIX    load the virtio net modules, configure eth0
#   gw=GW             default route via GW (with ip=)
#   linuxvm.fs=TAG:PATH  load the virtio-fs modules, mount virtio-fs TAG on
#                     PATH (repeatable; run.sh --fs)
#   linuxvm.verbose   print what /init does
#   -- CMD ARGS...    run "CMD ARGS..." with /bin/sh -c, then end the VM with
#                     its exit status (via /sbin/qemu-exit). Without it, an
#                     interactive shell is started on the console.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
# The kernel exports unknown key=value parameters to init as variables.
unset ip gw

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null

read -r CMDLINE </proc/cmdline
case "$CMDLINE" in
*" -- "*) OPTS=${CMDLINE%% -- *} CMD=${CMDLINE#* -- } ;;
*" --") OPTS=${CMDLINE% --} CMD= ;;
*) OPTS=$CMDLINE CMD= ;;
esac

IP='' GW='' VERBOSE='' FS=''
set -f
for w in $OPTS; do
	case $w in
	ip=*) IP=${w#ip=} ;;
	gw=*) GW=${w#gw=} ;;
	linuxvm.fs=*) FS="$FS ${w#linuxvm.fs=}" ;;
	linuxvm.verbose) VERBOSE=1 ;;
	esac
done
set +f

log() { [ -z "$VERBOSE" ] || echo "[linuxvm] $*"; }

load_modules() {
	while read -r m; do
		[ -n "$m" ] || continue
		# the net and fs lists share the virtio transports
		n=${m##*/}
		n=${n%.ko}
		[ ! -d "/sys/module/$(echo "$n" | tr - _)" ] || continue
		log "insmod $m"
		insmod "$m" || echo "[linuxvm] insmod $m failed" >&2
	done <"$1"
}

[ ! -s /etc/linuxvm/modules ] || load_modules /etc/linuxvm/modules
ip link set lo up

if [ -n "$IP" ]; then
	[ ! -s /etc/linuxvm/net-modules ] || load_modules /etc/linuxvm/net-modules
	i=0
	while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 500 ]; do
		usleep 10000
		i=$((i + 1))
	done
	if [ -e /sys/class/net/eth0 ]; then
		log "eth0 $IP gw ${GW:-none}"
		ip addr add "$IP" dev eth0
		ip link set eth0 up
		[ -z "$GW" ] || ip route add default via "$GW"
	else
		echo "[linuxvm] ip= given but no eth0 appeared" >&2
	fi
fi

if [ -n "$FS" ]; then
	[ ! -s /etc/linuxvm/fs-modules ] || load_modules /etc/linuxvm/fs-modules
	for spec in $FS; do
		tag=${spec%%:*} dir=${spec#*:}
		mkdir -p "$dir"
		# the device is probed when its driver loads; retry briefly anyway
		i=0
		until mount -t virtiofs "$tag" "$dir" 2>/dev/null || [ $i -ge 50 ]; do
			usleep 100000
			i=$((i + 1))
		done
		if grep -q "^$tag $dir virtiofs " /proc/mounts; then
			log "virtio-fs $tag on $dir"
		else
			echo "[linuxvm] could not mount virtio-fs $tag on $dir" >&2
		fi
	done
fi

cd /
if [ -n "$CMD" ]; then
	log "run: $CMD"
	/bin/sh -c "$CMD"
	rc=$?
else
	echo "[linuxvm] no command after '--' on the kernel command line; shell (exit ends the VM)"
	setsid cttyhack /bin/sh
	rc=$?
fi
log "exit status $rc"
exec /sbin/qemu-exit "$rc"
