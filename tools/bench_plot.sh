#!/usr/bin/env bash
# Draws make bench's figures (docs/performance.md): from the "NAME XINIM LINUX RATIO"
# lines of FIGURES (build/bench/figures.txt, what tools/bench.sh printed), one pair of
# bars per figure, XINIM / Linux sealed and unsealed (NAME_unsealed) side by side, on a
# log scale from 1 (as fast as Linux) up or down, with the targets as marks; an SVG
# picture, drawn with gnuplot (gnuplot-nox, tools/deps.sh).
#   tools/bench_plot.sh FIGURES OUT.svg
set -euo pipefail
figures=$1 picture=$2
data=$(mktemp)
trap 'rm -f "$data"' EXIT

# The ratios aimed at, "FIGURE SEALED UNSEALED" ("-": none).
targets='
syscall_getpid 28 3
pread_4k 6 -
pipe_rtt_same_cpu 4 -
pipe_rtt_cross_cpu 4 -
fork_exit_wait 3 -
'

# One row a figure, in the order printed: NAME SEALED UNSEALED TARGET-SEALED
# TARGET-UNSEALED, NaN where there is none.
awk -v targets="$targets" '
	BEGIN {
		n = split(targets, line, "\n")
		for (i = 1; i <= n; i++)
			if (split(line[i], t, " ") == 3) { goal[t[1]] = t[2]; goal[t[1] "_unsealed"] = t[3] }
	}
	NF == 4 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9.]+$/ {
		name = $1; unsealed = sub(/_unsealed$/, "", name)
		if (!(name in ratio)) { order[++count] = name; ratio[name] = "NaN"; open[name] = "NaN" }
		if (unsealed) open[name] = $4; else ratio[name] = $4
	}
	function target(n) { return (n in goal) && goal[n] != "-" ? goal[n] : "NaN" }
	END {
		for (i = 1; i <= count; i++)
			print order[i], ratio[order[i]], open[order[i]], target(order[i]),
			      target(order[i] "_unsealed")
	}' "$figures" >"$data"
[ -s "$data" ] || { echo "bench_plot: no NAME XINIM LINUX RATIO lines in $figures" >&2; exit 1; }

gnuplot <<GNUPLOT
set terminal svg size 1280,640 noenhanced font "sans,11" background "white"
set output "$picture"
set title "XINIM / Linux 6.1, instructions under qemu -icount (1 = as many as Linux)"
set logscale y
set yrange [*<0.5:*]
set ylabel "XINIM / Linux (log scale)"
set xrange [-0.6:*]
set xtics rotate by 35 right scale 0
set grid ytics
set key outside top center horizontal
set style fill solid 0.85 noborder
w = 0.38
label(ratio) = sprintf(ratio < 1 ? "%.2f" : "%.1f", ratio)
plot "$data" using (\$0 - w/2):2:(\$0 - w):(\$0):(1):2:xtic(1) with boxxyerror \
		lc rgb "#1f6fb4" title "sealed", \
	"" using (\$0 + w/2):3:(\$0):(\$0 + w):(1):3 with boxxyerror \
		lc rgb "#f0a030" title "unsealed (ipc.seal=off)", \
	"" using (\$0 - w):4:(w):(0) with vectors nohead lw 3 lc rgb "black" title "target", \
	"" using (\$0 + 0.02):5:(w - 0.02):(0) with vectors nohead lw 3 lc rgb "black" notitle, \
	"" using (\$0 - w/2):2:(label(\$2)) with labels offset 0,0.6 font "sans,8" notitle, \
	"" using (\$0 + w/2):3:(label(\$3)) with labels offset 0,0.6 font "sans,8" notitle, \
	1 with lines lc rgb "gray40" dt 2 notitle
GNUPLOT
