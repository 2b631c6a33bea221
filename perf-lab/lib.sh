# shellcheck shell=bash
# perf-lab/lib.sh - shared helpers for demo.sh, interop/run.sh and compare.sh. Source it.
#
# Topology (one "env" = two fresh network namespaces joined by one veth):
#   jp-<id>-a  jpv0 198.51.100.1/24 2001:db8:1::1/64  <-veth->  jpv0 198.51.100.2/24 2001:db8:1::2/64  jp-<id>-b
#   tunnel     jpwa<id> 192.0.2.1/24 2001:db8:2::1/64            jpwb<id> 192.0.2.2/24 2001:db8:2::2/64
# Interfaces are brought up by `wg-quick up <conf>` with WG_QUICK_USERSPACE_IMPLEMENTATION set to
# the implementation under test. /var/run/wireguard is shared by every namespace on the host, so
# interface names carry a unique id and we only ever touch sockets/daemons we recorded ourselves.
#
# Everything created is recorded under $JP_TMP/registry and removed by jp_cleanup_all (EXIT trap
# installed by jp_init). Every wait is bounded.

JP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JP_REPO=$(cd "$JP_LIB_DIR/.." && pwd)

JP_OUT4_A=198.51.100.1
JP_OUT4_B=198.51.100.2
JP_OUT4_B_ROAM=198.51.100.3
JP_OUT6_A=2001:db8:1::1
JP_OUT6_B=2001:db8:1::2
JP_TUN4_A=192.0.2.1
JP_TUN4_B=192.0.2.2
JP_TUN6_A=2001:db8:2::1
JP_TUN6_B=2001:db8:2::2
JP_PORT_A=51820
JP_PORT_B=51821
JP_WG_SOCK_DIR=/var/run/wireguard
: "${JP_UP_TIMEOUT:=30}"     # seconds for one wg-quick up/down
: "${JP_EXIT_TIMEOUT:=10}"   # seconds a daemon gets to exit after its link is deleted

jp_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
jp_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
jp_need_root() { [ "$(id -u)" = 0 ] || jp_die "must run as root (network namespaces, TUN)"; }

# jp_python: a python3 with only the standard library needed.
jp_python() {
  if [ -n "${JP_PY:-}" ]; then :; elif command -v python3 >/dev/null; then JP_PY=$(command -v python3)
  elif [ -x /usr/bin/python3 ]; then JP_PY=/usr/bin/python3; else jp_die "python3 not found"; fi
  "$JP_PY" "$@"
}

# jp_init: private temp dir, registry, stand-in resolvconf, cleanup trap.
jp_init() {
  JP_TMP=$(mktemp -d /tmp/jp.XXXXXX) || jp_die "mktemp failed"
  chmod 700 "$JP_TMP"
  mkdir -p "$JP_TMP/registry" "$JP_TMP/bin"
  : > "$JP_TMP/registry/netns"; : > "$JP_TMP/registry/daemons"; : > "$JP_TMP/registry/pids"
  # Stand-in resolvconf so a config with DNS= never touches the host resolver. It logs its calls
  # and keeps per-interface state: -a IF stores stdin, -l IF prints it (wg-quick save reads DNS
  # back this way), -d IF forgets it.
  mkdir -p "$JP_TMP/resolvconf.d"
  cat > "$JP_TMP/bin/resolvconf" <<EOF
#!/bin/sh
st="$JP_TMP/resolvconf.d"
echo "resolvconf \$*" >> "$JP_TMP/resolvconf.log"
case "\$1" in
  -a) tee "\$st/\$2" >> "$JP_TMP/resolvconf.log" ;;
  -l) [ -f "\$st/\$2" ] && cat "\$st/\$2" ;;
  -d) rm -f "\$st/\$2" ;;
esac
exit 0
EOF
  chmod 755 "$JP_TMP/bin/resolvconf"
  JP_SEQ=0
  export JP_TMP
  trap 'jp_cleanup_all' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# jp_resolve_impl NAME -> prints an absolute path. NAME: wireguard-go | jwg | /abs/path.
jp_resolve_impl() {
  local name=$1 p
  case "$name" in
    wireguard-go) p=$(command -v wireguard-go) || { echo "wireguard-go not installed (apt-get install wireguard-go)" >&2; return 1; } ;;
    jwg) p="$JP_REPO/jwg"
         [ -f "$p" ] && [ -x "$p" ] || { echo "jwg launcher not found/not working: $p is missing or not executable (build it: scripts/mvn25 -B -q -pl dataplane -am package -DskipTests)" >&2; return 1; } ;;
    /*) p=$name; [ -x "$p" ] || { echo "implementation $p not executable" >&2; return 1; } ;;
    *) p=$(command -v "$name") || { echo "unknown implementation '$name' (use wireguard-go, jwg or an absolute path)" >&2; return 1; } ;;
  esac
  printf '%s\n' "$p"
}

# jp_new_env: allocates a unique id; sets JP_ID JP_NS_A JP_NS_B JP_IF_A JP_IF_B JP_DIR.
jp_new_env() {
  local id
  while :; do
    JP_SEQ=$((JP_SEQ + 1))
    id="$(( $$ % 100000 ))x$(( JP_SEQ % 1000 ))"   # <= 9 chars: jpwa<id> fits IFNAMSIZ
    [ -e "/var/run/netns/jp-$id-a" ] || [ -e "/var/run/netns/jp-$id-b" ] || \
      [ -e "$JP_WG_SOCK_DIR/jpwa$id.sock" ] || [ -e "$JP_WG_SOCK_DIR/jpwb$id.sock" ] || break
  done
  JP_ID=$id JP_NS_A="jp-$id-a" JP_NS_B="jp-$id-b" JP_IF_A="jpwa$id" JP_IF_B="jpwb$id"
  JP_DIR="$JP_TMP/env-$id"
  mkdir -p "$JP_DIR"
}

# jp_topo_create: the two namespaces of the current env, joined by a veth (addresses above).
jp_topo_create() {
  local ns
  for ns in "$JP_NS_A" "$JP_NS_B"; do
    ip netns add "$ns" || return 1
    echo "$ns" >> "$JP_TMP/registry/netns"
    ip -n "$ns" link set lo up
  done
  ip -n "$JP_NS_A" link add jpv0 type veth peer name jpv0 netns "$JP_NS_B" || return 1
  ip -n "$JP_NS_A" addr add "$JP_OUT4_A/24" dev jpv0
  ip -n "$JP_NS_B" addr add "$JP_OUT4_B/24" dev jpv0
  ip -n "$JP_NS_A" addr add "$JP_OUT6_A/64" dev jpv0 nodad
  ip -n "$JP_NS_B" addr add "$JP_OUT6_B/64" dev jpv0 nodad
  ip -n "$JP_NS_A" link set jpv0 up
  ip -n "$JP_NS_B" link set jpv0 up
  ip netns exec "$JP_NS_A" ping -c1 -W2 -q "$JP_OUT4_B" >/dev/null || { echo "veth not working" >&2; return 1; }
}

# jp_keys: key pairs for both sides and a preshared key, in $JP_DIR (mode 600).
jp_keys() {
  ( umask 077
    wg genkey > "$JP_DIR/a.key"; wg pubkey < "$JP_DIR/a.key" > "$JP_DIR/a.pub"
    wg genkey > "$JP_DIR/b.key"; wg pubkey < "$JP_DIR/b.key" > "$JP_DIR/b.pub"
    wg genpsk > "$JP_DIR/psk" ) || return 1
  JP_PUB_A=$(cat "$JP_DIR/a.pub") JP_PUB_B=$(cat "$JP_DIR/b.pub") JP_PSK=$(cat "$JP_DIR/psk")
}

# jp_conf SIDE [KEY=VALUE...] -> writes $JP_DIR/<ifname>.conf, prints its path.
# Options: peer=0 (no [Peer]), endpoint=0 (no Endpoint), keepalive=N, save=1 (SaveConfig),
#          dns=ADDR (DNS=, served by the stand-in resolvconf), psk=0 (no PresharedKey), mtu=N.
jp_conf() {
  local side=$1; shift
  local peer=1 endpoint=1 keepalive=0 save=0 dns="" psk=1 mtu="" kv
  for kv in "$@"; do
    case "$kv" in peer=*) peer=${kv#*=};; endpoint=*) endpoint=${kv#*=};; keepalive=*) keepalive=${kv#*=};;
      save=*) save=${kv#*=};; dns=*) dns=${kv#*=};; psk=*) psk=${kv#*=};; mtu=*) mtu=${kv#*=};;
      *) echo "jp_conf: unknown option $kv" >&2; return 1;; esac
  done
  local ifn key port addr4 addr6 ppub pep pt4 pt6
  if [ "$side" = a ]; then
    ifn=$JP_IF_A key=$(cat "$JP_DIR/a.key") port=$JP_PORT_A addr4=$JP_TUN4_A addr6=$JP_TUN6_A
    ppub=$JP_PUB_B pep="$JP_OUT4_B:$JP_PORT_B" pt4=$JP_TUN4_B pt6=$JP_TUN6_B
  else
    ifn=$JP_IF_B key=$(cat "$JP_DIR/b.key") port=$JP_PORT_B addr4=$JP_TUN4_B addr6=$JP_TUN6_B
    ppub=$JP_PUB_A pep="$JP_OUT4_A:$JP_PORT_A" pt4=$JP_TUN4_A pt6=$JP_TUN6_A
  fi
  local f="$JP_DIR/$ifn.conf"
  ( umask 077
    { echo "[Interface]"
      echo "PrivateKey = $key"
      echo "ListenPort = $port"
      echo "Address = $addr4/24, $addr6/64"
      if [ -n "$dns" ]; then echo "DNS = $dns"; fi
      if [ -n "$mtu" ]; then echo "MTU = $mtu"; fi
      if [ "$save" = 1 ]; then echo "SaveConfig = true"; fi
      if [ "$peer" = 1 ]; then
        echo; echo "[Peer]"
        echo "PublicKey = $ppub"
        if [ "$psk" = 1 ]; then echo "PresharedKey = $JP_PSK"; fi
        echo "AllowedIPs = $pt4/32, $pt6/128"
        if [ "$endpoint" = 1 ]; then echo "Endpoint = $pep"; fi
        if [ "$keepalive" != 0 ]; then echo "PersistentKeepalive = $keepalive"; fi
      fi
    } > "$f" ) || return 1
  printf '%s\n' "$f"
}

# jp_sock_pid NS IFNAME -> PID of the process listening on the UAPI socket (empty if none).
jp_sock_pid() {
  local ns=$1 ifn=$2 pid
  pid=$(ip netns exec "$ns" ss -xlpn 2>/dev/null | grep -F "wireguard/$ifn.sock " | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  if [ -z "$pid" ] && command -v fuser >/dev/null; then
    pid=$(fuser "$JP_WG_SOCK_DIR/$ifn.sock" 2>/dev/null | tr -s ' ' '\n' | grep -E '^[0-9]+$' | head -1)
  fi
  printf '%s\n' "$pid"
}

# jp_alive PID -> 0 if the process runs (a zombie counts as gone: init here may not reap).
jp_alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# jp_wait_gone PID SECONDS -> 0 when the process is gone.
jp_wait_gone() {
  local pid=$1 t=$(( $2 * 10 ))
  while [ "$t" -gt 0 ] && jp_alive "$pid"; do sleep 0.1; t=$((t - 1)); done
  ! jp_alive "$pid"
}

# jp_up NS IMPL_PATH CONF: wg-quick up in NS with the implementation; checks that the tun
# interface and the UAPI socket exist and that a userspace daemon (not the kernel) serves it.
# Sets JP_LAST_PID. Log: <conf>.up.log.
jp_up() {
  local ns=$1 impl=$2 conf=$3 ifn log rc pid t
  ifn=$(basename "$conf" .conf) log="$conf.up.log"
  # The daemon inherits wg-quick's stdio: never a pipe (it would hold it open), always a file.
  ip netns exec "$ns" env -u WG_PROCESS_FOREGROUND -u WG_TUN_FD -u WG_UAPI_FD \
    PATH="$JP_TMP/bin:$PATH" WG_QUICK_USERSPACE_IMPLEMENTATION="$impl" \
    timeout "$JP_UP_TIMEOUT" wg-quick up "$conf" > "$log" 2>&1 < /dev/null
  rc=$?
  JP_UP_ERR=""
  t=50; pid=""
  [ "$rc" = 0 ] || t=10   # failed: look briefly for a daemon to record for cleanup
  while [ "$t" -gt 0 ]; do
    pid=$(jp_sock_pid "$ns" "$ifn"); [ -n "$pid" ] && break
    sleep 0.1; t=$((t - 1))
  done
  [ -n "$pid" ] && echo "$ns $ifn $pid $impl" >> "$JP_TMP/registry/daemons"
  if [ "$rc" != 0 ]; then
    JP_UP_ERR="wg-quick up $ifn with $impl failed (rc=$rc$([ "$rc" = 124 ] && echo ", timeout after ${JP_UP_TIMEOUT}s")): $(grep -v '^\[[#!]\]\|^[│┌└]\|^Error: Unknown device type' "$log" | head -1)"
    echo "$JP_UP_ERR; log:" >&2; sed 's/^/    /' "$log" >&2
    return 1
  fi
  if ip -n "$ns" -d link show "$ifn" 2>/dev/null | grep -qw wireguard; then
    JP_UP_ERR="$ifn is a kernel WireGuard link: wg-quick did not use $impl (unload the wireguard kernel module)"
    echo "$JP_UP_ERR" >&2; return 1
  fi
  if [ -z "$pid" ]; then
    JP_UP_ERR="no daemon listens on $JP_WG_SOCK_DIR/$ifn.sock after wg-quick up with $impl"
    echo "$JP_UP_ERR; log:" >&2; sed 's/^/    /' "$log" >&2
    return 1
  fi
  JP_LAST_PID=$pid
}

# jp_down_conf NS CONF: wg-quick down; waits (bounded) for the daemon to exit by itself.
jp_down_conf() {
  local ns=$1 conf=$2 ifn pid rc
  ifn=$(basename "$conf" .conf)
  pid=$(jp_sock_pid "$ns" "$ifn")
  ip netns exec "$ns" env PATH="$JP_TMP/bin:$PATH" timeout "$JP_UP_TIMEOUT" wg-quick down "$conf" > "$conf.down.log" 2>&1 < /dev/null
  rc=$?
  if [ -n "$pid" ] && ! jp_wait_gone "$pid" "$JP_EXIT_TIMEOUT"; then
    echo "daemon $pid for $ifn did not exit within ${JP_EXIT_TIMEOUT}s after wg-quick down" >&2; return 1
  fi
  [ "$rc" = 0 ] || { echo "wg-quick down $ifn failed rc=$rc:" >&2; sed 's/^/    /' "$conf.down.log" >&2; return 1; }
}

# jp_pair_up IMPL_A_PATH IMPL_B_PATH [OPT...]: new env, topology, keys, wg-quick up on both.
# OPT is a jp_conf option for both sides, or for one side when prefixed "a:" / "b:".
jp_pair_up() {
  local ia=$1 ib=$2 o; shift 2
  local oa=() ob=()
  for o in "$@"; do
    case "$o" in a:*) oa+=("${o#a:}");; b:*) ob+=("${o#b:}");; *) oa+=("$o"); ob+=("$o");; esac
  done
  jp_new_env && jp_topo_create && jp_keys || return 1
  JP_CONF_A=$(jp_conf a ${oa[@]+"${oa[@]}"}) && JP_CONF_B=$(jp_conf b ${ob[@]+"${ob[@]}"}) || return 1
  jp_up "$JP_NS_A" "$ia" "$JP_CONF_A" || return 1
  JP_PID_A=$JP_LAST_PID
  jp_up "$JP_NS_B" "$ib" "$JP_CONF_B" || return 1
  JP_PID_B=$JP_LAST_PID
}

# jp_kill_daemon NS IFNAME PID: delete the link (the daemon exits by itself), then TERM/KILL if
# it is still there - only if PID still is the process that served IFNAME's socket.
jp_kill_daemon() {
  local ns=$1 ifn=$2 pid=$3
  ip -n "$ns" link del "$ifn" 2>/dev/null
  [ -n "$pid" ] || return 0
  jp_wait_gone "$pid" "$JP_EXIT_TIMEOUT" && return 0
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$ifn"; then
    kill -TERM "$pid" 2>/dev/null; jp_wait_gone "$pid" 3 || kill -KILL "$pid" 2>/dev/null
  fi
  return 0
}

# jp_env_down: tear down the current env (daemons, namespaces).
jp_env_down() {
  local ns ifn pid impl
  while read -r ns ifn pid impl; do
    case "$ns" in "$JP_NS_A"|"$JP_NS_B") jp_kill_daemon "$ns" "$ifn" "$pid";; esac
  done < "$JP_TMP/registry/daemons"
  for ns in "$JP_NS_A" "$JP_NS_B"; do ip netns del "$ns" 2>/dev/null; done
  return 0
}

# jp_bg NS LOGFILE CMD...: run CMD in NS in the background, record its PID (killed at cleanup).
jp_bg() {
  local ns=$1 log=$2; shift 2
  ip netns exec "$ns" "$@" > "$log" 2>&1 < /dev/null &
  JP_BG_PID=$!
  echo "$JP_BG_PID" >> "$JP_TMP/registry/pids"
}

jp_cleanup_all() {
  local rc=$? ns ifn pid impl
  trap - EXIT INT TERM
  [ -n "${JP_TMP:-}" ] && [ -d "$JP_TMP/registry" ] || return "$rc"
  while read -r pid; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
  done < "$JP_TMP/registry/pids"
  while read -r ns ifn pid impl; do
    jp_kill_daemon "$ns" "$ifn" "$pid"
  done < "$JP_TMP/registry/daemons"
  while read -r ns; do ip netns del "$ns" 2>/dev/null; done < "$JP_TMP/registry/netns"
  while read -r ns ifn pid impl; do
    # a socket of ours left behind by a killed daemon: remove it only if nobody listens on it
    [ -S "$JP_WG_SOCK_DIR/$ifn.sock" ] && ! jp_alive "$pid" && rm -f "$JP_WG_SOCK_DIR/$ifn.sock"
  done < "$JP_TMP/registry/daemons"
  if [ "${JP_KEEP_TMP:-0}" = 1 ]; then echo "kept $JP_TMP" >&2; else rm -rf "$JP_TMP"; fi
  return "$rc"
}

# ---------- measurement helpers ----------

# jp_ping NS DEST COUNT INTERVAL [PING_ARGS...] -> "loss_pct min avg max mdev" (ms); rc of ping.
jp_ping() {
  local ns=$1 dst=$2 n=${3:-5} i=${4:-0.2} out rc loss rtt
  shift 4
  out=$(ip netns exec "$ns" timeout "$(awk -v n="$n" -v i="$i" 'BEGIN{printf "%d", n*i + 15}')" \
        ping -n -q -c "$n" -i "$i" -W 3 "$@" "$dst" 2>&1); rc=$?
  loss=$(printf '%s\n' "$out" | grep -o '[0-9.]*% packet loss' | cut -d% -f1)
  rtt=$(printf '%s\n' "$out" | sed -n 's#.*= \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\) ms.*#\1 \2 \3 \4#p')
  printf '%s %s\n' "${loss:-100}" "${rtt:--- -- -- --}"
  return "$rc"
}

# jp_wg_field NS IFNAME PEERPUB FIELD -> value from `wg show IF dump` (peer line). Fields:
# psk endpoint allowed handshake rx tx keepalive
jp_wg_field() {
  local ns=$1 ifn=$2 pub=$3 f=$4 col
  case "$f" in psk) col=2;; endpoint) col=3;; allowed) col=4;; handshake) col=5;; rx) col=6;;
    tx) col=7;; keepalive) col=8;; *) return 1;; esac
  ip netns exec "$ns" wg show "$ifn" dump 2>/dev/null | awk -F'\t' -v p="$pub" -v c="$col" 'NR>1 && $1==p {print $c}'
}

# jp_cpu_ticks PID -> utime+stime of the whole process (clock ticks).
jp_cpu_ticks() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  # fields after "pid (comm) " - comm may contain spaces: utime and stime are the 12th and 13th
  printf '%s\n' "${st##*) }" | awk '{print $12 + $13}'
}

# jp_apt_ensure PKG...: apt-get install the packages that are missing (Debian).
jp_apt_ensure() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "missing packages ${missing[*]} and no apt-get" >&2; return 1; }
  jp_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# jp_build_jwg_if_needed: builds the dataplane module (and the jwg launcher's jar) when no jar
# exists or a source file is newer than it. JWG_BUILD=0 skips, JWG_BUILD=1 forces.
jp_build_jwg_if_needed() {
  local jar need=${JWG_BUILD:-auto}
  [ "$need" = 0 ] && return 0
  [ -f "$JP_REPO/dataplane/pom.xml" ] || { echo "no dataplane module in $JP_REPO" >&2; return 1; }
  if [ "$need" = auto ]; then
    jar=$(ls -t "$JP_REPO"/dataplane/target/*.jar 2>/dev/null | head -1)
    if [ -n "$jar" ] && [ -z "$(find "$JP_REPO"/dataplane/src "$JP_REPO"/bindings/src "$JP_REPO"/crypto-simd/src \
          -newer "$jar" -type f 2>/dev/null | head -1)" ]; then return 0; fi
  fi
  jp_log "building jwg (scripts/mvn25 -B -q -pl dataplane -am package -DskipTests)"
  ( cd "$JP_REPO" && timeout 900 scripts/mvn25 -B -q -pl dataplane -am package -DskipTests )
}

# jp_wait_tcp_listen NS PORT [SECONDS]: wait until something listens on TCP PORT in NS.
jp_wait_tcp_listen() {
  local ns=$1 port=$2 t=$(( ${3:-5} * 10 ))
  while [ "$t" -gt 0 ]; do
    ip netns exec "$ns" ss -ltnH "sport = :$port" 2>/dev/null | grep -q . && return 0
    sleep 0.1; t=$((t - 1))
  done
  return 1
}

# jp_descendants PID -> all descendant PIDs (children first found, breadth first).
jp_descendants() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { kids[$2] = kids[$2] " " $1 }
    END { q[1] = root; n = 1; i = 1
          while (i <= n) { split(kids[q[i]], k, " "); for (j in k) { q[++n] = k[j]; print k[j] } i++ } }'
}
