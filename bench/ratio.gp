# SPDX-License-Identifier: Apache-2.0
# vaccel bench --plot: each remote path's p50 over native's p50, per
# workload, with the floor the baselines set (native plus a raw socket or
# shared-memory round trip, plus a copy each way of a payload; for sgemm,
# OpenBLAS called directly) marked. Run by the command with
#   gnuplot -e "datafile='DIR/ratio.dat'; out='DIR/ratio.png'; term='png'; ncols=5"
set encoding utf8
if (term eq 'svg') {
	set terminal svg size 1000,600 dynamic enhanced font 'sans,11'
} else {
	set terminal pngcairo size 1000,600 enhanced font 'sans,10'
}
set output out
set datafile separator "\t"
set datafile missing "-"
set title 'vaccel bench: p50 latency relative to native'
set xlabel 'workload and transport'
set ylabel 'p50 / native p50 (×, log scale)'
set logscale y
set yrange [0.2:*]
set style fill solid 0.7 border -1
set boxwidth 0.8
set xtics rotate by -35 noenhanced
set grid y
set key outside right top
plot datafile using 1:2:4:xtic(5) with boxes lc variable notitle, \
     '' using 1:3 with points pt 7 ps 1.5 lc rgb 'black' title 'floor (baselines)', \
     1 with lines dt 2 lc rgb 'gray40' title 'native', \
     keyentry with boxes lc 1 title 'rpc (UNIX)', \
     keyentry with boxes lc 2 title 'rpc-tcp', \
     keyentry with boxes lc 3 title 'virtio'
