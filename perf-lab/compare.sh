#!/usr/bin/env bash
# perf-lab/compare.sh - one invocation, same machine, same run: raw veth, wireguard-go<->wireguard-go,
# jwg<->jwg and jwg<->wireguard-go, each with iperf3 TCP 1 stream, TCP 4 streams, UDP unlimited
# (-u -b 0 -l 1380), UDP at a fixed rate (loss %), ping RTT, request/response latency with
# HdrHistogram (p50/p99/p99.9, idle and under an iperf3 stream), and the CPU used by each daemon
# (utime+stime from /proc/PID/stat); then a JFR profile of jwg<->jwg under iperf3. Medians of RUNS runs; all configurations stay up together
# and are measured interleaved (run 1 of every test on every configuration, then run 2, ...), so
# machine noise hits them alike. Writes perf-lab/results/<timestamp>/results.md (+ raw.tsv,
# chart.png). Run as root.
#
# Usage: perf-lab/compare.sh [--quick]
# Env:   DURATION=5 (s per iperf3 run)  RUNS=3  UDP_RATE=300M  PINGS=50 (0.05 s apart)
#        CONFIGS="veth wggo jwg jwggo" (ids; jwggo = A jwg sending to B wireguard-go)
#        OUT_DIR=perf-lab/results/<timestamp>  JWG_BUILD=auto|0|1
#        WARMUP=10 (s of TCP and then of UDP traffic through every configuration before measuring)
#        JFR_SECONDS=30 (JFR profile of both jwg<->jwg daemons during one iperf3 TCP stream this
#          long, summarised by jfr_summary.py into jfr/; 0 to skip)
#        LATENCY_HOOK=<executable> (default perf-lab/latency/hook: HdrHistogram request/response
#          latency, idle and under one iperf3 stream; RR_SECONDS, RR_RATE... in its header): called
#          once per configuration and run as HOOK CONFIG_ID NS_CLIENT NS_SERVER SERVER_ADDR OUT_DIR,
#          with at most 120 s; each stdout line "metric value" becomes a row "latency metric".
# jwg configurations are skipped with a note while ./jwg does not exist or does not work.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
UDP_RATE=${UDP_RATE:-300M}
PINGS=${PINGS:-50}
WARMUP=${WARMUP:-10}
JFR_GIVEN=${JFR_SECONDS:-}
JFR_SECONDS=${JFR_SECONDS:-30}
CONFIGS=${CONFIGS:-veth wggo jwg jwggo}
for arg in "$@"; do
  case "$arg" in
    --quick) DURATION=3; RUNS=3; PINGS=20; WARMUP=5; JFR_SECONDS=${JFR_GIVEN:-10} ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) jp_die "unknown argument $arg" ;;
  esac
done
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 20 ] || jp_die "RUNS must be 1..20"
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 60 ] || jp_die "DURATION must be 1..60 s"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT_DIR=${OUT_DIR:-$JP_REPO/perf-lab/results/$STAMP}
LATENCY_HOOK=${LATENCY_HOOK:-$here/latency/hook}

jp_need_root
pk=(iperf3 iproute2 iputils-ping wireguard-tools gnuplot-nox)
case " $CONFIGS " in *" wggo "*|*" jwggo "*) pk+=(wireguard-go) ;; esac
jp_apt_ensure "${pk[@]}" || jp_log "warning: could not install all of ${pk[*]}"
jp_init
mkdir -p "$OUT_DIR/logs" || jp_die "cannot create $OUT_DIR"
RAW="$OUT_DIR/raw.tsv" CFG="$OUT_DIR/configs.tsv"
: > "$RAW"; : > "$CFG"
TCK=$(getconf CLK_TCK)

declare -A LABEL NSA NSB DST PA PB
LABEL[veth]="veth (no tunnel)" LABEL[wggo]="wireguard-go" LABEL[jwg]="jwg" LABEL[jwggo]="jwg->wireguard-go"
ACTIVE=()

# setup_config ID: bring it up; on success add to ACTIVE, else record why it is skipped.
setup_config() {
  local id=$1 ia ib msg
  case "$id" in
    veth)
      jp_new_env && jp_topo_create || { printf '%s\t%s\t%s\n' "$id" "${LABEL[$id]}" "setup failed" >> "$CFG"; return; }
      NSA[$id]=$JP_NS_A NSB[$id]=$JP_NS_B DST[$id]=$JP_OUT4_B PA[$id]="" PB[$id]="" ;;
    wggo|jwg|jwggo)
      case "$id" in wggo) ia=wireguard-go ib=wireguard-go;; jwg) ia=jwg ib=jwg;; jwggo) ia=jwg ib=wireguard-go;; esac
      if [ "$ia" = jwg ] && ! jp_build_jwg_if_needed >> "$OUT_DIR/logs/setup.log" 2>&1; then
        printf '%s\t%s\t%s\n' "$id" "${LABEL[$id]}" "skipped: jwg launcher not found/not working (build failed)" >> "$CFG"; return
      fi
      if ! ia=$(jp_resolve_impl "$ia" 2>&1) || ! ib=$(jp_resolve_impl "$ib" 2>&1); then
        [ -x "$ia" ] && msg=$ib || msg=$ia
        printf '%s\t%s\t%s\n' "$id" "${LABEL[$id]}" "skipped: ${msg%%(*}" >> "$CFG"
        jp_log "${LABEL[$id]}: skipped: $msg"; return
      fi
      if ! jp_pair_up "$ia" "$ib" >> "$OUT_DIR/logs/setup.log" 2>&1 || \
         ! jp_ping "$JP_NS_A" "$JP_TUN4_B" 3 0.2 > /dev/null; then
        printf '%s\t%s\t%s\n' "$id" "${LABEL[$id]}" "skipped: wg-quick up or first ping failed (logs/setup.log)" >> "$CFG"
        jp_log "${LABEL[$id]}: setup failed, see $OUT_DIR/logs/setup.log"; jp_env_down; return
      fi
      NSA[$id]=$JP_NS_A NSB[$id]=$JP_NS_B DST[$id]=$JP_TUN4_B PA[$id]=$JP_PID_A PB[$id]=$JP_PID_B ;;
    *) jp_die "unknown configuration id $id (veth wggo jwg jwggo)" ;;
  esac
  jp_bg "${NSB[$id]}" "$OUT_DIR/logs/iperf3-server-$id.log" timeout 3600 iperf3 -s -B "${DST[$id]}" -p 5201
  if ! jp_wait_tcp_listen "${NSB[$id]}" 5201 5; then
    printf '%s\t%s\t%s\n' "$id" "${LABEL[$id]}" "skipped: iperf3 server did not start" >> "$CFG"; return
  fi
  printf '%s\t%s\t%s\n' "$id" "${LABEL[$id]}" ok >> "$CFG"
  ACTIVE+=("$id")
}

rec() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RAW"; }
ticks() { [ -n "$1" ] && jp_cpu_ticks "$1" || echo 0; }

# measure_iperf ID TEST RUN IPERF_ARGS...
measure_iperf() {
  local id=$1 test=$2 run=$3; shift 3
  local j="$JP_TMP/iperf-$id-$test-$run.json" a0 b0 a1 b1 t0 t1 res gbps loss wall
  a0=$(ticks "${PA[$id]}") b0=$(ticks "${PB[$id]}") t0=$(date +%s.%N)
  ip netns exec "${NSA[$id]}" timeout $((DURATION + 30)) iperf3 -c "${DST[$id]}" -p 5201 -t "$DURATION" -J "$@" > "$j" 2> "$j.err"
  t1=$(date +%s.%N) a1=$(ticks "${PA[$id]}") b1=$(ticks "${PB[$id]}")
  if ! res=$(jp_python "$here/report.py" iperf "$j" 2>&1); then
    jp_log "$id $test run $run: iperf3 failed: $res $(head -c 300 "$j.err")"; return
  fi
  read -r gbps loss <<< "$res"
  rec "$id" "$test" "$run" gbps "$gbps"
  case "$test" in udp*) rec "$id" "$test" "$run" loss_pct "$loss" ;; *) loss="" ;; esac
  if [ -n "${PA[$id]}" ]; then
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
    rec "$id" "$test" "$run" cpu_a "$(awk -v d=$((a1 - a0)) -v t="$TCK" -v w="$wall" 'BEGIN{printf "%.1f", 100*d/t/w}')"
    rec "$id" "$test" "$run" cpu_b "$(awk -v d=$((b1 - b0)) -v t="$TCK" -v w="$wall" 'BEGIN{printf "%.1f", 100*d/t/w}')"
  fi
  jp_log "$id $test run $run: $gbps Gbit/s${loss:+ loss $loss%}"
}

measure_ping() {
  local id=$1 run=$2 r
  r=$(jp_ping "${NSA[$id]}" "${DST[$id]}" "$PINGS" 0.05)
  set -- $r
  [ "$3" = "--" ] && { jp_log "$id ping run $run failed"; return; }
  rec "$id" ping "$run" rtt_avg_ms "$3"; rec "$id" ping "$run" rtt_max_ms "$4"; rec "$id" ping "$run" loss_pct "$1"
}

run_latency_hook() {
  local id=$1 run=$2 out dir="$OUT_DIR/latency-$id/run$2"
  [ -x "$LATENCY_HOOK" ] || return 0
  mkdir -p "$dir"
  out=$(timeout 120 "$LATENCY_HOOK" "$id" "${NSA[$id]}" "${NSB[$id]}" "${DST[$id]}" "$dir" 2>>"$dir/stderr.log")
  printf '%s\n' "$out" | while read -r metric value _; do
    [ -n "$metric" ] && rec "$id" latency "$run" "$metric" "$value"
  done
  jp_log "$id latency run $run: $(printf '%s\n' "$out" | awk '/_p99_us/{printf "%s %s us  ", $1, $2}')"
}

jp_log "compare: configs '$CONFIGS', ${RUNS} runs x ${DURATION} s, results in $OUT_DIR"
for id in $CONFIGS; do setup_config "$id"; done
[ ${#ACTIVE[@]} -gt 0 ] || jp_die "no configuration could be set up (see $OUT_DIR/configs.tsv, logs/setup.log)"
{ echo "date: $(date -Is)"; echo "host: $(uname -srm), $(nproc) cpus"; echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wireguard-go: $(dpkg-query -W -f='${Version}' wireguard-go 2>/dev/null)"; echo "iperf3: $(iperf3 --version | head -1)"
  echo "git: $(git -C "$JP_REPO" rev-parse --short HEAD 2>/dev/null)"
  echo "settings: RUNS=$RUNS DURATION=$DURATION UDP_RATE=$UDP_RATE PINGS=$PINGS WARMUP=$WARMUP CONFIGS=$CONFIGS"; } > "$OUT_DIR/meta.txt"

# Warm-up: every configuration carries WARMUP s of TCP and of UDP traffic before anything is
# measured (jwg's JIT compiles its Vector API kernels under load; the others are native). The
# cold-start ping of jwg is a separate concern and is not what the medians describe.
if [ "$WARMUP" -gt 0 ]; then
  for id in "${ACTIVE[@]}"; do
    ip netns exec "${NSA[$id]}" timeout $((WARMUP + 20)) iperf3 -c "${DST[$id]}" -p 5201 -t "$WARMUP" > "$OUT_DIR/logs/warmup-$id.log" 2>&1
    ip netns exec "${NSA[$id]}" timeout $((WARMUP + 20)) iperf3 -c "${DST[$id]}" -p 5201 -t "$WARMUP" -u -b 0 -l 1380 >> "$OUT_DIR/logs/warmup-$id.log" 2>&1
    jp_log "$id: warmed up ($((2 * WARMUP)) s of TCP then UDP)"
  done
fi

for run in $(seq 1 "$RUNS"); do
  for id in "${ACTIVE[@]}"; do measure_ping "$id" "$run"; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" tcp1 "$run"; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" tcp4 "$run" -P 4; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" udp "$run" -u -b 0 -l 1380; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" udprate "$run" -u -b "$UDP_RATE" -l 1380; done
  for id in "${ACTIVE[@]}"; do run_latency_hook "$id" "$run"; done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT_DIR/meta.txt"

# JFR profile of both jwg daemons of the jwg<->jwg configuration during one JFR_SECONDS iperf3 TCP
# stream: kept as jfr/jwg-{a,b}.jfr with a summary (allocation per thread and on the data path, top
# CPU frames) in jfr/jwg-{a,b}.md.
profile_jwg() {
  local id=jwg side pid jcmd
  [ "$JFR_SECONDS" -gt 0 ] && [[ " ${ACTIVE[*]} " == *" jwg "* ]] || return 0
  ( . "$JP_REPO/scripts/jdk25.sh" ) > /dev/null 2>&1 || { jp_log "JFR skipped: no JDK >= 25 for jcmd/jfr"; return 0; }
  . "$JP_REPO/scripts/jdk25.sh"; jcmd=$JAVA_HOME/bin/jcmd
  mkdir -p "$OUT_DIR/jfr"
  for side in a b; do
    [ $side = a ] && pid=${PA[$id]} || pid=${PB[$id]}
    timeout 30 "$jcmd" "$pid" JFR.start name=compare settings=profile \
      "filename=$OUT_DIR/jfr/jwg-$side.jfr" > "$OUT_DIR/logs/jfr-start-$side.log" 2>&1 \
      || { jp_log "JFR could not start on jwg $side (pid $pid): $(tail -1 "$OUT_DIR/logs/jfr-start-$side.log")"; return 0; }
  done
  jp_log "jwg: JFR recording during a ${JFR_SECONDS} s iperf3 TCP stream"
  ip netns exec "${NSA[$id]}" timeout $((JFR_SECONDS + 30)) iperf3 -c "${DST[$id]}" -p 5201 -t "$JFR_SECONDS" \
    > "$OUT_DIR/jfr/iperf3.txt" 2>&1
  for side in a b; do
    [ $side = a ] && pid=${PA[$id]} || pid=${PB[$id]}
    timeout 60 "$jcmd" "$pid" JFR.stop name=compare >> "$OUT_DIR/logs/jfr-stop-$side.log" 2>&1
    jp_python "$here/jfr_summary.py" "$JAVA_HOME/bin/jfr" "$OUT_DIR/jfr/jwg-$side.jfr" \
      > "$OUT_DIR/jfr/jwg-$side.md" 2> "$OUT_DIR/logs/jfr-summary-$side.log" \
      || jp_log "JFR summary failed for jwg $side: $(tail -1 "$OUT_DIR/logs/jfr-summary-$side.log")"
  done
}
profile_jwg

jp_python "$here/report.py" report "$RAW" "$OUT_DIR" "$CFG" || jp_die "report failed"
if [ -s "$OUT_DIR/jfr/jwg-a.md" ]; then
  { echo; echo "## JFR profile, jwg<->jwg, ${JFR_SECONDS} s iperf3 TCP stream"; echo
    grep -h '^Sampled allocation on data-path' "$OUT_DIR"/jfr/jwg-?.md | sed 's/^/- /'
    echo "- Full summaries: [sender A](jfr/jwg-a.md), [receiver B](jfr/jwg-b.md); recordings jfr/jwg-{a,b}.jfr."; } >> "$OUT_DIR/results.md"
fi
{ echo; echo '```'; cat "$OUT_DIR/meta.txt"; echo '```'; } >> "$OUT_DIR/results.md"
if command -v gnuplot >/dev/null; then
  gnuplot -e 'set terminal pngcairo' 2>/dev/null || sed -i 's/^set terminal pngcairo .*/set terminal png size 1400,560/' "$OUT_DIR/chart.gp"
  (cd "$OUT_DIR" && gnuplot chart.gp) 2> "$OUT_DIR/logs/gnuplot.log" || jp_log "gnuplot failed: $(cat "$OUT_DIR/logs/gnuplot.log")"
else
  echo "(chart.png not produced: gnuplot missing - apt-get install gnuplot-nox)" >> "$OUT_DIR/results.md"
fi
find "$OUT_DIR" -type f -empty -delete
echo
cat "$OUT_DIR/results.md"
echo
echo "results: $OUT_DIR/results.md"
