# shellcheck shell=bash
# What every port test shares, sourced after its arguments are read:
#
#   . "$(dirname "$0")/lib.sh"
#   port_log NAME LOGDIR     the console log, LOGDIR/NAME.log (emptied): $log
#   fail CODE MESSAGE        says what failed, shows the log's last lines
#                            (after port_fail_more's output, if the test
#                            defines it) and exits with CODE

port_log() {
	port_name=$1
	mkdir -p "$2"
	log=$2/$1.log
	: >"$log"
}

fail() { # code message
	echo "$port_name: FAILED: $2 (console: $log)" >&2
	if declare -F port_fail_more >/dev/null; then port_fail_more >&2; fi
	{ echo "--- the console's last lines:"; tail -25 "$log"; } >&2
	exit "$1"
}
