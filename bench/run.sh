#!/usr/bin/env bash
# jwg benchmark runner.
#   bench/run.sh crypto   short JMH suite (AeadBench, AeadBatchBench, and X25519Bench/Blake2sBench when
#                         they exist) plus `openssl speed` chacha20-poly1305 at the same sizes, in one
#                         run, printed as ONE table of medians (MB/s, ratios jwg/jdk and jwg/openssl,
#                         B/op from -prof gc). Takes about 9 minutes.
#   bench/run.sh gc       AEAD seal/open with -prof gc only, printing B/op per benchmark.
# Extra arguments after the mode are passed to JMH (e.g. -p size=1420).
# Raw results are kept in bench/target/run-<mode>-<time>.json.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
. scripts/jdk25.sh

mode=${1:-crypto}
shift || true
jar=bench/target/benchmarks.jar

# (Re)build when the jar is missing or older than any source it contains.
if [ ! -f "$jar" ] || [ -n "$(find bench/src crypto-simd/src/main bindings/src/main dataplane/src/main \
        -newer "$jar" -type f 2>/dev/null | head -n1)" ]; then
  echo "run.sh: building $jar" >&2
  scripts/mvn25 -B -q -pl bench -am package -DskipTests
fi

stamp=$(date +%Y%m%d-%H%M%S)
out="bench/target/run-$mode-$stamp.json"
# Other work may share this machine: JMH's single-instance lock would make this run fail instead of
# measuring, so it is skipped; read the numbers as ratios within one run.
jmh=(java -Djmh.ignoreLock=true -jar "$jar")

# The table: medians over JMH's per-iteration raw data, MB/s, ratios (python3 is on every machine here).
report() {
  python3 - "$@" <<'PY'
#!/usr/bin/env python3
"""Turns bench/run.sh's JMH JSON (and openssl speed output) into one table of medians."""
import json
import statistics
import sys
from collections import defaultdict

PACKETS, PACKET = 32, 1420  # AeadBatchBench


def load(path):
    rows = []
    for r in json.load(open(path)):
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        gc_raw = [x for fork in gc["rawData"] for x in fork] if gc else []
        rows.append({
            "bench": r["benchmark"].rsplit(".", 2)[-2],
            "method": r["benchmark"].rsplit(".", 1)[-1],
            "params": r.get("params", {}),
            "ops": statistics.median(raw),
            "unit": r["primaryMetric"]["scoreUnit"],
            "bop": statistics.median(gc_raw) if gc_raw else None,
        })
    return rows


def fmt(x, nd=0):
    return "-" if x is None else f"{x:,.{nd}f}"


def ratio(a, b):
    return "-" if a is None or b in (None, 0) else f"{a / b:.2f}x"


def crypto(rows, ossl_path):
    ossl = {}
    for line in open(ossl_path):
        parts = line.split()
        if len(parts) == 2 and parts[1].endswith("k"):
            ossl[int(parts[0])] = float(parts[1][:-1]) * 1000 / 1e6  # MB/s
    aead = defaultdict(dict)
    for r in rows:
        if r["bench"] == "AeadBench":
            size = int(r["params"]["size"])
            aead[size][(r["params"]["impl"], r["method"])] = r
    print()
    print("ChaCha20-Poly1305, one packet (MB/s = median ops/s x size; jwg in place on a native segment)")
    hdr = ("size", "jwg seal", "jdk seal", "bc seal", "jwg open", "jdk open", "bc open", "openssl",
           "seal jwg/jdk", "seal jwg/ossl", "open jwg/jdk", "open/seal", "jwg B/op s/o")
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for size in sorted(aead):
        d = aead[size]
        mb = lambda impl, m: d[(impl, m)]["ops"] * size / 1e6 if (impl, m) in d else None
        js, jo = mb("jwg", "seal"), mb("jwg", "open")
        bop = lambda m: d[("jwg", m)]["bop"] if ("jwg", m) in d else None
        print("| " + " | ".join([
            str(size), fmt(js), fmt(mb("jdk", "seal")), fmt(mb("bc", "seal")),
            fmt(jo), fmt(mb("jdk", "open")), fmt(mb("bc", "open")), fmt(ossl.get(size)),
            ratio(js, mb("jdk", "seal")), ratio(js, ossl.get(size)), ratio(jo, mb("jdk", "open")),
            ratio(jo, js), f"{fmt(bop('seal'), 1)} / {fmt(bop('open'), 1)}"]) + " |")
    batch = {(r["params"].get("api"), r["method"]): r for r in rows if r["bench"] == "AeadBatchBench"}
    if batch:
        print()
        print(f"Batch: {PACKETS} x {PACKET} B of one key per op, in place (MB/s = ops/s x {PACKETS * PACKET})")
        hdr = ("api", "seal MB/s", "open MB/s", "seal/openssl@1420", "open/openssl@1420", "B/op s/o")
        print("| " + " | ".join(hdr) + " |")
        print("|" + "---|" * len(hdr))
        for api in ("batch", "single"):
            s, o = batch.get((api, "seal")), batch.get((api, "open"))
            smb = s["ops"] * PACKETS * PACKET / 1e6 if s else None
            omb = o["ops"] * PACKETS * PACKET / 1e6 if o else None
            print("| " + " | ".join([api, fmt(smb), fmt(omb), ratio(smb, ossl.get(1420)), ratio(omb, ossl.get(1420)),
                                     f"{fmt(s and s['bop'], 1)} / {fmt(o and o['bop'], 1)}"]) + " |")
    other = [r for r in rows if r["bench"] not in ("AeadBench", "AeadBatchBench")]
    if other:
        print()
        print("Other primitives (median ops/s; ratio to the jdk impl of the same benchmark when there is one)")
        groups = defaultdict(dict)
        for r in other:
            key = (r["bench"], r["method"], tuple(sorted((k, v) for k, v in r["params"].items() if k != "impl")))
            groups[key][r["params"].get("impl", "-")] = r
        print("| benchmark | params | impl | ops/s | vs jdk | B/op |")
        print("|---|---|---|---|---|---|")
        for key in sorted(groups):
            bench, method, params = key
            jdk = groups[key].get("jdk")
            for impl, r in sorted(groups[key].items()):
                print(f"| {bench}.{method} | {' '.join(f'{k}={v}' for k, v in params) or '-'} | {impl} | "
                      f"{fmt(r['ops'])} | {ratio(r['ops'], jdk['ops']) if jdk and impl != 'jdk' else '-'} | {fmt(r['bop'], 1)} |")


def gc(rows):
    print("| benchmark | params | ops/s | B/op |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['bench']}.{r['method']} | {' '.join(f'{k}={v}' for k, v in sorted(r['params'].items()))} | "
              f"{fmt(r['ops'])} | {fmt(r['bop'], 2)} |")


if __name__ == "__main__":
    rows = load(sys.argv[2])
    if sys.argv[1] == "crypto":
        crypto(rows, sys.argv[3])
    else:
        gc(rows)
PY
}

case "$mode" in
  crypto)
    # X25519Bench / Blake2sBench come from other work; included when the jar has them
    extra=$("${jmh[@]}" -l | grep -Eo 'io\.jwg\.bench\.(X25519Bench|Blake2sBench)' | sort -u | paste -sd'|' || true)
    [ -n "$extra" ] && extra="io.jwg.bench.(${extra//io.jwg.bench./})\."
    # jwg's Vector API code runs allocating fallbacks until C2 compiles it, and on a loaded 2-core
    # machine that takes 5-15 s (see crypto-simd/README.md), so jwg gets a long warm-up; the JDK and
    # BouncyCastle peers reach steady state in a few seconds.
    "${jmh[@]}" 'io.jwg.bench.AeadBench\.' -p impl=jwg -f 1 -wi 15 -w 1s -i 5 -r 1s -prof gc \
      -rf json -rff "$out.jwg" "$@" >&2
    "${jmh[@]}" 'io.jwg.bench.AeadBatchBench\.' -f 1 -wi 15 -w 1s -i 5 -r 1s -prof gc \
      -rf json -rff "$out.batch" "$@" >&2
    "${jmh[@]}" 'io.jwg.bench.AeadBench\.' -p impl=jdk,bc -f 1 -wi 5 -w 1s -i 5 -r 1s -prof gc \
      -rf json -rff "$out.peers" "$@" >&2
    if [ -n "$extra" ]; then
      "${jmh[@]}" "$extra" -f 1 -wi 5 -w 1s -i 5 -r 1s -prof gc \
        -rf json -rff "$out.other" "$@" >&2
    fi
    python3 -c 'import json,sys; json.dump(sum((json.load(open(f)) for f in sys.argv[2:]), []), open(sys.argv[1], "w"))' \
      "$out" "$out".*
    ossl="bench/target/openssl-$stamp.txt"
    : > "$ossl"
    for size in 64 256 1420 8192; do
      printf '%s ' "$size" >> "$ossl"
      openssl speed -elapsed -seconds 2 -bytes "$size" -evp chacha20-poly1305 2>/dev/null \
        | awk '/^[Cc]ha[Cc]ha20-[Pp]oly1305/ {print $NF}' >> "$ossl"
    done
    report crypto "$out" "$ossl"
    ;;
  gc)
    "${jmh[@]}" 'io.jwg.bench.(AeadBench|AeadBatchBench)\.' -f 1 -wi 5 -w 1s -i 3 -r 1s -prof gc -rf json -rff "$out" "$@" >&2
    report gc "$out"
    ;;
  *)
    echo "usage: bench/run.sh crypto|gc [jmh args...]" >&2
    exit 2
    ;;
esac
