# What the example scripts share; each one sources it first:
#   source "$(dirname "$0")/common.sh"
# It finds ipcat ($IPCAT, else the one on PATH), moves into a private temporary directory that
# is removed at exit, stops every background job at exit, and gives label and wait_for.
set -euo pipefail

ipcat=${IPCAT:-ipcat}
if [[ $ipcat == */* ]]; then ipcat=$(realpath "$ipcat"); fi # we cd below
command -v "$ipcat" >/dev/null || { echo "ipcat not found; set IPCAT=/path/to/ipcat" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ipcat-example.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"

# label NAME: prefix every line of stdin with "NAME: ".
label() { while IFS= read -r line; do printf '%s: %s\n' "$1" "$line"; done; }

# wait_for SECONDS COMMAND...: retry COMMAND every 50 ms until it succeeds.
wait_for() {
  local i
  for ((i = 0; i < $1 * 20; i++)); do
    "${@:2}" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "timed out waiting for: ${*:2}" >&2
  return 1
}
