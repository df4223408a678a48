#!/usr/bin/env bash
# A Unix-socket-to-TCP bridge: clients that speak only Unix sockets reach a TCP service.
# The service upper-cases what it gets (a `tr` child per client); the bridge listens on
# bridge.sock and opens a TCP connection to the service for every client (-k: many clients).
source "$(dirname "$0")/common.sh"

# Port 0: the kernel picks a free port, and -v tells which one.
"$ipcat" -lv -k 127.0.0.1 0 -c 'tr a-z A-Z' 2>service.log &
service=$!
wait_for 5 grep -q '^Listening on ' service.log
port=$(grep -m1 '^Listening on ' service.log)
port=${port##*:}
echo "service: tr a-z A-Z for every client on tcp:127.0.0.1:$port"

"$ipcat" -v -k unix-listen:bridge.sock "tcp:127.0.0.1:$port" 2>bridge.log &
bridge=$!
wait_for 5 test -S bridge.sock
echo "bridge: unix-listen:bridge.sock -> tcp:127.0.0.1:$port"

for text in hello 'hello again'; do
  echo "client: sends '$text' to bridge.sock"
  printf '%s\n' "$text" | timeout 5 "$ipcat" -U bridge.sock | label client
done

kill "$bridge" "$service"
wait "$bridge" "$service" || true # 143: stopped by SIGTERM, as intended
label bridge <bridge.log
label service <service.log
if [[ -e bridge.sock ]]; then state="left behind"; else state="removed"; fi
echo "bridge: socket file bridge.sock $state on exit"
