#!/usr/bin/env bash
# Builds promtool -- Prometheus's own rule checker and rule unit-test runner -- from Prometheus's Go module
# (github.com/prometheus/prometheus/cmd/promtool at the version in ./prometheus-version), the way
# src/test/kube/build-control-plane.sh builds the control plane.
#
#   bash src/test/prometheus/build-promtool.sh       # prints the path of the promtool binary
#
# The binary lands in $OUT/<version>-linux-<arch>/promtool and is reused when there. The Go build takes the machine's
# build lock (/tmp/mixtask-build.lock) when flock exists and the caller does not hold it already. Maven runs it before the tests (skip with -Dpromtool.skip).
# Without Go, or when the build fails, it says so in one line and exits 0, and PrometheusRuleTest skips -- unless
# MIXTASK_REQUIRE_CONTROL_PLANE=true (CI), where it fails.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../lib.sh"
SCRIPT=build-promtool
SKIPS="the promtool rule tests will skip"
PROM_MODULE_VERSION="${PROM_MODULE_VERSION:-$(cat "$HERE/prometheus-version")}"  # module v0.3MM.P = Prometheus v3.MM.P
OUT="${PROMTOOL_DIR:-$HOME/.cache/mixtask-operator/prometheus}"
GOARCH_="$(go env GOARCH 2>/dev/null || echo amd64)"
BIN="$OUT/${PROM_MODULE_VERSION}-linux-${GOARCH_}"

if [ -x "$BIN/promtool" ]; then echo "$BIN/promtool"; exit 0; fi
build_in_child "building promtool v${PROM_MODULE_VERSION} failed (see above)" "$@"

started=$(date +%s)
mkdir -p "$BIN"
# Prometheus v3.MM.P is tagged both v3.MM.P and (its Go module) v0.3MM.P.
MINOR="${PROM_MODULE_VERSION#0.}"; MINOR="${MINOR%%.*}"; PATCH="${PROM_MODULE_VERSION##*.}"
APP_VERSION="$(( MINOR / 100 )).$(( MINOR % 100 )).${PATCH}"
ldflags="-s -w -X github.com/prometheus/common/version.Version=${APP_VERSION}"
ldflags+=" -X github.com/prometheus/common/version.Revision=v${PROM_MODULE_VERSION}"
ldflags+=" -X github.com/prometheus/common/version.Branch=HEAD"
# One heavy build at a time on a shared machine; not again when the caller already holds the lock (MIXTASK_BUILD_LOCKED,
# set by a Maven wrapper that took it: waiting for our own parent's lock would never end).
lock=()
if [ -z "${MIXTASK_BUILD_LOCKED:-}" ] && command -v flock >/dev/null; then lock=(flock /tmp/mixtask-build.lock); fi
echo "build-promtool: building promtool v${APP_VERSION} (module v${PROM_MODULE_VERSION}) ..." >&2
# GOBIN + go install of module@version: the module's own go.mod and go.sum, nothing resolved here (no replace there).
rm -rf "$BIN/.gobin"
CGO_ENABLED=0 GOBIN="$BIN/.gobin" "${lock[@]}" go install -trimpath -ldflags "$ldflags" \
  "github.com/prometheus/prometheus/cmd/promtool@v${PROM_MODULE_VERSION}"
# Moved into place only when complete, so an interrupted build is never "found".
mv "$BIN/.gobin/promtool" "$BIN/promtool"
rm -rf "$BIN/.gobin"
"$BIN/promtool" --version >&2
echo "build-promtool: built promtool in $(( $(date +%s) - started )) s into $BIN" >&2
echo "$BIN/promtool"
