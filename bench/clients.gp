# SPDX-License-Identifier: Apache-2.0
# vaccel bench --plot: throughput (calls per second, all clients together)
# against the number of concurrent client processes. Run by the command with
#   gnuplot -e "datafile='DIR/clients.dat'; out='DIR/clients.png'; term='png'; ncols=N"
set encoding utf8
if (term eq 'svg') {
	set terminal svg size 1000,600 dynamic enhanced font 'sans,11'
} else {
	set terminal pngcairo size 1000,600 enhanced font 'sans,10'
}
set output out
set datafile separator "\t"
set datafile missing "-"
set title 'vaccel bench: throughput against clients'
set xlabel 'concurrent clients (processes)'
set ylabel 'throughput (calls/s, all clients; log scale)'
set logscale y
set xtics 1
set xrange [0:*]
set grid
set key outside right top noenhanced title 'workload transport'
plot for [i=2:ncols] datafile using 1:i with linespoints pt 7 lw 1.5 title columnheader(i)
