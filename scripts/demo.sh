#!/usr/bin/env bash
# The main job: installs what is missing, builds ZOLab in release mode and runs the demo
# (`zolab demo --out out/demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product zolab
.build/release/zolab demo --out out/demo "$@"
