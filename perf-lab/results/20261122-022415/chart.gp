set terminal pngcairo size 1000,560 noenhanced font "sans,10"
set output "/work/perflab/perf-lab/results/20261122-022415/chart.png"
set title "Throughput through the tunnel (median, Gbit/s; same machine, same run)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "Gbit/s"
set yrange [0:*]
set grid ytics
set key top right
set datafile separator "\t"
plot "/work/perflab/perf-lab/results/20261122-022415/chart.dat" using 2:xtic(1) title columnheader(2), "/work/perflab/perf-lab/results/20261122-022415/chart.dat" using 3:xtic(1) title columnheader(3)
