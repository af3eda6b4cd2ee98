#!/usr/bin/env bash
# Runs this package's tests with an X display, which headless-gl needs for a GL context:
# as is when DISPLAY is set, else under `xvfb-run -a` when it exists. Without either the tests
# still run, and every GL test FAILS with a BackendError saying what is missing (they never
# skip, and never pass on gpu.js's CPU fallback). Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
vitest=(vitest)
if ! command -v vitest >/dev/null 2>&1; then
  if [[ -x node_modules/.bin/vitest ]]; then vitest=(node_modules/.bin/vitest); else vitest=(npx vitest); fi
fi
if [[ -z "${DISPLAY:-}" ]] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "${vitest[@]}" run "$@"
fi
if [[ -z "${DISPLAY:-}" ]]; then
  echo "scripts/test.sh: no DISPLAY and no xvfb-run (apt-get install xvfb): the GL tests will fail" >&2
fi
exec "${vitest[@]}" run "$@"
