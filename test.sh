#!/usr/bin/env bash
# Runs every check and test of the repository from a clean clone (needs the .NET 10 SDK and Node.js/npm;
# tools come from the repo's own manifests). Results: TestResults/*.trx, TestResults/swagger-ui.png.
# The database tests run on SQLite and PostgreSQL: a throwaway PostgreSQL cluster (scripts/with-postgres.sh)
# lives for the duration of the test run, and so does a throwaway Redis (scripts/with-redis.sh) for the shared
# rate limits.
set -euo pipefail
cd "$(dirname "$0")"

rm -rf TestResults
dotnet tool restore

# Node tooling pinned by package-lock.json: Spectral (OpenAPI lint) and playwright-core (drives Debian's Chromium).
npm ci --no-audit --no-fund
npx spectral lint src/WebApi/openapi/v1.json --fail-severity error

# The Swagger UI browser test uses Debian's Chromium (never a downloaded browser).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ]; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y chromium || (apt-get update && apt-get install -y chromium)) >/dev/null
fi

# PostgreSQL for the provider matrix: Debian's server binaries (not its cluster service; with-postgres.sh runs its own).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y postgresql || (apt-get update && apt-get install -y postgresql)) >/dev/null
fi

# Redis for the shared rate-limit tests: Debian's redis-server binary (not its service; with-redis.sh runs its own).
if ! command -v redis-server >/dev/null && [ "$(id -u)" = "0" ]; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y redis-server || (apt-get update && apt-get install -y redis-server)) >/dev/null
fi

dotnet build ProxmoxLxc.sln --configuration Release -warnaserror
# The fault suite runs the built service and the emulator as child processes and kills them on purpose: it runs on
# its own after the in-process suites, so neither shares the 2 cores with the other's timing-sensitive work.
status=0
scripts/with-postgres.sh scripts/with-redis.sh dotnet test ProxmoxLxc.sln --configuration Release --no-build \
  --filter "FullyQualifiedName!~ProxmoxLxc.Faults.Tests" \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory TestResults || status=$?
dotnet test tests/Faults.Tests --configuration Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory TestResults || status=$?
if [ "$status" -ne 0 ]; then exit "$status"; fi

# The production output (dotnet publish, as in the Dockerfile) must not carry the bundled Proxmox emulator: the
# WebApi project references it only outside publish (BundleEmulator). Built in a throwaway artifacts folder so the
# tree's bin/obj stay as the tests built them.
publish_root="$(mktemp -d)"
trap 'rm -rf "$publish_root"' EXIT
dotnet publish src/WebApi/ProxmoxLxc.WebApi.csproj --configuration Release -warnaserror \
  --artifacts-path "$publish_root/artifacts" --output "$publish_root/app" >/dev/null
if find "$publish_root/app" -iname '*ProxmoxEmulator*' | grep -q .; then
  echo "dotnet publish output contains the Proxmox emulator:" >&2
  find "$publish_root/app" -iname '*ProxmoxEmulator*' >&2
  exit 1
fi
test -f "$publish_root/app/ProxmoxLxc.WebApi.dll"
echo "publish output: no ProxmoxEmulator assembly"
