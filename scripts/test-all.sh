#!/usr/bin/env bash
# Every test of the repository, as the README's second command and CI run it: build, type
# checks, every package's unit tests (the conformance suite against every backend included),
# lint (biome, then the layering and import-cycle rules of .dependency-cruiser.cjs with their
# own test; the source-style check: every file opens with a comment, no function over 150
# lines), the changeset check (scripts/check-changesets.mjs), the documentation site (pnpm run
# docs), what ships (publint, are-the-types-wrong), then the conformance command (the whole suite,
# with the PyTorch fixtures @rnnkit/conformance ships; $RNNKIT_FIXTURES adds a directory) on
# every backend, and a third-party backend installed from the packed tarballs with npm. GL
# needs a display: the whole run sits under Xvfb when no DISPLAY is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
extra_fixtures=()
if [[ -n "${RNNKIT_FIXTURES:-}" ]]; then extra_fixtures=(--fixtures "$RNNKIT_FIXTURES"); fi

run() {
  echo "==> $*"
  "$@"
}

run pnpm exec turbo run build typecheck test lint:package --output-logs=new-only --concurrency=2
run pnpm exec biome check .
run pnpm run lint:source
run pnpm run lint:deps
run node scripts/check-changesets.mjs
run pnpm run docs
for backend in cpu wasm gpujs; do
  run pnpm conformance --backend "$backend" "${extra_fixtures[@]}"
done
run pnpm --filter @rnnkit/conformance run test:install
