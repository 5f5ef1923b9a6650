#!/usr/bin/env bash
# Installs what ZOLab needs on a Debian/Ubuntu machine, idempotently: the C libraries
# (Cairo, OpenBLAS), pkg-config, and gnuplot (optional second plot backend).
# Swift itself (6.x) must be on PATH; it is not an apt package.
set -euo pipefail

packages=(pkg-config libcairo2-dev libopenblas-dev fonts-dejavu-core gnuplot-nox)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null || true
  if ! $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; then
    # gnuplot is optional: retry without it before giving up.
    required=()
    for p in "${missing[@]}"; do [ "$p" = gnuplot-nox ] || required+=("$p"); done
    if ((${#required[@]})); then $SUDO apt-get install -y -qq "${required[@]}" >/dev/null; fi
    echo "setup: gnuplot not installed; the gnuplot backend will be skipped" >&2
  fi
fi

if ! command -v swift >/dev/null 2>&1; then
  for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH"
  done
fi
command -v swift >/dev/null 2>&1 || { echo "setup: swift (6.x) is not on PATH; install it from swift.org" >&2; exit 1; }
pkg-config --exists cairo openblas || { echo "setup: pkg-config cannot find cairo and openblas" >&2; exit 1; }
