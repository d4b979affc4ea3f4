#!/usr/bin/env bash
# Sets up, builds and boots the main example, Redis (ports/redis-lite), under
# QEMU on microvm: it listens on 127.0.0.1:6379 through QEMU's user network,
# with its data in ./data (virtio-fs).  Try `redis-cli -p 6379 ping` from
# another terminal; `redis-cli -p 6379 shutdown save` stops it.
# Extra arguments go to toro-run before the image (e.g. --machine q35).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TORO_BUILD:-$root/build}
"$root/tools/bootstrap.sh"
mkdir -p "${TORO_DATA:-$PWD/data}"
echo "run-example: Redis on 127.0.0.1:6379, data in ${TORO_DATA:-$PWD/data}"
exec "$root/tools/toro-run" "$@" -m 256M --net user --fwd 6379 \
	--fs "${TORO_DATA:-$PWD/data}" -k fs=data:/data "$build/ports/redis-lite/redis.img" \
	-- --protected-mode no --save "" --dir /data --appendonly yes
