#!/usr/bin/env bash
# Runs every check and test of the repository from a clean clone (needs only the .NET 10 SDK;
# tools come from the repo's own manifests). Results: TestResults/*.trx.
set -euo pipefail
cd "$(dirname "$0")"

rm -rf TestResults
dotnet tool restore
dotnet build ProxmoxLxc.sln --configuration Release -warnaserror
dotnet test ProxmoxLxc.sln --configuration Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory TestResults
