#!/usr/bin/env bash
# perf-lab/compare.sh - one invocation, same machine, same run: raw veth, wireguard-go<->wireguard-go,
# jwg<->jwg and jwg<->wireguard-go, each with iperf3 TCP 1 stream, TCP 4 streams, UDP unlimited
# (-u -b 0 -l 1380), UDP at a fixed rate (loss %), ping RTT, and the CPU used by each daemon
# (utime+stime from /proc/PID/stat). Medians of RUNS runs; all configurations stay up together
# and are measured interleaved (run 1 of every test on every configuration, then run 2, ...), so
# machine noise hits them alike. Writes perf-lab/results/<timestamp>/results.md (+ raw.tsv,
# chart.png). Run as root.
#
# Usage: perf-lab/compare.sh [--quick]
# Env:   DURATION=5 (s per iperf3 run)  RUNS=3  UDP_RATE=300M  PINGS=50 (0.05 s apart)
#        CONFIGS="veth wggo jwg jwggo" (ids; jwggo = A jwg sending to B wireguard-go)
#        OUT_DIR=perf-lab/results/<timestamp>  JWG_BUILD=auto|0|1
#        LATENCY_HOOK=<executable> (default perf-lab/latency/hook if executable): called once per
#          configuration as HOOK CONFIG_ID NS_CLIENT NS_SERVER SERVER_ADDR OUT_DIR, with at most
#          120 s; each stdout line "metric value" becomes a row "latency metric" in the table
#          (the HdrHistogram request/response test plugs in here).
# jwg configurations are skipped with a note while ./jwg does not exist or does not work.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
UDP_RATE=${UDP_RATE:-300M}
PINGS=${PINGS:-50}
CONFIGS=${CONFIGS:-veth wggo jwg jwggo}
for arg in "$@"; do
  case "$arg" in
    --quick) DURATION=3; RUNS=3; PINGS=20 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
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
  local id=$1 out
  [ -x "$LATENCY_HOOK" ] || return 0
  mkdir -p "$OUT_DIR/latency-$id"
  out=$(timeout 120 "$LATENCY_HOOK" "$id" "${NSA[$id]}" "${NSB[$id]}" "${DST[$id]}" "$OUT_DIR/latency-$id" 2>>"$OUT_DIR/latency-$id/stderr.log")
  printf '%s\n' "$out" | while read -r metric value _; do
    [ -n "$metric" ] && rec "$id" latency 1 "$metric" "$value"
  done
}

jp_log "compare: configs '$CONFIGS', ${RUNS} runs x ${DURATION} s, results in $OUT_DIR"
for id in $CONFIGS; do setup_config "$id"; done
[ ${#ACTIVE[@]} -gt 0 ] || jp_die "no configuration could be set up (see $OUT_DIR/configs.tsv, logs/setup.log)"
{ echo "date: $(date -Is)"; echo "host: $(uname -srm), $(nproc) cpus"; echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wireguard-go: $(dpkg-query -W -f='${Version}' wireguard-go 2>/dev/null)"; echo "iperf3: $(iperf3 --version | head -1)"
  echo "git: $(git -C "$JP_REPO" rev-parse --short HEAD 2>/dev/null)"
  echo "settings: RUNS=$RUNS DURATION=$DURATION UDP_RATE=$UDP_RATE PINGS=$PINGS CONFIGS=$CONFIGS"; } > "$OUT_DIR/meta.txt"

for run in $(seq 1 "$RUNS"); do
  for id in "${ACTIVE[@]}"; do measure_ping "$id" "$run"; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" tcp1 "$run"; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" tcp4 "$run" -P 4; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" udp "$run" -u -b 0 -l 1380; done
  for id in "${ACTIVE[@]}"; do measure_iperf "$id" udprate "$run" -u -b "$UDP_RATE" -l 1380; done
done
for id in "${ACTIVE[@]}"; do run_latency_hook "$id"; done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT_DIR/meta.txt"

jp_python "$here/report.py" report "$RAW" "$OUT_DIR" "$CFG" || jp_die "report failed"
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
