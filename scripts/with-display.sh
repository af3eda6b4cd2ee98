#!/usr/bin/env bash
# Runs a command with an X display: as is when DISPLAY is set, else under `xvfb-run -a`, so the
# headless-GL backend gets a GL context. Without either, the command runs anyway and the GL
# tests fail loudly (they assert which kernel ran) rather than pass on a fallback.
set -euo pipefail
if [[ -z "${DISPLAY:-}" ]] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
fi
exec "$@"
