#!/usr/bin/env bash
# Runs a command with a throwaway Redis server and PROXMOXLXC_TEST_REDIS pointing at it, e.g.
#   scripts/with-redis.sh dotnet test tests/WebApi.FunctionalTests --configuration Release
# The server listens on 127.0.0.1 on a free port, keeps nothing on disk (no RDB snapshots, no AOF; its working
# folder is a temporary one) and is stopped and the folder deleted when the command ends, whatever its outcome.
# The tests isolate themselves by key prefix. Needs redis-server (Debian: apt-get install redis-server; ./test.sh
# installs it when it runs as root). When PROXMOXLXC_TEST_REDIS is already set, the command runs against that server.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ -n "${PROXMOXLXC_TEST_REDIS:-}" ]; then
  exec "$@"
fi

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "redis-server not found: install it (Debian: apt-get install redis-server) or set PROXMOXLXC_TEST_REDIS." >&2
  exit 1
fi

folder=$(mktemp -d /tmp/proxmoxlxc-redis.XXXXXX)
pid=""
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$folder"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free port: probe a few random ones; if another process wins the race the server exits and we try the next.
port=""
for _ in 1 2 3 4 5 6 7 8; do
  candidate=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    continue # something listens there
  fi
  redis-server --port "$candidate" --bind 127.0.0.1 --dir "$folder" --save "" --appendonly no \
    --daemonize no --logfile "$folder/server.log" &
  pid=$!
  for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p "$candidate" ping 2>/dev/null | grep -q PONG; then
      port=$candidate
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  if [ -n "$port" ]; then
    break
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
done
if [ -z "$port" ]; then
  echo "Could not start Redis:" >&2
  cat "$folder/server.log" >&2 || true
  exit 1
fi

export PROXMOXLXC_TEST_REDIS="127.0.0.1:$port"
echo "Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') for the tests on 127.0.0.1:$port (folder $folder)"

status=0
"$@" || status=$?
exit $status
