#!/usr/bin/env bash
# The compiler nginx's auto/configure runs its feature tests with.
#
#   configure-cc.sh TORO_GCC [gcc arguments...]
#
# auto/configure decides a feature is present when its test program compiles
# and links, and for some (type sizes, NGX_SYS_NERR, "works" checks) when the
# program also runs.  A Toro image cannot run on the host, so:
#   - compiling and linking use x86_64-toro-gcc: a feature is found only if
#     Toro's headers and libraries really have it;
#   - when that link succeeds, the same source is rebuilt with the host gcc
#     as the executable configure runs.  Host and Toro share the x86_64 LP64
#     ABI, so sizes agree.  The other checks nginx 1.22 runs (GCC atomics
#     and variadic macros, epoll_create(), prctl(PR_SET_DUMPABLE),
#     mmap(MAP_ANON|MAP_SHARED), sem_init(), sys_nerr) get Linux's answers,
#     which Toro's own calls match for everything nginx uses; what Toro
#     lacks (sendfile, System V shm, ...) already failed to link.
set -uo pipefail
toro_gcc=$1
shift
out=
args=()
while [[ $# -gt 0 ]]; do
	case $1 in
	-o) out=$2; shift 2; continue ;;
	esac
	args+=("$1")
	shift
done
[[ -n $out ]] || exec "$toro_gcc" "${args[@]}"
"$toro_gcc" "${args[@]}" -o "$out" || exit 1
case " ${args[*]} " in *" -c "*) exit 0 ;; esac
rm -f "$out"
exec gcc "${args[@]}" -o "$out"
