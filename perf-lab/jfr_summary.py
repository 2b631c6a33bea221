#!/usr/bin/env python3
"""Summarise a JFR recording of a jwg daemon taken under load (standard library only).

  jfr_summary.py JFR_BIN RECORDING.jfr [DATA_PATH_THREAD_REGEX]

Runs `JFR_BIN print --json` for jdk.ObjectAllocationSample and jdk.ExecutionSample and prints
Markdown: sampled allocation per thread (data-path threads flagged), the top allocation sites on
data-path threads (there should be none), and the top CPU frames (self time, by top frame) and
top methods including callees (inclusive), over all threads and over the data path.
The data path is jwg's packet threads: TUN reader, UDP receivers, crypto workers (default regex)."""
import json
import re
import subprocess
import sys
from collections import Counter

DEFAULT_DP = r"^jwg-(tun-reader|crypto-\d+|udp[46]-rx)"


def frames(ev):
    st = ev.get("values", {}).get("stackTrace") or {}
    out = []
    for f in st.get("frames", []) or []:
        m = f.get("method", {})
        t = m.get("type", {}).get("name", "?")
        out.append(f"{t.split('.')[-1] if '.' in t else t}.{m.get('name', '?')}:{f.get('lineNumber', '?')}")
    return out


def thread(ev):
    v = ev.get("values", {})
    t = v.get("eventThread") or v.get("sampledThread") or {}
    return t.get("javaName") or t.get("osName") or "?"


def load(jfr_bin, path, events):
    p = subprocess.run([jfr_bin, "print", "--json", "--stack-depth", "12", "--events", events, path],
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise SystemExit(f"jfr print failed: {p.stderr.strip()[:500]}")
    return json.loads(p.stdout).get("recording", {}).get("events", [])


def table(title, head, rows):
    print(f"\n#### {title}\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    if not rows:
        print("| (none) |" + " |" * (len(head) - 1))


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    jfr_bin, path = sys.argv[1], sys.argv[2]
    dp = re.compile(sys.argv[3] if len(sys.argv) > 3 else DEFAULT_DP)
    alloc = load(jfr_bin, path, "jdk.ObjectAllocationSample")
    by_thread = Counter()
    dp_sites = Counter()
    for ev in alloc:
        w = ev.get("values", {}).get("weight", 0) or 0
        name = thread(ev)
        by_thread[name] += w
        if dp.search(name):
            fr = frames(ev)
            cls = ev.get("values", {}).get("objectClass", {}).get("name", "?")
            dp_sites[(cls, " < ".join(fr[:4]))] += w
    dp_total = sum(w for n, w in by_thread.items() if dp.search(n))
    print(f"Recording: `{path}`\n")
    print(f"Sampled allocation on data-path threads (`{dp.pattern}`): **{dp_total / 1e6:.3f} MB** "
          f"(all threads: {sum(by_thread.values()) / 1e6:.3f} MB). JFR samples allocations by weight, "
          "so a thread with no sample allocated (close to) nothing.")
    table("Sampled allocation by thread", ["thread", "data path", "MB"],
          [(n, "yes" if dp.search(n) else "", f"{w / 1e6:.3f}") for n, w in by_thread.most_common(15)])
    table("Top allocation sites on data-path threads", ["class", "stack (top 4)", "MB"],
          [(c, s, f"{w / 1e6:.3f}") for (c, s), w in dp_sites.most_common(10)])
    cpu = load(jfr_bin, path, "jdk.ExecutionSample")
    for scope, keep in (("all threads", lambda n: True), ("data-path threads", lambda n: bool(dp.search(n)))):
        top, incl, threads = Counter(), Counter(), Counter()
        n = 0
        for ev in cpu:
            name = thread(ev)
            if not keep(name):
                continue
            fr = frames(ev)
            if not fr:
                continue
            n += 1
            threads[name] += 1
            top[fr[0].rsplit(":", 1)[0]] += 1
            for m in {f.rsplit(":", 1)[0] for f in fr}:
                incl[m] += 1
        if n == 0:
            continue
        table(f"CPU samples by thread ({scope}, {n} samples)", ["thread", "%"],
              [(t, f"{100 * c / n:.1f}") for t, c in threads.most_common(10)])
        table(f"Top CPU frames, self ({scope})", ["method", "% of samples"],
              [(m, f"{100 * c / n:.1f}") for m, c in top.most_common(15)])
        table(f"Top methods incl. callees, stack depth 12 ({scope})", ["method", "% of samples"],
              [(m, f"{100 * c / n:.1f}") for m, c in incl.most_common(15)])


if __name__ == "__main__":
    main()
