#!/usr/bin/env bash
# Builds the real Kubernetes control plane the tests run against -- kube-apiserver, kube-controller-manager,
# kubectl and etcd -- from Kubernetes' and etcd's own Go modules, the way envtest's binaries are built.
#
#   bash src/test/kube/build-control-plane.sh        # prints the directory to pass as KUBE_API_TEST_DIR
#
# Layout (what fabric8's kube-api-test expects): $OUT/k8s/<version>-linux-amd64/{etcd,kube-apiserver,...}.
# Binaries already there are reused; Go's module and build caches make a rebuild after a version bump cheap.
# Needs Go >= 1.24 (tool directives) and the Go module proxy; nothing else. Maven runs it before the tests
# (`./mvnw verify`; skip with -Dcontrol-plane.skip). Without Go, or when the build fails, it says so in one line and
# exits 0, and the tests that need the binaries skip -- unless MIXTASK_REQUIRE_CONTROL_PLANE=true (CI), where it fails.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../lib.sh"
SCRIPT=build-control-plane
SKIPS="the tests on a real kube-apiserver will skip"
K8S_VERSION="${K8S_VERSION:-$(cat "$HERE/kubernetes-version")}"
OUT="${KUBE_API_TEST_DIR:-$HOME/.cache/mixtask-operator/kube}"
GOARCH_="$(go env GOARCH 2>/dev/null || echo amd64)"
BIN="$OUT/k8s/${K8S_VERSION}-linux-${GOARCH_}"
TOOLS=(kube-apiserver kube-controller-manager kubectl etcd)

if have_all "$BIN" "${TOOLS[@]}"; then echo "$OUT"; exit 0; fi
build_in_child "building the control plane failed (see above)" "$@"

started=$(date +%s)
WORK="$OUT/src/${K8S_VERSION}"
mkdir -p "$WORK" "$BIN"
cd "$WORK"
MINOR="${K8S_VERSION#*.}"; MINOR="${MINOR%%.*}"
STAGING="0.${K8S_VERSION#*.}"   # k8s.io/kubernetes v1.M.P <-> staging modules v0.M.P

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local paths, which Go
# ignores in a dependency: read the staging list from the go.mod the proxy serves and pin each one.
go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" > kubernetes.json
K8S_GOMOD="$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' kubernetes.json)"
ETCD_VERSION="$(awk '$1=="go.etcd.io/etcd/server/v3"{print $2}' "$K8S_GOMOD")"
{
  echo "module streammix.io/control-plane"
  echo
  echo "go $(go_language_version)"
  echo
  echo "require ("
  echo "	k8s.io/kubernetes v${K8S_VERSION}"
  echo "	go.etcd.io/etcd/server/v3 ${ETCD_VERSION}"
  echo ")"
  echo
  echo "replace ("
  awk '/^replace \(/{r=1;next} r&&/^\)/{r=0} r&&$1 ~ /^k8s.io\// && $3 ~ /^\.\/staging/ {print $1}' "$K8S_GOMOD" |
    while read -r m; do echo "	$m => $m v${STAGING}"; done
  echo ")"
  echo
  echo "tool ("
  echo "	k8s.io/kubernetes/cmd/kube-apiserver"
  echo "	k8s.io/kubernetes/cmd/kube-controller-manager"
  echo "	k8s.io/kubernetes/cmd/kubectl"
  echo "	go.etcd.io/etcd/server/v3"
  echo ")"
} > go.mod
printf 'package controlplane\n' > doc.go
GOFLAGS=-mod=mod go mod tidy

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v${K8S_VERSION} -X $pkg.gitMajor=1 -X $pkg.gitMinor=${MINOR}"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${now} -X $pkg.gitCommit=v${K8S_VERSION}"
done
export CGO_ENABLED=0
build() { # name, package, ldflags: written under a temporary name so an interrupted build is never "found"
  [ -x "$BIN/$1" ] && return 0
  echo "build-control-plane: building $1 ..." >&2
  go build -trimpath -ldflags "$3" -o "$BIN/$1.tmp" "$2"
  mv "$BIN/$1.tmp" "$BIN/$1"
}
for t in kube-apiserver kube-controller-manager kubectl; do build "$t" "k8s.io/kubernetes/cmd/$t" "$ldflags"; done
build etcd go.etcd.io/etcd/server/v3 "-s -w"
have_all "$BIN" "${TOOLS[@]}" || { echo "build-control-plane: a binary is missing in $BIN" >&2; exit 1; }
echo "build-control-plane: built ${TOOLS[*]} v${K8S_VERSION} (etcd ${ETCD_VERSION}) in $(( $(date +%s) - started )) s into $BIN" >&2
echo "$OUT"
