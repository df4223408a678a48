#!/usr/bin/env bash
# The container image builds (its build stage runs the interop tests), runs as a non-root user,
# and the producer/consumer demo works across two containers sharing a volume: a producer listening on a
# Unix socket in the volume, a consumer started with --retry that prints valid UUIDs.
# Uses ../shared/tools/podman-local (podman with a locally built debian:bookworm-slim), since no
# Docker engine runs on these machines.
source "$(dirname "$0")/../e2e/common.sh"
# shellcheck source=tests/container/podman_local.bash
source "$(dirname "$0")/podman_local.bash"
tag=ipcat:test
vol=ipcat-test-$$
prod=ipcat-producer-$$
trap 'rc=$?; "$pl" rm -f "$prod" >/dev/null 2>&1; "$pl" volume rm -f "$vol" >/dev/null 2>&1; (exit $rc); _cleanup' EXIT

start=$SECONDS
"$pl" build --pull=never -t "$tag" "$IPCAT_SOURCE_DIR" >build.log 2>&1 || {
  tail -60 build.log >&2
  fail "image build failed"
}
echo "image built in $((SECONDS - start)) s"

version=$("$pl" run --rm "$tag" --version)
[[ $version == "ipcat "* ]] || fail "ipcat --version in the image printed '$version'"
uid=$("$pl" run --rm --entrypoint id "$tag" -u)
[[ $uid != 0 ]] || fail "the image runs as root"

"$pl" volume create "$vol" >/dev/null
"$pl" run -d --name "$prod" -v "$vol:/run/ipcat" "$tag" \
  --uuid --interval 200ms --count 10 --echo -lU /run/ipcat/ipc.sock >/dev/null
timeout 120 "$pl" run --rm -v "$vol:/run/ipcat" "$tag" \
  --retry --retry-interval 200ms -U /run/ipcat/ipc.sock >consumer.out 2>consumer.err ||
  fail "consumer container failed: $(cat consumer.err)"
assert_eq 10 "$(wc -l <consumer.out)" "UUIDs the consumer printed"
is_uuid_lines consumer.out || fail "consumer printed something that is not a UUID: $(head -3 consumer.out)"

# The producer echoed what it sent: the same lines, in order.
wait_for 30 bash -c "[[ \$('$pl' inspect -f '{{.State.Status}}' '$prod') == exited ]]"
"$pl" logs "$prod" >producer.err 2>&1
grep -E '^[0-9a-f]{8}-' producer.err >producer.sent || true
assert_same_file producer.sent consumer.out
assert_eq 0 "$("$pl" inspect -f '{{.State.ExitCode}}' "$prod")" "producer's exit status"
echo "container test done in $((SECONDS - start)) s"
