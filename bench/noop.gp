# SPDX-License-Identifier: Apache-2.0
# Per-call latency of vaccel_noop by profile: what each path costs.
# gnuplot -e "csv='noop.csv'; png='noop.png'" noop.gp
set datafile separator ','
set terminal pngcairo size 800,500
set output png
set title 'vaccel\_noop: per-call latency'
set ylabel 'microseconds'
set logscale y
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key left top
set grid y
plot csv using 4:xtic(1) title 'p50', '' using 5 title 'p99', '' using 3 title 'mean'
