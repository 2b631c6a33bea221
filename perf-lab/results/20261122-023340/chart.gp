set terminal pngcairo size 1400,560 noenhanced font "sans,10"
set output "chart.png"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "Gbit/s"
set yrange [0:*]
set grid ytics
set key top right
set datafile separator "\t"
set multiplot layout 1,2
set title "Tunnels only (median Gbit/s)"
plot "chart.dat" using 3:xtic(1) title columnheader(3) lc rgb "#1f77b4"
set title "Throughput, all configurations (median Gbit/s, same machine, same run)"
plot "chart.dat" using 2:xtic(1) title columnheader(2) lc rgb "#7f7f7f", "chart.dat" using 3:xtic(1) title columnheader(3) lc rgb "#1f77b4"
unset multiplot
