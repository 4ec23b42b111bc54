#!/usr/bin/env bash
# Throughput / latency / memory benchmark of the real service (Kestrel, SQLite, operation log on) against the Proxmox
# emulator started standalone (tools/ProxmoxEmulator.Host), once with the 3 seed containers and once with 2,000.
# Per cluster size it measures the emulator directly (the floor: status/current), the API's status read at 1 and 32
# connections over 300 different containers and on one hot container, detail, list, batch status of 500, GET /keys
# and create+start with "Prefer: wait"; it prints req/s, p50/p99, the ratio to the floor, Proxmox calls per API call
# (from the emulator's request counter), the API's RSS, CPU time and managed allocation per request, plus the API's
# start-to-ready time (wall and CPU seconds: the median of three starts on a fresh database, and a restart on the
# database the rows used), and its memory again after 12 s idle (BENCH_SETTLE_SECONDS). Each row is measured after a
# warm-up at its own concurrency (bench/LoadGen).
#   bench/run.sh [seconds-per-row] [cluster sizes...]     e.g. bench/run.sh 3 3 2000
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-3}
shift || true
SIZES=("$@")
SETTLE_SECONDS=${BENCH_SETTLE_SECONDS:-12}
[ ${#SIZES[@]} -eq 0 ] && SIZES=(3 2000)
KEY="pxl_BenchAdmin01_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
TOKEN_ID='root@pam!ci'
TOKEN_SECRET='5f3c1a9e-8d2b-4c6f-9a7e-0b1d2c3e4f50'
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The API as deployed (Dockerfile): published ReadyToRun, without the bundled emulator.
PUBLISHED=$(mktemp -d)
dotnet publish src/WebApi/ProxmoxLxc.WebApi.csproj --configuration Release --output "$PUBLISHED" -p:UseAppHost=false \
  --runtime linux-x64 --self-contained false -p:PublishReadyToRun=true -v quiet -nologo >/dev/null
dotnet build tools/ProxmoxEmulator.Host --configuration Release -v quiet -nologo >/dev/null
dotnet build bench/LoadGen --configuration Release -v quiet -nologo >/dev/null

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The API's resident memory now: total, anonymous (GC heap, native heaps, stacks) and file-backed (mapped assemblies).
api_memory() {
  awk '/^Rss/{r=$2} /^Anonymous/{a=$2} END{printf "RSS %.0f MiB = anonymous %.0f + file-mapped and shared %.0f", r/1024, a/1024, (r-a)/1024}' "/proc/$SERVER/smaps_rollup"
}

# Starts the API on $DB against the emulator on $EPORT; sets SERVER, READY (wall seconds to /health/ready) and READY_CPU.
start_api() {
  local t0
  t0=$(date +%s.%N)
  # Production: the pipeline a deployment runs (no developer exception page); the emulator is the external one. The
  # content root is the published folder, as in the image (WORKDIR /app): its appsettings.json, and no file watcher over
  # the whole repository.
  ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Default="Data Source=$DB" \
  Bootstrap__AdminKey="$KEY" \
  Proxmox__Emulator__Enabled=false \
  Proxmox__BaseUrl="https://127.0.0.1:$EPORT" \
  Proxmox__TokenId="$TOKEN_ID" \
  Proxmox__TokenSecret="$TOKEN_SECRET" \
  Proxmox__CertificateFingerprint="$FINGERPRINT" \
  RateLimiting__PermitsPerMinute=0 \
  Logging__LogLevel__Default=Warning \
    dotnet "$PUBLISHED/ProxmoxLxc.WebApi.dll" --urls "http://127.0.0.1:$APORT" --contentRoot "$PUBLISHED" >/dev/null 2>&1 &
  SERVER=$!
  PIDS+=("$SERVER")
  for _ in $(seq 1 1000); do curl -sf "http://127.0.0.1:$APORT/health/ready" >/dev/null && break; sleep 0.02; done
  # The clock is read the moment the probe succeeds: a python3 started here to subtract took 0.17-0.21 s to come up,
  # and until 2026-11-30 12:00 UTC that was counted as start-up.
  local t1
  t1=$(date +%s.%N)
  READY=$(awk -v from="$t0" -v to="$t1" 'BEGIN { printf "%.2f", to - from }')
  # CPU seconds (user + system) the API used to get there: a proxy for start-up cost that a busy machine does not inflate.
  READY_CPU=$(awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$SERVER/stat")
}

echo "ProxmoxLxc benchmark: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, ${SECONDS_PER}s per row, $(date -u +%FT%TZ), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for SIZE in "${SIZES[@]}"; do
  EPORT=$(free_port)
  APORT=$(free_port)
  GENERATED=$((SIZE > 3 ? SIZE - 3 : 0))
  Emulator__GeneratedContainers=$GENERATED \
  Emulator__DefaultTaskDuration=00:00:00.050 \
  Emulator__TaskDurations__vzcreate=00:00:00.100 \
  Emulator__TaskDurations__vzstart=00:00:00.100 \
  Emulator__TaskDurations__vzclone=00:00:00.100 \
  Emulator__TaskDurations__vzstop=00:00:00.050 \
  Emulator__TaskDurations__vzdestroy=00:00:00.050 \
  Logging__LogLevel__Default=Warning \
    dotnet tools/ProxmoxEmulator.Host/bin/Release/net10.0/ProxmoxEmulator.Host.dll --urls "https://127.0.0.1:$EPORT" >/dev/null 2>&1 &
  EMU=$!
  PIDS+=("$EMU")
  for _ in $(seq 1 120); do curl -skf "https://127.0.0.1:$EPORT/_emulator/info" >/dev/null && break; sleep 0.25; done
  FINGERPRINT=$(curl -sk "https://127.0.0.1:$EPORT/_emulator/info" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["fingerprint"])')

  # Start to ready, as the median of three starts on a fresh SQLite file (each applies the migrations and creates the
  # bootstrap key); the third instance serves the rows. A restart on the same file is timed after the rows.
  STARTS=()
  for ATTEMPT in 1 2 3; do
    [ "$ATTEMPT" -gt 1 ] && { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }
    DB=$(mktemp -d)/bench.db
    start_api
    STARTS+=("$READY $READY_CPU")
  done
  START_SUMMARY=$(printf '%s\n' "${STARTS[@]}" | sort -n | awk '{w[NR]=$1; c[NR]=$2} END{printf "median %s s wall, %s s CPU (wall %s / %s / %s)", w[2], c[2], w[1], w[2], w[3]}')

  if [ "$SIZE" -gt 3 ]; then SPREAD=1000-1299; BATCH=1000-1499; HOT=1000; else SPREAD=100-102; BATCH=100-599; HOT=100; fi
  IDS=$(python3 -c "a,b=map(int,'$BATCH'.split('-')); print('&'.join(f'vmid={i}' for i in range(a,b+1)))")
  echo
  echo "== $SIZE containers (status rows rotate over vmids $SPREAD); API start to ready, fresh database: $START_SUMMARY; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet bench/LoadGen/bin/Release/net10.0/ProxmoxLxc.Bench.LoadGen.dll \
    "http://127.0.0.1:$APORT" "$KEY" "$SERVER" "https://127.0.0.1:$EPORT" "$TOKEN_ID=$TOKEN_SECRET" "$FINGERPRINT" "$SECONDS_PER" \
    "floor status/current 1 conn|emu|1|/api2/json/nodes/{node}/lxc/{vmid}/status/current|$SPREAD" \
    "API status 1 conn|api|1|/api/v1/containers/{vmid}/status|$SPREAD" \
    "floor status/current 32 conns|emu|32|/api2/json/nodes/{node}/lxc/{vmid}/status/current|$SPREAD" \
    "API status 32 conns|api|32|/api/v1/containers/{vmid}/status|$SPREAD" \
    "API status hot container|api|32|/api/v1/containers/$HOT/status" \
    "API detail|api|8|/api/v1/containers/{vmid}|$SPREAD" \
    "API detail 1 conn|api|1|/api/v1/containers/{vmid}|$SPREAD" \
    "API list (limit 100)|api|8|/api/v1/containers" \
    "API batch status 500|api|8|/api/v1/containers/status?$IDS" \
    "API batch status 500 1 conn|api|1|/api/v1/containers/status?$IDS" \
    "API GET /keys|api|8|/api/v1/keys" \
    "API create+start Prefer: wait|api|4|create"
  echo "API memory after the run: $(api_memory); $(grep -o '[^/]*\.dll$' /proc/$SERVER/maps | sort -u | wc -l) assemblies mapped"
  # The same process idle for a while: the target reads "after the benchmark", and a service's steady memory is what
  # it holds once a load has passed (the native-heap trimmer runs every 10 s; the GC decommits what it no longer needs).
  sleep "$SETTLE_SECONDS"
  echo "API memory ${SETTLE_SECONDS} s later, idle: $(api_memory)"
  if [ -n "${BENCH_MAPS:-}" ]; then grep -o '[^/]*\.dll$' /proc/$SERVER/maps | sort -u > "$BENCH_MAPS.$SIZE"; cp "/proc/$SERVER/smaps" "$BENCH_MAPS.$SIZE.smaps"; fi
  echo "emulator RSS after the run: $(awk '/VmRSS/{printf "%.0f MiB", $2/1024}' /proc/$EMU/status)"
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  start_api
  echo "API restart to ready on the same database: ${READY} s wall, ${READY_CPU} s CPU"
  kill "$SERVER" "$EMU" 2>/dev/null || true
  wait "$SERVER" "$EMU" 2>/dev/null || true
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
