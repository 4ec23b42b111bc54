#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server and PROXMOXLXC_TEST_POSTGRES pointing at it, e.g.
#   scripts/with-postgres.sh dotnet test ProxmoxLxc.sln --configuration Release
# The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port, trusts local connections
# (user postgres) and is stopped and deleted when the command ends, whatever its outcome. The tests create
# (and drop) one database per fixture on it. Needs the PostgreSQL server binaries (Debian: apt-get install
# postgresql; ./test.sh installs them when it runs as root). When PROXMOXLXC_TEST_POSTGRES is already set,
# the command runs against that server instead.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ -n "${PROXMOXLXC_TEST_POSTGRES:-}" ]; then
  exec "$@"
fi

# Debian's packaged binaries (the package's own cluster service is not used), else whatever is on PATH.
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] && command -v initdb >/dev/null; then
  bin=$(dirname "$(command -v initdb)")
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql) or set PROXMOXLXC_TEST_POSTGRES." >&2
  exit 1
fi

# initdb refuses to run as root: then the cluster belongs to the postgres user, which must reach its folder.
as_owner=()
if [ "$(id -u)" = "0" ]; then
  as_owner=(runuser -u postgres --)
fi

folder=$(mktemp -d /tmp/proxmoxlxc-pg.XXXXXX)
chmod 755 "$folder"
if [ ${#as_owner[@]} -gt 0 ]; then
  chown postgres: "$folder"
fi
data="$folder/data"
log="$folder/server.log"

stop_server() {
  if [ -f "$data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_owner[@]}" "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale >"$folder/initdb.log" 2>&1 \
  || { cat "$folder/initdb.log" >&2; exit 1; }

# A free port: probe a few random ones; pg_ctl fails (and we try the next) if another process wins the race.
port=""
for _ in 1 2 3 4 5 6 7 8; do
  candidate=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    continue # something listens there
  fi
  # Durability is irrelevant for a throwaway cluster: fsync off makes CREATE DATABASE and commits cheap.
  if "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $candidate -k $folder -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    port=$candidate
    break
  fi
done
if [ -z "$port" ]; then
  echo "Could not start PostgreSQL:" >&2
  cat "$log" >&2 || true
  exit 1
fi

export PROXMOXLXC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port (folder $folder)"

status=0
"$@" || status=$?
exit $status
