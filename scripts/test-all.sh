#!/usr/bin/env bash
# Every test of the repository, as the README's second command and CI run it: build, type
# checks, every package's unit tests (the conformance suite against every backend included),
# lint, what ships (publint, are-the-types-wrong), then the conformance command on every backend
# against the shipped PyTorch fixtures. GL needs a display: the whole run sits under Xvfb when
# no DISPLAY is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
fixtures=${RNNKIT_FIXTURES:-../shared/conformance/fixtures}

run() {
  echo "==> $*"
  "$@"
}

run pnpm exec turbo run build typecheck test lint:package --output-logs=new-only --concurrency=2
run pnpm exec biome check .
run pnpm conformance --backend cpu --fixtures "$fixtures" --dtype float64
for backend in cpu wasm gpujs; do
  run pnpm conformance --backend "$backend" --fixtures "$fixtures" --dtype float32
done
