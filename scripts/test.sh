#!/usr/bin/env bash
# The README's test command: builds every module and runs every test (unit, layout, KAT,
# differential, and - as root - the namespace/TUN/io_uring/interop tests, which skip when not root).
# Usage: scripts/test.sh [extra maven args]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."
if [ ! -d ../shared/vectors ]; then
  echo "test.sh: ../shared/vectors is missing (the test vectors live beside the checkout)" >&2
  exit 1
fi
"$here/mvn25" -B -ntp verify "$@"
