#!/usr/bin/env bash
# Runs one in-VM test and judges it.
#
#   run-vm-test.sh --name NAME --status N [--expect RE]... [--reject RE]...
#                  [--count N RE]... [--log-dir DIR] [--pre CMD] [--post CMD]
#                  -- TORO-RUN-ARGS...
#
# Pass means: toro-run's exit status is N; the console shows "SUCCESS" exactly
# when N is 0; every --expect regex (grep -E) matches the console log, no
# --reject regex does, and each --count regex matches exactly N lines.  A
# hang is a failure (toro-run --timeout), and so is a reset or triple fault
# (status 123).  The console log is kept in the log folder either way.
# --pre CMD runs (sh -c) before the VM boots, e.g. to prepare a shared folder;
# --post CMD runs after it is gone, with $TORO_TEST_LOG naming the console
# log, e.g. to check from the host what the guest left in a shared folder;
# either one failing fails the test.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
toro_run=${TORO_RUN:-$here/../../tools/toro-run}
name=
status=0
expects=()
rejects=()
counts=()
logdir=${TORO_TEST_LOGS:-.}
pre=
post=

while [[ $# -gt 0 ]]; do
	case $1 in
	--name) name=$2; shift ;;
	--status) status=$2; shift ;;
	--expect) expects+=("$2"); shift ;;
	--reject) rejects+=("$2"); shift ;;
	--count) counts+=("$2" "$3"); shift 2 ;;
	--log-dir) logdir=$2; shift ;;
	--pre) pre=$2; shift ;;
	--post) post=$2; shift ;;
	--) shift; break ;;
	*) echo "run-vm-test: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[[ -n $name ]] || { echo "run-vm-test: --name is required" >&2; exit 2; }

mkdir -p "$logdir"
log=$logdir/$name.log
export TORO_ACCEL=${TORO_ACCEL:-tcg}
export TORO_TEST_LOG=$log
failures=()
if [[ -n $pre ]] && ! sh -c "$pre" >"$log.pre" 2>&1; then
	echo "vm test $name: FAILED (--pre command failed)"
	cat "$log.pre"
	exit 1
fi
"$toro_run" --timeout "${TORO_TEST_TIMEOUT:-120}" "$@" </dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

[[ $rc == "$status" ]] || failures+=("exit status $rc, expected $status")
if [[ $status == 0 ]]; then
	grep -qx 'SUCCESS' "$log" || failures+=("no SUCCESS marker on the console")
else
	! grep -qx 'SUCCESS' "$log" || failures+=("SUCCESS printed, but status $status was expected")
fi
for re in "${expects[@]}"; do
	grep -Eq -- "$re" "$log" || failures+=("console lacks /$re/")
done
for re in "${rejects[@]}"; do
	! grep -Eq -- "$re" "$log" || failures+=("console shows /$re/")
done
for ((i = 0; i < ${#counts[@]}; i += 2)); do
	n=$(grep -Ec -- "${counts[i + 1]}" "$log")
	[[ $n == "${counts[i]}" ]] || failures+=("/${counts[i + 1]}/ seen $n times, expected ${counts[i]}")
done

if [[ -n $post ]] && ! sh -c "$post" >"$log.post" 2>&1; then
	failures+=("post-check failed: $(tail -n 5 "$log.post" | tr '\n' ' ')")
fi

if [[ ${#failures[@]} -eq 0 ]]; then
	echo "vm test $name: passed (status $rc)"
	exit 0
fi
echo "vm test $name: FAILED"
printf '  - %s\n' "${failures[@]}"
echo "  console log kept at $log; its last lines:"
tail -n 40 "$log" | sed 's/^/    | /'
exit 1
