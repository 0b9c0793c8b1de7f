# SPDX-License-Identifier: Apache-2.0
# vaccel bench --plot: the latency distribution of each cell (percentiles
# 0, 5, ..., 100 of the per-call latency). Run by the command with
#   gnuplot -e "datafile='DIR/latency.dat'; out='DIR/latency.png'; term='png'; ncols=N"
set encoding utf8
if (term eq 'svg') {
	set terminal svg size 1000,600 dynamic enhanced font 'sans,11'
} else {
	set terminal pngcairo size 1000,600 enhanced font 'sans,10'
}
set output out
set datafile separator "\t"
set datafile missing "-"
set title 'vaccel bench: latency distribution per cell'
set xlabel 'percentile of calls (%)'
set ylabel 'latency per call (µs, log scale)'
set logscale y
set xrange [0:100]
set xtics 10
set grid
set key outside right top title 'workload transport x clients'
plot for [i=2:ncols] datafile using 1:i with linespoints pt 7 ps 0.5 lw 1.5 title columnheader(i)
