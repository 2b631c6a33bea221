#!/usr/bin/env python3
"""Helpers for compare.sh (standard library only).

  report.py iperf JSON_FILE        -> "recv_gbps loss_pct" of one iperf3 --json run
  report.py report RAW_TSV OUT_DIR CONFIGS_TSV
      RAW_TSV rows: config  test  run  metric  value
      CONFIGS_TSV rows: config  label  status   (status "ok" or the reason it was skipped)
      Writes OUT_DIR/results.md (medians + ratios to wireguard-go and to veth) and
      OUT_DIR/chart.dat + OUT_DIR/chart.gp (gnuplot script for chart.png)."""
import json
import statistics
import sys
from collections import defaultdict

# (test, metric, unit, higher_is_better, title)
ROWS = [
    ("tcp1", "gbps", "Gbit/s", True, "TCP, 1 stream"),
    ("tcp1", "cpu_a", "% core", False, "  CPU daemon A (sender side)"),
    ("tcp1", "cpu_b", "% core", False, "  CPU daemon B (receiver side)"),
    ("tcp4", "gbps", "Gbit/s", True, "TCP, 4 streams"),
    ("tcp4", "cpu_a", "% core", False, "  CPU daemon A"),
    ("tcp4", "cpu_b", "% core", False, "  CPU daemon B"),
    ("udp", "gbps", "Gbit/s", True, "UDP unlimited (-b 0 -l 1380), received"),
    ("udp", "loss_pct", "%", False, "  UDP unlimited loss"),
    ("udp", "cpu_a", "% core", False, "  CPU daemon A"),
    ("udp", "cpu_b", "% core", False, "  CPU daemon B"),
    ("udprate", "gbps", "Gbit/s", True, "UDP at fixed rate, received"),
    ("udprate", "loss_pct", "%", False, "  UDP fixed-rate loss"),
    ("udprate", "cpu_a", "% core", False, "  CPU daemon A"),
    ("udprate", "cpu_b", "% core", False, "  CPU daemon B"),
    ("ping", "rtt_avg_ms", "ms", False, "ping RTT avg"),
    ("ping", "rtt_max_ms", "ms", False, "ping RTT max"),
    ("ping", "loss_pct", "%", False, "  ping loss"),
    ("latency", "rr_idle_p50_us", "us", False, "request/response p50, idle (HdrHistogram)"),
    ("latency", "rr_idle_p99_us", "us", False, "request/response p99, idle"),
    ("latency", "rr_idle_p999_us", "us", False, "request/response p99.9, idle"),
    ("latency", "rr_load_p50_us", "us", False, "request/response p50, under 1 iperf3 TCP stream"),
    ("latency", "rr_load_p99_us", "us", False, "request/response p99, under 1 iperf3 TCP stream"),
    ("latency", "rr_load_p999_us", "us", False, "request/response p99.9, under 1 iperf3 TCP stream"),
]
# Hook metrics that are bookkeeping, not results: kept in raw.tsv, left out of the tables.
HIDDEN = ("_count", "_max_us")
COLORS = ["#7f7f7f", "#1f77b4", "#d62728", "#ff7f0e", "#2ca02c"]  # one per configuration, same in both panels
CHART_TESTS = [("tcp1", "TCP 1 stream"), ("tcp4", "TCP 4 streams"), ("udp", "UDP unlimited"), ("udprate", "UDP fixed rate")]


def iperf(path):
    d = json.load(open(path))
    if "error" in d and "end" not in d:
        raise SystemExit(f"iperf3 error: {d['error']}")
    end = d["end"]
    recv = end.get("sum_received") or end.get("sum") or {}
    loss = recv.get("lost_percent", end.get("sum", {}).get("lost_percent", 0.0))
    print(f"{recv.get('bits_per_second', 0) / 1e9:.4f} {loss:.3f}")


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "Gbit/s":
        return f"{v:.3f}"
    if unit == "ms":
        return f"{v:.3f}"
    if unit == "us":
        return f"{v:.0f}"
    return f"{v:.1f}"


def report(raw_tsv, out_dir, configs_tsv):
    configs = []  # (id, label, status)
    for line in open(configs_tsv):
        if line.strip():
            cid, label, status = line.rstrip("\n").split("\t", 2)
            configs.append((cid, label, status))
    vals = defaultdict(list)
    runs = defaultdict(set)
    extra_rows = []
    for line in open(raw_tsv):
        if not line.strip():
            continue
        cfg, test, run, metric, value = line.rstrip("\n").split("\t")
        try:
            vals[(cfg, test, metric)].append(float(value))
        except ValueError:
            continue
        runs[cfg].add(run)
        if metric.endswith(HIDDEN):
            continue
        if not any(r[0] == test and r[1] == metric for r in ROWS) and (test, metric) not in extra_rows:
            extra_rows.append((test, metric))
    med = {k: statistics.median(v) for k, v in vals.items()}
    ok = [c for c in configs if c[2] == "ok"]
    rows = ROWS + [(t, m, "", False, f"{t} {m} (hook)") for t, m in extra_rows]
    out = []
    out.append("# jwg perf-lab comparison\n")
    out.append("Medians over runs; each run of each test is one short iperf3/ping measurement, all "
               "configurations measured interleaved in the same invocation on the same machine. "
               "CPU is utime+stime of each daemon process during the test (% of one core; the "
               "kernel's softirq work is not included). The machine is shared: read ratios, not "
               "absolute numbers.\n")
    out.append("| configuration | status | runs |")
    out.append("|---|---|---|")
    for cid, label, status in configs:
        out.append(f"| {label} | {status} | {len(runs.get(cid, ()))} |")
    out.append("")
    if ok:
        out.append("## Medians\n")
        out.append("| test | unit | " + " | ".join(c[1] for c in ok) + " |")
        out.append("|---|---|" + "---|" * len(ok))
        for test, metric, unit, _, title in rows:
            cells = [fmt(med.get((c[0], test, metric)), unit) for c in ok]
            if all(x == "-" for x in cells):
                continue
            out.append(f"| {title} | {unit} | " + " | ".join(cells) + " |")
        out.append("")
        out.append("## Ratios\n")
        out.append("Throughput: higher is better; RTT and CPU: lower is better.\n")
        base_ids = [b for b in ("wggo", "veth") if any(c[0] == b for c in ok)]
        heads = []  # (tunnel configuration, baseline); the veth baseline is never a numerator
        for c in ok:
            for b in base_ids:
                if c[0] != b and c[0] != "veth":
                    heads.append((c, b))
        if heads:
            names = {"wggo": "wireguard-go", "veth": "veth"}
            out.append("| test | " + " | ".join(f"{c[1]} / {names[b]}" for c, b in heads) + " |")
            out.append("|---|" + "---|" * len(heads))
            for test, metric, unit, _, title in rows:
                if metric in ("loss_pct",) or test == "udprate" and metric == "gbps":
                    continue
                cells = []
                for c, b in heads:
                    v, w = med.get((c[0], test, metric)), med.get((b, test, metric))
                    cells.append("-" if v is None or not w else f"{v / w:.2f}")
                if all(x == "-" for x in cells):
                    continue
                out.append(f"| {title} | " + " | ".join(cells) + " |")
            out.append("")
    skipped = [c for c in configs if c[2] != "ok"]
    if skipped:
        out.append("## Skipped\n")
        for cid, label, status in skipped:
            out.append(f"- {label}: {status}")
        out.append("")
    out.append("![throughput](chart.png)\n")
    open(f"{out_dir}/results.md", "w").write("\n".join(out))
    # gnuplot data: one row per test, one column per configuration
    with open(f"{out_dir}/chart.dat", "w") as f:
        f.write("test\t" + "\t".join('"' + c[1] + '"' for c in ok) + "\n")
        for test, title in CHART_TESTS:
            f.write(f'"{title}"\t' + "\t".join(f"{med.get((c[0], test, 'gbps'), 0):.4f}" for c in ok) + "\n")
    with open(f"{out_dir}/chart.gp", "w") as f:
        f.write('set terminal pngcairo size 1400,560 noenhanced font "sans,10"\n')
        f.write('set output "chart.png"\n')  # run from OUT_DIR
        f.write('set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\n')
        f.write('set boxwidth 0.9\nset ylabel "Gbit/s"\nset yrange [0:*]\nset grid ytics\nset key top right\n')
        f.write('set datafile separator "\\t"\n')
        tunnels = [i for i, c in enumerate(ok) if c[0] != "veth"]
        panels = [("Throughput, all configurations (median Gbit/s, same machine, same run)", list(range(len(ok))))]
        if tunnels and len(tunnels) < len(ok):
            panels.insert(0, ("Tunnels only (median Gbit/s)", tunnels))
        if len(panels) == 2:
            f.write('set multiplot layout 1,2\n')
        for title, idx in panels:
            if not idx:
                continue
            f.write(f'set title "{title}"\n')
            cols = ", ".join(f'"chart.dat" using {i + 2}:xtic(1) title columnheader({i + 2}) '
                             f'lc rgb "{COLORS[i % len(COLORS)]}"' for i in idx)
            f.write(f"plot {cols}\n")
        if len(panels) == 2:
            f.write('unset multiplot\n')


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "iperf":
        iperf(sys.argv[2])
    elif len(sys.argv) >= 5 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
