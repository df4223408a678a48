# Shared by the bench scripts (sourced): waiting for a listener without racing a loaded machine.
# The CI machine runs the benchmarks' smoke tests next to an image build, so a peer may take
# several seconds to start; the waits are generous and end as soon as the condition holds.

# wait_until SECONDS COMMAND...: runs COMMAND every 20 ms until it succeeds; false when it has
# not after SECONDS (bench scripts wait 30: long enough for a loaded machine, short enough that a
# peer that never starts is reported rather than hung on).
wait_until() {
  local deadline=$((SECONDS + $1 + 1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.02
  done
}
