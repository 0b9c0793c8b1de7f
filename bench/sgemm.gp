# SPDX-License-Identifier: Apache-2.0
# SGEMM time per call by matrix size, one line per profile (log-log): the
# gap between a transport's line and native's is what the transport costs.
# gnuplot -e "csv='sgemm.csv'; png='sgemm.png'; profiles='native noop'" sgemm.gp
set datafile separator ','
set terminal pngcairo size 800,500
set output png
set title 'SGEMM (m = n = k): best time per call'
set xlabel 'size'
set ylabel 'ms per call'
set logscale xy
set key left top
set grid
plot for [p in profiles] '< grep "^'.p.'," '.csv using 2:3 with linespoints title p
