#!/usr/bin/env bash
# Throughput / latency / memory benchmark of the real service (Kestrel, SQLite, bundled emulator).
# Prints a table; figures go into docs/benchmarks.md by hand with the date and machine.
#   bench/run.sh [seconds-per-endpoint] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-10}
CONCURRENCY=${2:-16}
KEY="pxl_BenchAdmin01_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB=$(mktemp -d)/bench.db

dotnet build src/WebApi --configuration Release -v quiet -nologo >/dev/null
dotnet build bench/LoadGen --configuration Release -v quiet -nologo >/dev/null

ASPNETCORE_ENVIRONMENT=Development \
ConnectionStrings__Default="Data Source=$DB" \
Bootstrap__AdminKey="$KEY" \
Proxmox__Emulator__Enabled=true \
RateLimiting__PermitsPerMinute=0 \
Logging__LogLevel__Default=Warning \
  dotnet src/WebApi/bin/Release/net10.0/ProxmoxLxc.WebApi.dll --urls "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

IDS=$(python3 -c 'print("&".join(f"vmid={i}" for i in range(100, 600)))')
echo "ProxmoxLxc benchmark: $(nproc) cores, ${SECONDS_PER}s per endpoint, $CONCURRENCY concurrent clients, $(date -u +%FT%TZ)"
dotnet bench/LoadGen/bin/Release/net10.0/ProxmoxLxc.Bench.LoadGen.dll "http://127.0.0.1:$PORT" "$KEY" "$SERVER" "$SECONDS_PER" "$CONCURRENCY" \
  /health/live \
  /api/v1/keys \
  "/api/v1/operations?limit=50" \
  /api/v1/containers \
  /api/v1/containers/100 \
  "/api/v1/containers/status?$IDS"
