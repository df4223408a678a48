#!/usr/bin/env bash
# Unnamed pipe: the shell connects ipcat's stdout to a consumer's stdin. With a generator and
# no destination, ipcat writes to stdout, so `ipcat --uuid --count 10` is the whole producer.
# Nothing touches the disk, so this one needs no temporary directory.
set -euo pipefail

ipcat=${IPCAT:-ipcat}
command -v "$ipcat" >/dev/null || { echo "ipcat not found; set IPCAT=/path/to/ipcat" >&2; exit 1; }

# The consumer prints a header, then each line as it arrives (it does not wait for the end).
consumer() {
  echo "consumer: data from the pipe"
  echo "consumer: -------------------"
  local line
  while IFS= read -r line; do
    echo "consumer: $line"
  done
}

"$ipcat" --uuid --count 10 | consumer
