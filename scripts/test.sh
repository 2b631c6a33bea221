#!/usr/bin/env bash
# The README's test command: builds every module and runs every test.
#   1. Maven: unit, KAT/Wycheproof, differential, layout-vs-gcc tests, and (as root) the
#      namespace/TUN/io_uring/wg-tool tests, which skip themselves when not root.
#   2. As root: the interop suite, jwg against wireguard-go in network namespaces, jwg as
#      initiator and as responder (perf-lab/interop/run.sh). Set JWG_SKIP_INTEROP=1 to skip it;
#      INTEROP_SCENARIOS="handshake ping4 ..." to run a subset.
# Usage: scripts/test.sh [extra maven args]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."
if [ ! -d ../shared/vectors ]; then
  echo "test.sh: ../shared/vectors is missing (the test vectors live beside the checkout)" >&2
  exit 1
fi
"$here/mvn25" -B -ntp verify "$@"

if [ "${JWG_SKIP_INTEROP:-0}" = 1 ]; then
  echo "test.sh: interop suite skipped (JWG_SKIP_INTEROP=1)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: interop suite skipped: it needs root (network namespaces, TUN)"
  exit 0
fi
for tool in wg wg-quick wireguard-go iperf3 python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "test.sh: interop suite needs $tool (apt-get install wireguard-tools wireguard-go iperf3 python3)" >&2
    exit 1
  fi
done
A=jwg B=wireguard-go ROLES=both SUITE_TIMEOUT="${INTEROP_TIMEOUT:-2400}" \
  SCENARIOS="${INTEROP_SCENARIOS:-}" perf-lab/interop/run.sh
