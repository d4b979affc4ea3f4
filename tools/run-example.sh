#!/usr/bin/env bash
# Sets up, builds and boots the main example under QEMU (microvm).
# Extra arguments go to toro-run, e.g. --machine q35 or --bootstats.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/bootstrap.sh"
exec "$root/tools/toro-run" "$@" "${TORO_BUILD:-$root/build}/examples/hello.img"
