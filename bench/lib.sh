# Helpers shared by the benchmark scripts (sourced).

# median of the numbers on stdin, one a line
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# percentile P of the numbers on stdin
percentile() {
	sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int((NR - 1) * p / 100) + 1; print v[i] }'
}

# milliseconds a command takes, wall clock
time_ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 </dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2fx\n", a / b }'
}

bench_env() {
	echo "# host: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo), $(uname -r)"
	echo "# qemu: $(qemu-system-x86_64 --version | head -1), accel ${TORO_ACCEL:-tcg}"
	echo "# date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --short HEAD 2>/dev/null)"
}
