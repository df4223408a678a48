# Sourced by the container scenarios after common.sh: sets pl to the podman wrapper that builds
# and runs images without a Docker engine (../shared/tools/podman-local beside the checkout),
# or skips the scenario when it is missing or cannot run here.
pl=$IPCAT_SOURCE_DIR/../shared/tools/podman-local
if [[ ! -x $pl ]]; then
  echo "SKIP: $pl not found (run from a checkout with shared/ beside it)" >&2
  exit 77
fi
if ((EUID != 0)); then
  echo "SKIP: podman-local needs root here" >&2
  exit 77
fi
