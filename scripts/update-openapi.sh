#!/usr/bin/env bash
# Regenerates the committed OpenAPI document (src/WebApi/openapi/v1.json) from the running code: runs the drift
# test with UPDATE_OPENAPI=1 (an in-memory test host; no files or databases besides the test's temp SQLite file),
# then lints it. Review and commit the diff; the generated client (src/Client) follows at its next build.
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATE_OPENAPI=1 dotnet test tests/WebApi.FunctionalTests --filter "FullyQualifiedName~OpenApiDocumentTests" --logger "console;verbosity=minimal"
if [ -d node_modules/@stoplight/spectral-cli ]; then
  npx spectral lint src/WebApi/openapi/v1.json --fail-severity error
fi
git --no-pager diff --stat -- src/WebApi/openapi/v1.json
