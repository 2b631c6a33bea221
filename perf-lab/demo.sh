#!/usr/bin/env bash
# perf-lab/demo.sh - the README's demo: two network namespaces joined by a veth, a WireGuard
# implementation brought up on both sides with wg-quick, `wg show`, ping (IPv4 and IPv6, RTT
# summary), a short iperf3 TCP run (Gbit/s), then everything is removed again.
#
# Usage (as root):
#   perf-lab/demo.sh                      # IMPL=jwg (default)
#   IMPL=wireguard-go perf-lab/demo.sh    # the baseline
#   perf-lab/demo.sh --compare            # wireguard-go and jwg, side by side
# Env: IMPL=jwg|wireguard-go|/abs/path, DEMO_SECONDS=10 (iperf3 duration), PINGS=10,
#      JWG_BUILD=auto|0|1 (build jwg when sources are newer than the jar / never / always).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

IMPL=${IMPL:-jwg}
DEMO_SECONDS=${DEMO_SECONDS:-10}
PINGS=${PINGS:-10}
compare=0
for arg in "$@"; do
  case "$arg" in
    --compare) compare=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) jp_die "unknown argument $arg (try --help)" ;;
  esac
done
jp_need_root

impls=("$IMPL"); [ "$compare" = 1 ] && impls=(wireguard-go jwg)
pkgs=(wireguard-tools iperf3 iproute2 iputils-ping)
for i in "${impls[@]}"; do [ "$i" = wireguard-go ] && pkgs+=(wireguard-go); done
jp_apt_ensure "${pkgs[@]}" || jp_die "could not install ${pkgs[*]}"
jp_init

# demo_one NAME -> prints the report for one implementation, sets R_* for the summary.
demo_one() {
  local name=$1 path
  R_V4="n/a" R_V6="n/a" R_TCP="n/a" R_CPU="n/a" R_STATUS="ok"
  echo
  echo "================ $name on both sides ================"
  if [ "$name" = jwg ] && ! jp_build_jwg_if_needed; then
    echo "jwg launcher not found/not working: the build failed"; R_STATUS="jwg launcher not found/not working"; return 1
  fi
  if ! path=$(jp_resolve_impl "$name" 2>&1); then
    echo "$path"; R_STATUS="${path%%:*}"; return 1
  fi
  echo "implementation: $path"
  if ! jp_pair_up "$path" "$path"; then
    [ "$name" = jwg ] && echo "jwg launcher not found/not working: wg-quick up with $path failed (see above)"
    R_STATUS="wg-quick up failed"; jp_env_down; return 1
  fi
  echo "namespaces $JP_NS_A / $JP_NS_B, interfaces $JP_IF_A / $JP_IF_B, daemon PIDs $JP_PID_A / $JP_PID_B"
  echo
  echo "--- ping over the tunnel ($PINGS each, 0.2 s apart; the first one waits for the handshake)"
  local p4 p6
  p4=$(jp_ping "$JP_NS_A" "$JP_TUN4_B" "$PINGS" 0.2); p6=$(jp_ping "$JP_NS_A" "$JP_TUN6_B" "$PINGS" 0.2)
  set -- $p4; echo "IPv4 $JP_TUN4_A -> $JP_TUN4_B: loss $1%, rtt min/avg/max/mdev = $2/$3/$4/$5 ms"; R_V4="$3 ms ($1% loss)"
  set -- $p6; echo "IPv6 $JP_TUN6_A -> $JP_TUN6_B: loss $1%, rtt min/avg/max/mdev = $2/$3/$4/$5 ms"; R_V6="$3 ms ($1% loss)"
  echo
  echo "--- wg show (side A, namespace $JP_NS_A)"
  ip netns exec "$JP_NS_A" wg show "$JP_IF_A"
  echo
  echo "--- wg show (side B, namespace $JP_NS_B)"
  ip netns exec "$JP_NS_B" wg show "$JP_IF_B"
  echo
  echo "--- iperf3 TCP, 1 stream, ${DEMO_SECONDS} s, A -> B through the tunnel"
  jp_bg "$JP_NS_B" "$JP_DIR/iperf3-server.log" timeout $((DEMO_SECONDS + 30)) iperf3 -s -1 -B "$JP_TUN4_B" -p 5201
  if ! jp_wait_tcp_listen "$JP_NS_B" 5201 5; then echo "iperf3 server did not start"; R_STATUS="iperf3 failed"; jp_env_down; return 1; fi
  local c0a c0b c1a c1b t0 t1 out line val unit gbps tck
  tck=$(getconf CLK_TCK); c0a=$(jp_cpu_ticks "$JP_PID_A"); c0b=$(jp_cpu_ticks "$JP_PID_B"); t0=$(date +%s.%N)
  out=$(ip netns exec "$JP_NS_A" timeout $((DEMO_SECONDS + 20)) iperf3 -c "$JP_TUN4_B" -p 5201 -t "$DEMO_SECONDS" -f g 2>&1)
  t1=$(date +%s.%N); c1a=$(jp_cpu_ticks "$JP_PID_A"); c1b=$(jp_cpu_ticks "$JP_PID_B")
  line=$(printf '%s\n' "$out" | grep -E 'receiver$' | tail -1)
  if [ -z "$line" ]; then
    printf '%s\n' "$out" | tail -5; echo "iperf3 failed"; R_STATUS="iperf3 failed"
  else
    printf '%s\n' "$out" | grep -E 'sender$|receiver$'
    read -r val unit < <(printf '%s\n' "$line" | grep -oE '[0-9.]+ [KMG]bits/sec' | tail -1)
    case "$unit" in Gbits/sec) gbps=$val;; Mbits/sec) gbps=$(awk -v v="$val" 'BEGIN{printf "%.3f", v/1000}');;
      Kbits/sec) gbps=$(awk -v v="$val" 'BEGIN{printf "%.6f", v/1e6}');; esac
    R_CPU=$(awk -v a=$((c1a - c0a)) -v b=$((c1b - c0b)) -v t="$tck" -v w="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" \
      'BEGIN{printf "A %.0f%%, B %.0f%% of one core", 100*a/t/w, 100*b/t/w}')
    R_TCP="$gbps Gbit/s"
    echo
    echo ">>> $name: TCP throughput through the tunnel: $gbps Gbit/s  (daemon CPU: $R_CPU)"
  fi
  jp_env_down
  [ "$R_STATUS" = ok ]
}

declare -A S_V4 S_V6 S_TCP S_CPU S_ST
rc=0
for i in "${impls[@]}"; do
  demo_one "$i" || rc=1
  S_V4[$i]=$R_V4 S_V6[$i]=$R_V6 S_TCP[$i]=$R_TCP S_CPU[$i]=$R_CPU S_ST[$i]=$R_STATUS
done

if [ "$compare" = 1 ]; then
  echo
  echo "================ side by side ================"
  printf '%-22s | %-34s | %-34s\n' "" "${impls[0]}" "${impls[1]}"
  for row in status:S_ST "ping IPv4 avg:S_V4" "ping IPv6 avg:S_V6" "TCP 1 stream:S_TCP" "daemon CPU:S_CPU"; do
    label=${row%%:*}; declare -n arr=${row##*:}
    printf '%-22s | %-34s | %-34s\n' "$label" "${arr[${impls[0]}]}" "${arr[${impls[1]}]}"
    unset -n arr
  done
fi
exit "$rc"
