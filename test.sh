#!/usr/bin/env bash
# Runs every check and test of the repository from a clean clone (needs the .NET 10 SDK and Node.js/npm;
# tools come from the repo's own manifests). Results: TestResults/*.trx, TestResults/swagger-ui.png.
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

dotnet build ProxmoxLxc.sln --configuration Release -warnaserror
dotnet test ProxmoxLxc.sln --configuration Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory TestResults

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
