#!/usr/bin/env bash
# Builds what a real Kubernetes node runs, from the projects' own Go modules, for the real-node tests (tag "node"):
#   kubelet, kube-proxy, kube-scheduler   k8s.io/kubernetes at src/test/kube/kubernetes-version (as the control plane)
#   coredns                               github.com/coredns/coredns (cluster DNS)
#   cni/{bridge,host-local,loopback,portmap}  github.com/containernetworking/plugins (the pod network)
#   kube-router                           github.com/cloudnativelabs/kube-router/v2, ONLY as a test-time NetworkPolicy
#                                         enforcer on a harness whose traffic never leaves this machine (v2.1.0 is the
#                                         one version the module proxy serves here and security flaws are reported
#                                         for it: never ship or recommend it)
#   pause, netcheck                       the pod sandbox's process, and the NetworkPolicy tests' probe (tools/)
#
#   bash src/test/node/build-node-binaries.sh     # prints the directory the tests read (MIXTASK_NODE_BIN)
#
# Binaries already there are reused. Runs after src/test/kube/build-control-plane.sh, whose Go module it extends (the
# build cache is shared, so kubelet costs only what the control plane did not compile). Without Go it says so in one line
# and exits 0 (the node tests skip), unless MIXTASK_REQUIRE_CONTROL_PLANE=true (CI), where it fails.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../lib.sh"
SCRIPT=build-node-binaries
SKIPS="the tests on a real node will skip"
K8S_VERSION="${K8S_VERSION:-$(cat "$HERE/../kube/kubernetes-version")}"
COREDNS_VERSION=v1.15.0
CNI_VERSION=v1.10.0
KUBE_ROUTER_VERSION=v2.1.0
ROOT="${KUBE_API_TEST_DIR:-$HOME/.cache/mixtask-operator/kube}"
BIN="$ROOT/node/v${K8S_VERSION}"
TOOLS=(kubelet kube-proxy kube-scheduler coredns kube-router pause netcheck cni/bridge cni/host-local cni/loopback cni/portmap)

if have_all "$BIN" "${TOOLS[@]}"; then echo "$BIN"; exit 0; fi
build_in_child "building the node binaries failed (see above)" "$@"

started=$(date +%s)
mkdir -p "$BIN/cni"
export CGO_ENABLED=0
build() { # name, package, ldflags: written under a temporary name so that an interrupted build is never "found"
  [ -x "$BIN/$1" ] && return 0
  echo "build-node-binaries: building $1 ..." >&2
  go build -trimpath -ldflags "$3" -o "$BIN/$1.tmp" "$2"
  mv "$BIN/$1.tmp" "$BIN/$1"
}
module() { # dir, module path, version: a module that requires just that one
  mkdir -p "$1"
  printf 'module streammix.io/%s\n\ngo %s\n\nrequire %s %s\n' "$(basename "$1")" \
    "$(go_language_version)" "$2" "$3" > "$1/go.mod"
  printf 'package %s\n' "$(basename "$1" | tr -dc 'a-z')" > "$1/doc.go"
}

# kubelet, kube-proxy, kube-scheduler: in a copy of the control plane's module (same pins, same build cache).
CP="$ROOT/src/${K8S_VERSION}"
[ -f "$CP/go.mod" ] || { echo "build-node-binaries: run src/test/kube/build-control-plane.sh first ($CP/go.mod)" >&2; exit 1; }
K8S="$ROOT/src/node-${K8S_VERSION}"
mkdir -p "$K8S"
cp "$CP/go.mod" "$CP/go.sum" "$CP/doc.go" "$K8S/"
MINOR="${K8S_VERSION#*.}"; MINOR="${MINOR%%.*}"
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v${K8S_VERSION} -X $pkg.gitMajor=1 -X $pkg.gitMinor=${MINOR}"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${now} -X $pkg.gitCommit=v${K8S_VERSION}"
done
(cd "$K8S" && export GOFLAGS=-mod=mod && for t in kube-scheduler kube-proxy kubelet; do
  build "$t" "k8s.io/kubernetes/cmd/$t" "$ldflags"; done)

# The CNI plugins the node's pod network uses.
CNI="$ROOT/src/cni-${CNI_VERSION}"
module "$CNI" github.com/containernetworking/plugins "$CNI_VERSION"
(cd "$CNI" && export GOFLAGS=-mod=mod && for p in main/bridge main/loopback ipam/host-local meta/portmap; do
    build "cni/$(basename "$p")" "github.com/containernetworking/plugins/plugins/$p" "-s -w"; done)

# CoreDNS.
DNS="$ROOT/src/coredns-${COREDNS_VERSION}"
module "$DNS" github.com/coredns/coredns "$COREDNS_VERSION"
(cd "$DNS" && export GOFLAGS=-mod=mod && build coredns github.com/coredns/coredns "-s -w")

# kube-router (test-only NetworkPolicy enforcer: see the header).
KR="$ROOT/src/kube-router-${KUBE_ROUTER_VERSION}"
module "$KR" github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION"
(cd "$KR" && export GOFLAGS=-mod=mod && build kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router "-s -w")

# pause (PID 1 of every pod sandbox) and netcheck (the NetworkPolicy tests' probe): this directory's tools/.
for t in pause netcheck; do (cd "$HERE/tools/$t" && GOFLAGS=-mod=mod build "$t" . "-s -w"); done

have_all "$BIN" "${TOOLS[@]}" || { echo "build-node-binaries: a binary is missing in $BIN" >&2; exit 1; }
echo "build-node-binaries: built ${TOOLS[*]} in $(( $(date +%s) - started )) s into $BIN" >&2
echo "$BIN"
