#!/usr/bin/env bash
# Clustered bar chart (toro vs linux-vm) with gnuplot (gnuplot-nox).
#
#   bench/chart.sh DATA OUT.png TITLE YLABEL [log]
#
# DATA: a header line, then rows of "LABEL TORO LINUX" (quoted labels).
# "log": logarithmic y axis (for bars of very different sizes).
set -euo pipefail
data=$1 png=$2 title=$3 ylabel=$4 scale=${5:-linear}
yaxis='set yrange [0:*]'
[[ $scale == log ]] && yaxis='set logscale y; set yrange [1:*]'
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
tail -n +2 "$data" >"$tmp"
mkdir -p "$(dirname "$png")"
gnuplot <<EOF
set terminal png size 900,500
set output '$png'
set title '$title'
set ylabel '$ylabel'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top right
$yaxis
set grid ytics
plot '$tmp' using 2:xtic(1) title 'toro' lc rgb '#1f77b4', \
     '' using 3 title 'linux-vm' lc rgb '#ff7f0e'
EOF
