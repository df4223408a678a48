#!/usr/bin/env bash
# The cross-container demo of compose.yaml runs as written: `podman-compose up` starts the four
# services (a UUID producer on a Unix socket in a shared volume and its consumer; a v7 producer
# on TCP across the compose network and its client), both consumers print valid UUIDs within
# a few seconds, and `podman-compose down -v` removes the containers and the volume.
# podman-compose drives podman with the settings of ../shared/tools/podman-local (no Docker
# engine here). The image is the one e2e.container.demo builds, ipcat:test (a cache hit when
# the sources are unchanged), tagged `ipcat` as compose.yaml names it; IPCAT_DEMO_IMAGE=NAME
# uses an image already built instead.
source "$(dirname "$0")/../e2e/common.sh"
need podman-compose
# shellcheck source=tests/container/podman_local.bash
source "$(dirname "$0")/podman_local.bash"
# podman-local installs podman on first use and writes its configuration; podman-compose then
# needs the same configuration to find the images and run the containers alike.
"$pl" image exists docker.io/library/debian:bookworm-slim ||
  fail "podman-local could not set up its base image"
W=${PODMAN_LOCAL_DIR:-/tmp/podman-local}
export CONTAINERS_CONF=$W/containers.conf CONTAINERS_STORAGE_CONF=$W/storage.conf

project=ipcat-demo-$$
compose=(podman-compose -p "$project" -f "$IPCAT_SOURCE_DIR/compose.yaml")
down() {
  timeout 120 "${compose[@]}" down -v >down.log 2>&1 || true
  # podman-compose 1.0 leaves the project's network behind.
  podman network rm -f "${project}_default" >/dev/null 2>&1 || true
}
trap 'rc=$?; down; (exit $rc); _cleanup' EXIT

start=$SECONDS
if [[ -n ${IPCAT_DEMO_IMAGE:-} ]]; then
  podman tag "$IPCAT_DEMO_IMAGE" ipcat || fail "no image $IPCAT_DEMO_IMAGE to tag as ipcat"
else
  "$pl" build --pull=never -t ipcat:test -t ipcat "$IPCAT_SOURCE_DIR" >build.log 2>&1 || {
    tail -60 build.log >&2
    fail "image build failed"
  }
fi
echo "image ready in $((SECONDS - start)) s"

timeout 300 "${compose[@]}" up -d >up.log 2>&1 || {
  tail -40 up.log >&2
  fail "podman-compose up failed"
}
# A UUID a second on each path: after a few seconds each consumer has printed some.
for service in consumer tcp-client; do
  deadline=$((SECONDS + 30))
  while :; do
    timeout 60 "${compose[@]}" logs "$service" >"$service.log" 2>/dev/null || true
    grep -E '^[0-9a-f]{8}-' "$service.log" >"$service.uuids" || true
    (($(wc -l <"$service.uuids") >= 3)) && break
    ((SECONDS < deadline)) || fail "$service printed fewer than 3 UUIDs in 30 s: $(show "$service.log")"
    sleep 1
  done
  is_uuid_lines "$service.uuids" || fail "$service printed something that is not a UUID: $(head -3 "$service.uuids")"
  echo "$service: $(wc -l <"$service.uuids") UUIDs, first $(head -1 "$service.uuids")"
done
# The TCP path carries v7 UUIDs (the tcp-server's --uuid=v7), the Unix one v4.
grep -qvE '^.{14}7' tcp-client.uuids && fail "tcp-client printed a UUID that is not v7: $(head -3 tcp-client.uuids)"
grep -qvE '^.{14}4' consumer.uuids && fail "consumer printed a UUID that is not v4: $(head -3 consumer.uuids)"

down
left=$(podman ps -a -q --filter "label=io.podman.compose.project=$project" | wc -l)
assert_eq 0 "$left" "containers of the demo left after down -v"
! podman volume exists "${project}_ipc" || fail "the demo's volume is left after down -v"
echo "compose demo done in $((SECONDS - start)) s"
