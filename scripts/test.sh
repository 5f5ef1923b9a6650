#!/usr/bin/env bash
# The test command: installs what is missing, then runs the whole test suite and the quick
# theory-verification suite (fixed seeds; exits non-zero if an experiment fails or a negative
# control is not refuted — a refuted claim is a finding, not a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build
swift build -c release --product zolab
.build/release/zolab verify --quick --out out/verify-ci --pages out/verify-ci/pages
