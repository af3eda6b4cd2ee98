#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, as root (or through sudo):
# - a C++ toolchain, Mesa and X headers to build the native `gl` package for backend-gpujs;
# - Xvfb, so headless GL gets a display (Mesa llvmpipe renders in software);
# - Chromium, for the browser end-to-end tests (backend-gpujs, apps/playground), driven by playwright-core.
# Idempotent: returns at once when everything is present.
set -euo pipefail
packages=(build-essential python3 pkg-config libgl1-mesa-dev libglu1-mesa-dev libx11-dev
  libxext-dev libxi-dev libgl1-mesa-dri xvfb xauth chromium)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-system-deps: all packages present"
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-system-deps: installing ${missing[*]}"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system-deps: done"
