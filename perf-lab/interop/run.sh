#!/usr/bin/env bash
# perf-lab/interop/run.sh - WireGuard interop suite between two implementations, each in its own
# network namespace, configured with wg/wg-quick through the UAPI socket. Run as root.
#
# Usage:
#   perf-lab/interop/run.sh                                  # A=jwg B=wireguard-go
#   A=wireguard-go B=wireguard-go perf-lab/interop/run.sh    # prove the harness
#   ROLES=both perf-lab/interop/run.sh                       # also the swapped roles (B=jwg as A)
#   SCENARIOS="handshake ping4" perf-lab/interop/run.sh      # a subset;  SKIP="rekey" to drop some
#   perf-lab/interop/run.sh --list                           # scenario names
# Side A is the initiator (it sends first); side B is the responder and the "other" side.
# Env: A, B (or IMPL_A, IMPL_B) = jwg | wireguard-go | /abs/path;  ROLES = ab | both;  SUITE_TIMEOUT (s, hard bound
#      for the whole suite, default 1200);  XFER_MB (default 100);  REKEY_SECONDS (default 135);
#      LOG_DIR (default perf-lab/results/tmp/interop-<time>, one log per scenario).
# Output: "PASS name" / "FAIL name: reason" per scenario, then exactly "N passed, N failed".
# Exit status 1 if anything failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

ALL_SCENARIOS="handshake ping4 ping6 transfer keepalive peer syncconf wgquick roaming showcompare garbage rekey"
if [ "${1:-}" = --list ]; then echo "$ALL_SCENARIOS" | tr ' ' '\n'; exit 0; fi
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then sed -n '2,18p' "$0"; exit 0; fi
A=${A:-${IMPL_A:-jwg}}
B=${B:-${IMPL_B:-wireguard-go}}
ROLES=${ROLES:-ab}
SCENARIOS=${SCENARIOS:-$ALL_SCENARIOS}
SKIP=${SKIP:-}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-1200}
XFER_MB=${XFER_MB:-100}
REKEY_SECONDS=${REKEY_SECONDS:-135}
LOG_DIR=${LOG_DIR:-$JP_REPO/perf-lab/results/tmp/interop-$(date +%Y%m%d-%H%M%S)}

jp_need_root
for t in wg wg-quick ip ss ping timeout sha256sum ps; do
  command -v "$t" >/dev/null || jp_die "$t not found (apt-get install wireguard-tools iproute2 iputils-ping coreutils procps)"
done
jp_python -c 'import hashlib; hashlib.blake2s' || jp_die "python3 with hashlib.blake2s needed"
jp_init
mkdir -p "$LOG_DIR" || jp_die "cannot create $LOG_DIR"
PY=$JP_PY

# per-scenario time limits (seconds); the suite deadline caps them
scen_timeout() {
  case "$1" in
    transfer) echo 240 ;;
    rekey) echo $(( REKEY_SECONDS + 90 )) ;;
    *) echo 90 ;;
  esac
}

# ---------------------------------------------------------------- helpers used inside scenarios
fail() { echo "$*" > "$REASON"; echo "FAIL: $*"; exit 1; }
step() { echo "--- $(date +%H:%M:%S) $*"; }
pair() {
  step "up A=$IA B=$IB $*"
  JP_UP_ERR=""
  jp_pair_up "$IA" "$IB" "$@" || fail "setup: ${JP_UP_ERR:-topology or key setup failed}"
  echo "A: $JP_NS_A $JP_IF_A pid $JP_PID_A   B: $JP_NS_B $JP_IF_B pid $JP_PID_B"
}
wgA() { ip netns exec "$JP_NS_A" wg "$@"; }
wgB() { ip netns exec "$JP_NS_B" wg "$@"; }
# ping_ok NS DST COUNT [ping args]: all replies must come back
ping_ok() {
  local ns=$1 dst=$2 n=$3 r; shift 3
  r=$(jp_ping "$ns" "$dst" "$n" 0.2 "$@")
  echo "ping $ns -> $dst x$n $*: loss/min/avg/max/mdev = $r"
  [ "${r%% *}" = 0 ] || fail "ping $dst from $ns ($*): ${r%% *}% loss of $n"
}
# ping_fails NS DST COUNT: no reply may come back
ping_fails() {
  local r; r=$(jp_ping "$1" "$2" "$3" 0.2 -W 1)
  echo "ping $1 -> $2 x$3 (expected to fail): loss = ${r%% *}%"
  [ "${r%% *}" = 100 ] || fail "ping $2 from $1 still gets replies (${r%% *}% loss), expected 100%"
}
# ping_until NS DST SECONDS: first reply within SECONDS
ping_until() {
  local end=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    ip netns exec "$1" ping -n -q -c1 -W1 "$2" >/dev/null 2>&1 && return 0
  done
  return 1
}
field() { jp_wg_field "$@"; }  # NS IF PEERPUB psk|endpoint|allowed|handshake|rx|tx|keepalive
fieldA() { jp_wg_field "$JP_NS_A" "$JP_IF_A" "$JP_PUB_B" "$1"; }
fieldB() { jp_wg_field "$JP_NS_B" "$JP_IF_B" "$JP_PUB_A" "$1"; }
# wait_nonzero_handshake SIDE SECONDS
wait_handshake() {
  local t=$(( $2 * 5 )) h
  while [ "$t" -gt 0 ]; do
    h=$("field$1" handshake); [ -n "$h" ] && [ "$h" != 0 ] && { echo "$h"; return 0; }
    sleep 0.2; t=$((t - 1))
  done
  return 1
}
sorted_csv() { tr ',' '\n' | sed 's/^ *//' | sort | paste -sd, -; }

# ---------------------------------------------------------------- scenarios
scen_handshake() {
  pair
  step "first ping A->B starts the handshake"
  ip netns exec "$JP_NS_A" ping -n -c1 -W5 "$JP_TUN4_B" || fail "first ping A->B got no reply within 5 s"
  local ha hb now
  ha=$(wait_handshake A 5) || fail "A's wg show has no latest handshake"
  hb=$(wait_handshake B 5) || fail "B's wg show has no latest handshake"
  now=$(date +%s)
  echo "latest handshake: A=$ha B=$hb now=$now"
  for h in "$ha" "$hb"; do
    [ $(( now - h )) -ge -5 ] && [ $(( now - h )) -le 60 ] || fail "latest handshake $h is not a current Unix time (now $now)"
  done
  wgA show "$JP_IF_A"; wgB show "$JP_IF_B"
  wgA show "$JP_IF_A" | grep -q 'latest handshake:' || fail "wg show A prints no 'latest handshake:'"
  wgB show "$JP_IF_B" | grep -q 'latest handshake:' || fail "wg show B prints no 'latest handshake:'"
}

scen_ping4() {
  pair
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 10
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 10
  step "full-MTU packets (1420 - 28) with DF, and 3000-byte fragmented pings"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3 -s 1392 -M 'do'
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 3 -s 3000
}

scen_ping6() {
  pair
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 10
  ping_ok "$JP_NS_B" "$JP_TUN6_A" 10
  step "full-MTU packets (1420 - 48) and 3000-byte fragmented pings"
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 3 -s 1372 -M 'do'
  ping_ok "$JP_NS_B" "$JP_TUN6_A" 3 -s 3000
}

scen_transfer() {
  pair
  local src="$JP_DIR/xfer.src" dst="$JP_DIR/xfer.dst" rpid s1 s2 n1 n2
  step "generate ${XFER_MB} MiB of random data"
  head -c "$((XFER_MB * 1024 * 1024))" /dev/urandom > "$src" || fail "cannot write $src"
  jp_bg "$JP_NS_B" "$JP_DIR/recv.out" timeout 200 "$PY" "$here/tcpxfer.py" recv "$JP_TUN4_B" 5301 "$dst" 190
  rpid=$JP_BG_PID
  jp_wait_tcp_listen "$JP_NS_B" 5301 10 || fail "receiver did not listen"
  step "send A -> B over the tunnel"
  ip netns exec "$JP_NS_A" timeout 200 "$PY" "$here/tcpxfer.py" send "$JP_TUN4_B" 5301 "$src" 190 || fail "sender failed"
  wait "$rpid" || { cat "$JP_DIR/recv.out"; fail "receiver failed"; }
  cat "$JP_DIR/recv.out"
  n1=$(stat -c %s "$src"); n2=$(stat -c %s "$dst" 2>/dev/null || echo 0)
  s1=$(sha256sum < "$src" | cut -d' ' -f1); s2=$(sha256sum < "$dst" | cut -d' ' -f1)
  echo "sent $n1 bytes sha256 $s1"; echo "got  $n2 bytes sha256 $s2"
  rm -f "$src" "$dst"
  [ "$n1" = "$n2" ] || fail "size mismatch: sent $n1, received $n2"
  [ "$s1" = "$s2" ] || fail "sha256 mismatch"
}

scen_keepalive() {
  pair a:keepalive=1
  step "A has PersistentKeepalive = 1 and nothing sends data: the keepalive alone must handshake"
  # A comes up before B, so its first initiation may be lost: a retry follows 5 s later
  wait_handshake A 12 >/dev/null || fail "no handshake within 12 s on an idle tunnel with PersistentKeepalive = 1"
  [ "$(fieldA keepalive)" = 1 ] || fail "wg show A dump keepalive = '$(fieldA keepalive)', want 1"
  local t0 r0 t1 r1
  t0=$(fieldA tx) r0=$(fieldB rx); sleep 4; t1=$(fieldA tx) r1=$(fieldB rx)
  echo "idle 4 s: A tx $t0 -> $t1, B rx $r0 -> $r1"
  [ $(( t1 - t0 )) -ge 96 ] || fail "A tx grew by $(( t1 - t0 )) bytes in 4 s idle, want >= 3 keepalives (96)"
  [ $(( r1 - r0 )) -ge 96 ] || fail "B rx grew by $(( r1 - r0 )) bytes in 4 s idle, want >= 96"
  step "persistent-keepalive 0 at run time: A must go quiet"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" persistent-keepalive 0 || fail "wg set persistent-keepalive 0 failed"
  [ "$(fieldA keepalive)" = off ] || fail "dump keepalive = '$(fieldA keepalive)' after setting 0, want off"
  sleep 1.5; t0=$(fieldA tx); sleep 3; t1=$(fieldA tx)
  echo "after off, 3 s: A tx $t0 -> $t1"
  [ "$t1" = "$t0" ] || fail "A still sends with keepalive off ($(( t1 - t0 )) bytes in 3 s)"
  step "persistent-keepalive 1 again with wg set"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" persistent-keepalive 1 || fail "wg set persistent-keepalive 1 failed"
  sleep 3.5; t1=$(fieldA tx)
  echo "after on, 3.5 s: A tx $t0 -> $t1"
  [ $(( t1 - t0 )) -ge 96 ] || fail "A tx grew by $(( t1 - t0 )) bytes after re-enabling, want >= 96"
}

scen_peer() {
  pair a:peer=0
  local peers
  peers=$(wgA show "$JP_IF_A" peers); [ -z "$peers" ] || fail "A should start without peers, has: $peers"
  ping_fails "$JP_NS_A" "$JP_TUN4_B" 2
  step "wg set: add B as a peer of A at run time"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" preshared-key "$JP_DIR/psk" endpoint "$JP_OUT4_B:$JP_PORT_B" \
    allowed-ips "$JP_TUN4_B/32,$JP_TUN6_B/128" || fail "wg set add peer failed"
  wgA show "$JP_IF_A" peers | grep -qxF "$JP_PUB_B" || fail "added peer not listed by wg show peers"
  [ "$(fieldA allowed | sorted_csv)" = "$(echo "$JP_TUN4_B/32,$JP_TUN6_B/128" | sorted_csv)" ] || fail "allowed ips: $(fieldA allowed)"
  [ "$(fieldA endpoint)" = "$JP_OUT4_B:$JP_PORT_B" ] || fail "endpoint: $(fieldA endpoint)"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 5
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 5
  step "wg set ... remove: traffic must stop both ways"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" remove || fail "wg set remove failed"
  peers=$(wgA show "$JP_IF_A" peers); [ -z "$peers" ] || fail "removed peer still listed: $peers"
  ping_fails "$JP_NS_A" "$JP_TUN4_B" 3
  ping_fails "$JP_NS_B" "$JP_TUN4_A" 3
  step "add it again: a fresh handshake makes traffic work again"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" preshared-key "$JP_DIR/psk" endpoint "$JP_OUT4_B:$JP_PORT_B" \
    allowed-ips "$JP_TUN4_B/32,$JP_TUN6_B/128" || fail "wg set re-add failed"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 5
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 5
}

scen_syncconf() {
  pair
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  local h0 extra strip="$JP_DIR/a.stripped" new="$JP_DIR/a.new" back="$JP_DIR/a.back"
  h0=$(fieldA handshake)
  ip netns exec "$JP_NS_A" wg-quick strip "$JP_CONF_A" > "$strip" || fail "wg-quick strip failed"
  extra=$(wg genkey | wg pubkey)
  { echo "[Interface]"; echo "PrivateKey = $(cat "$JP_DIR/a.key")"; echo "ListenPort = $JP_PORT_A"; echo
    echo "[Peer]"; echo "PublicKey = $JP_PUB_B"; echo "PresharedKey = $JP_PSK"
    echo "AllowedIPs = $JP_TUN4_B/32, $JP_TUN6_B/128, 198.18.0.0/24"; echo "Endpoint = $JP_OUT4_B:$JP_PORT_B"
    echo "PersistentKeepalive = 25"; echo
    echo "[Peer]"; echo "PublicKey = $extra"; echo "AllowedIPs = 203.0.113.7/32"; } > "$new"
  # syncconf only sends the keys present in the file: "back" must say PersistentKeepalive = 0
  { cat "$strip"; echo "PersistentKeepalive = 0"; } > "$back"
  step "wg syncconf to a config with one more peer, one more allowed ip and a keepalive"
  wgA syncconf "$JP_IF_A" "$new" || fail "wg syncconf (grow) failed"
  wgA show "$JP_IF_A" dump | sed '1s/^[^\t]*/(private key)/'
  [ "$(fieldA allowed | sorted_csv)" = "$(echo "$JP_TUN4_B/32,$JP_TUN6_B/128,198.18.0.0/24" | sorted_csv)" ] || fail "allowed ips after syncconf: $(fieldA allowed)"
  [ "$(fieldA keepalive)" = 25 ] || fail "keepalive after syncconf: $(fieldA keepalive)"
  [ "$(jp_wg_field "$JP_NS_A" "$JP_IF_A" "$extra" allowed)" = 203.0.113.7/32 ] || fail "extra peer missing after syncconf"
  [ "$(fieldA handshake)" = "$h0" ] || fail "syncconf reset B's session (handshake $h0 -> $(fieldA handshake))"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  step "wg syncconf back to the original"
  wgA syncconf "$JP_IF_A" "$back" || fail "wg syncconf (shrink) failed"
  wgA show "$JP_IF_A" dump | sed '1s/^[^\t]*/(private key)/'
  [ "$(wgA show "$JP_IF_A" peers)" = "$JP_PUB_B" ] || fail "peers after syncconf back: $(wgA show "$JP_IF_A" peers | paste -sd' ')"
  [ "$(fieldA allowed | sorted_csv)" = "$(echo "$JP_TUN4_B/32,$JP_TUN6_B/128" | sorted_csv)" ] || fail "allowed ips after syncconf back: $(fieldA allowed)"
  [ "$(fieldA keepalive)" = off ] || fail "keepalive after syncconf back: $(fieldA keepalive)"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
}

scen_wgquick() {
  pair a:save=1 a:dns=192.0.2.53
  local sock="$JP_WG_SOCK_DIR/$JP_IF_A.sock" rlog="$JP_TMP/resolvconf.log"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  grep -q "^resolvconf -a .*$JP_IF_A" "$rlog" 2>/dev/null || fail "wg-quick up did not call resolvconf -a for DNS="
  grep -q '^nameserver 192.0.2.53' "$rlog" || fail "resolvconf did not get 'nameserver 192.0.2.53'"
  step "change the running config, then wg-quick save"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" persistent-keepalive 7 allowed-ips "$JP_TUN4_B/32,$JP_TUN6_B/128,198.18.1.0/24" || fail "wg set failed"
  ip netns exec "$JP_NS_A" env PATH="$JP_TMP/bin:$PATH" timeout 30 wg-quick save "$JP_CONF_A" || fail "wg-quick save failed"
  cat "$JP_CONF_A" | sed 's/\(PrivateKey\|PresharedKey\) = .*/\1 = (hidden)/'
  grep -q '^PersistentKeepalive = 7' "$JP_CONF_A" || fail "saved config lacks PersistentKeepalive = 7"
  grep -q '198.18.1.0/24' "$JP_CONF_A" || fail "saved config lacks the added allowed ip"
  grep -q '^SaveConfig = true' "$JP_CONF_A" || fail "saved config lost SaveConfig = true"
  grep -q '^DNS = 192.0.2.53' "$JP_CONF_A" || fail "saved config lost DNS"
  grep -q "^Address = .*$JP_TUN4_A/24" "$JP_CONF_A" || fail "saved config lost the address"
  step "wg-quick down (saves again), daemon must exit and remove its socket"
  wgA set "$JP_IF_A" peer "$JP_PUB_B" persistent-keepalive 9 || fail "wg set failed"
  jp_down_conf "$JP_NS_A" "$JP_CONF_A" || fail "wg-quick down failed or the daemon did not exit (see log)"
  ip -n "$JP_NS_A" link show "$JP_IF_A" >/dev/null 2>&1 && fail "$JP_IF_A still exists after down"
  [ -e "$sock" ] && fail "$sock still exists after down"
  grep -q '^PersistentKeepalive = 9' "$JP_CONF_A" || fail "wg-quick down did not save the config (SaveConfig = true)"
  grep -q "^resolvconf -d .*$JP_IF_A" "$rlog" || fail "wg-quick down did not call resolvconf -d"
  step "wg-quick up from the saved file"
  jp_up "$JP_NS_A" "$IA" "$JP_CONF_A" || fail "wg-quick up of the saved config failed: $JP_UP_ERR"
  [ "$(fieldA keepalive)" = 9 ] || fail "keepalive from saved config: $(fieldA keepalive)"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 3
}

scen_roaming() {
  pair
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  step "B's outer address changes $JP_OUT4_B -> $JP_OUT4_B_ROAM (A is not touched)"
  # delete first: deleting a primary address would also delete a secondary in the same subnet
  ip -n "$JP_NS_B" addr del "$JP_OUT4_B/24" dev jpv0 || fail "ip addr del failed"
  ip -n "$JP_NS_B" addr add "$JP_OUT4_B_ROAM/24" dev jpv0 || fail "ip addr add failed"
  ip -n "$JP_NS_B" -br addr show dev jpv0
  # The kernel drops a stale cached source address at once; wireguard-go 0.0.20220316 keeps
  # failing with ENETUNREACH until its new-handshake timer (15 s) clears it: allow 35 s.
  local t0=$(date +%s)
  ping_until "$JP_NS_B" "$JP_TUN4_A" 35 || fail "no reply to B within 35 s after B's address changed"
  echo "roamed: traffic from B resumed after $(( $(date +%s) - t0 )) s" | tee "$EXTRA"
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 5
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 5
  [ "$(fieldA endpoint)" = "$JP_OUT4_B_ROAM:$JP_PORT_B" ] || fail "A's endpoint for B is $(fieldA endpoint), want $JP_OUT4_B_ROAM:$JP_PORT_B"
  step "B now talks to A over IPv6 (only B is reconfigured); A must follow"
  wgB set "$JP_IF_B" peer "$JP_PUB_A" endpoint "[$JP_OUT6_A]:$JP_PORT_A" || fail "wg set B endpoint failed"
  ping_until "$JP_NS_B" "$JP_TUN4_A" 15 || fail "no reply to B within 15 s over the IPv6 outer path"
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 5
  [ "$(fieldA endpoint)" = "[$JP_OUT6_B]:$JP_PORT_B" ] || fail "A's endpoint for B is $(fieldA endpoint), want [$JP_OUT6_B]:$JP_PORT_B"
}

scen_showcompare() {
  pair
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 5
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 5
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 5
  ping_ok "$JP_NS_B" "$JP_TUN6_A" 5
  sleep 1
  step "collect wg show dump / showconf on both sides"
  wgA show "$JP_IF_A" dump > "$JP_DIR/a.dump"; wgB show "$JP_IF_B" dump > "$JP_DIR/b.dump"
  wgA showconf "$JP_IF_A" > "$JP_DIR/a.showconf"; wgB showconf "$JP_IF_B" > "$JP_DIR/b.showconf"
  cat > "$JP_DIR/spec.json" <<EOF
{"now": $(date +%s),
 "a": {"impl": "$(basename "$IA")", "dump": "$JP_DIR/a.dump", "showconf": "$JP_DIR/a.showconf",
       "priv": "$(cat "$JP_DIR/a.key")", "pub": "$JP_PUB_A", "port": $JP_PORT_A, "peer_pub": "$JP_PUB_B",
       "psk": "$JP_PSK", "endpoint": "$JP_OUT4_B:$JP_PORT_B", "allowed": ["$JP_TUN4_B/32", "$JP_TUN6_B/128"], "keepalive": "off"},
 "b": {"impl": "$(basename "$IB")", "dump": "$JP_DIR/b.dump", "showconf": "$JP_DIR/b.showconf",
       "priv": "$(cat "$JP_DIR/b.key")", "pub": "$JP_PUB_B", "port": $JP_PORT_B, "peer_pub": "$JP_PUB_A",
       "psk": "$JP_PSK", "endpoint": "$JP_OUT4_A:$JP_PORT_A", "allowed": ["$JP_TUN4_A/32", "$JP_TUN6_A/128"], "keepalive": "off"}}
EOF
  "$PY" "$here/wgcompare.py" "$JP_DIR/spec.json" > "$JP_DIR/compare.out" 2>&1
  local rc=$?
  cat "$JP_DIR/compare.out"
  grep -v '^RESULT' "$JP_DIR/compare.out" > "$EXTRA"
  [ "$rc" = 0 ] || fail "$(grep '^PROBLEM' "$JP_DIR/compare.out" | head -3 | sed 's/^PROBLEM //' | paste -sd';' -)"
}

scen_garbage() {
  pair
  local cap="$JP_DIR/init.hex" cpid rc
  step "capture an initiation B -> A (B's endpoint for A pointed at our socket)"
  wgB set "$JP_IF_B" peer "$JP_PUB_A" endpoint "$JP_OUT4_B:40000" || fail "wg set failed"
  jp_bg "$JP_NS_B" "$JP_DIR/capture.out" timeout 20 "$PY" "$here/wgpkt.py" capture "$JP_OUT4_B" 40000 "$cap" 12
  cpid=$JP_BG_PID
  for _ in $(seq 50); do grep -q READY "$JP_DIR/capture.out" && break; sleep 0.1; done
  ip netns exec "$JP_NS_B" ping -n -c1 -W1 "$JP_TUN4_A" >/dev/null 2>&1
  wait "$cpid"; cat "$JP_DIR/capture.out"
  [ -s "$cap" ] || fail "could not capture a handshake initiation from B"
  step "reset B's peer (drops its pending handshake), bring the tunnel up from A"
  wgB set "$JP_IF_B" peer "$JP_PUB_A" remove || fail "wg set remove failed"
  wgB set "$JP_IF_B" peer "$JP_PUB_A" preshared-key "$JP_DIR/psk" endpoint "$JP_OUT4_A:$JP_PORT_A" \
    allowed-ips "$JP_TUN4_A/32,$JP_TUN6_A/128" || fail "wg set re-add failed"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  # last exchange B -> A: A answers with data, so A has no passive keepalive pending that would
  # later go to our socket and look like an answer
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 2
  step "attack A's UDP port from B's namespace"
  ip netns exec "$JP_NS_B" timeout 60 "$PY" "$here/wgpkt.py" attack "$JP_OUT4_B" 40000 "$JP_OUT4_A" "$JP_PORT_A" \
    "$JP_PUB_A" "$cap" > "$JP_DIR/attack.out" 2>&1
  rc=$?
  cat "$JP_DIR/attack.out"
  jp_alive "$JP_PID_A" || fail "daemon A (pid $JP_PID_A) died"
  [ "$rc" = 0 ] || fail "$(grep -E '^BAD|Error' "$JP_DIR/attack.out" | head -2 | paste -sd';' -)"
  step "the tunnel still works (B's traffic also moves A's endpoint back from our socket)"
  ping_until "$JP_NS_B" "$JP_TUN4_A" 15 || fail "tunnel B->A broken after the attack"
  ping_ok "$JP_NS_B" "$JP_TUN4_A" 5
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 5
  ping_ok "$JP_NS_A" "$JP_TUN6_B" 3
  [ "$(fieldA endpoint)" = "$JP_OUT4_B:$JP_PORT_B" ] || fail "A's endpoint for B is $(fieldA endpoint)"
}

scen_rekey() {
  pair
  ping_ok "$JP_NS_A" "$JP_TUN4_B" 3
  local ha0 hb0 ha1 hb1 n=$(( REKEY_SECONDS * 5 ))
  ha0=$(fieldA handshake) hb0=$(fieldB handshake)
  step "ping every 0.2 s for $REKEY_SECONDS s, across REKEY_AFTER_TIME (120 s): no loss, a new handshake"
  ping_ok "$JP_NS_A" "$JP_TUN4_B" "$n"
  ha1=$(fieldA handshake) hb1=$(fieldB handshake)
  echo "latest handshake A: $ha0 -> $ha1, B: $hb0 -> $hb1"
  [ "$ha1" -gt "$ha0" ] || fail "A's latest handshake did not advance ($ha0 -> $ha1)"
  [ "$hb1" -gt "$hb0" ] || fail "B's latest handshake did not advance ($hb0 -> $hb1)"
  [ $(( ha1 - ha0 )) -ge 110 ] || fail "new handshake after only $(( ha1 - ha0 )) s, expected about 120 s"
}

# ---------------------------------------------------------------- runner
set -m  # each scenario runs as its own process group, so a timeout can stop all of it
PASSED=0 FAILED=0 NUM=0
DEADLINE=$(( $(date +%s) + SUITE_TIMEOUT ))

run_scenario() {  # NAME IMPL_A_NAME IMPL_B_NAME
  local name=$1 an=$2 bn=$3 label ia ib to left pid rc reason waited=0 t0
  label="${name}[A=${an##*/},B=${bn##*/}]"
  NUM=$((NUM + 1))
  local log="$LOG_DIR/$(printf '%02d' "$NUM")-$name-${an##*/}-${bn##*/}.log"
  REASON="$JP_TMP/reason.$NUM" EXTRA="$JP_TMP/extra.$NUM"
  : > "$REASON"; : > "$EXTRA"
  if ! ia=$(jp_resolve_impl "$an" 2>&1) || ! ib=$(jp_resolve_impl "$bn" 2>&1); then
    [ -x "${ia:-}" ] && reason=$ib || reason=$ia
    echo "FAIL $label: ${reason%%(*}"; FAILED=$((FAILED + 1)); return
  fi
  to=$(scen_timeout "$name")
  left=$(( DEADLINE - $(date +%s) ))
  if [ "$left" -le 10 ]; then
    echo "FAIL $label: not run, suite time bound SUITE_TIMEOUT=${SUITE_TIMEOUT}s reached"; FAILED=$((FAILED + 1)); return
  fi
  [ "$to" -gt "$left" ] && to=$left
  JP_SEQ=$(( NUM * 10 ))
  t0=$(date +%s)
  (
    JP_NS_A="" JP_NS_B=""
    trap 'jp_env_down >/dev/null 2>&1' EXIT
    trap 'exit 143' TERM
    IA=$ia IB=$ib
    echo "scenario $label, A=$ia B=$ib, limit ${to}s"
    "scen_$name"
  ) > "$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ $(( $(date +%s) - t0 )) -lt "$to" ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "timeout after ${to}s" > "$REASON"
    # descendants first: `timeout` puts its child in a process group of its own
    kill -TERM $(jp_descendants "$pid") 2>/dev/null
    kill -TERM -- "-$pid" 2>/dev/null
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 75 ]; do sleep 0.2; waited=$((waited + 1)); done
    kill -KILL -- "-$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null; rc=$?
  reason=$(head -c 300 "$REASON")
  if [ "$rc" = 0 ] && [ -z "$reason" ]; then
    echo "PASS $label"; PASSED=$((PASSED + 1))
  else
    echo "FAIL $label: ${reason:-exit status $rc} (log: $log)"; FAILED=$((FAILED + 1))
  fi
  [ -s "$EXTRA" ] && sed 's/^/    /' "$EXTRA"
  echo "    ($(( $(date +%s) - t0 )) s)" >> "$log"
}

pairs=("$A $B")
if [ "$ROLES" = both ] && [ "$A" != "$B" ]; then pairs+=("$B $A"); fi
echo "interop: A=$A B=$B roles=$ROLES scenarios: $SCENARIOS${SKIP:+ (skip: $SKIP)}; logs in $LOG_DIR"
for p in "${pairs[@]}"; do
  set -- $p
  for s in $SCENARIOS; do
    case " $ALL_SCENARIOS " in *" $s "*) ;; *) echo "FAIL $s: unknown scenario"; FAILED=$((FAILED + 1)); continue;; esac
    case " $SKIP " in *" $s "*) continue;; esac
    run_scenario "$s" "$1" "$2"
  done
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
