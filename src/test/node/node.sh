#!/usr/bin/env bash
# The real-node test harness's plumbing: a host bridge, and Kubernetes nodes each in a network namespace of its own,
# running Debian's containerd + runc and the kubelet, kube-proxy and kube-router (NetworkPolicy, test-only) built by
# build-node-binaries.sh. io.streammix.testing.node.NodeCluster drives it; it can also be run by hand:
#
#   node.sh host-up                      bridge mtbr0: 10.213.0.1 (API server), 10.213.0.2 (CoreDNS), and
#                                        169.254.169.254 (a stand-in metadata address the NetworkPolicy test dials)
#   node.sh up NAME INDEX KUBECONFIG     node NAME at 10.213.0.(10+INDEX), pods in 10.244.INDEX.0/24
#   node.sh import NAME IMAGE.tar        an image into the node's containerd (namespace k8s.io)
#   node.sh kill NAME                    node loss: every process of the node killed at once and its link cut
#   node.sh down NAME                    stop and remove the node (mounts, cgroups, namespaces, files)
#   node.sh host-down                    remove the bridge (after every node is down)
#
# Nothing leaves the machine: the bridge has no uplink, nothing is masqueraded, pods route only to the other nodes'
# pod ranges over the bridge. Needs root (namespaces, mounts, cgroups, iptables).
set -euo pipefail

BRIDGE=mtbr0
HOST_IP=10.213.0.1
DNS_IP=10.213.0.2
METADATA_IP=169.254.169.254
POD_RANGE=10.244.0.0/16
SERVICE_RANGE=10.96.0.0/16
CLUSTER_DNS=10.96.0.10
MAX_NODES=8
BIN="${MIXTASK_NODE_BIN:?MIXTASK_NODE_BIN: the directory build-node-binaries.sh printed}"
RUN_ROOT="${MIXTASK_NODE_RUN:-/run/mixtask-node}"
LIB_ROOT="${MIXTASK_NODE_LIB:-/var/lib/mixtask-node}"

node_ip() { echo "10.213.0.$((10 + $1))"; }
pod_cidr() { echo "10.244.$1.0/24"; }
in_node() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" -- "$@"; }
# Starts a long-lived process of a node, in the node's network namespace but the host's mount namespace (so that the
# kubelet's volume mounts are the ones containerd bind-mounts into containers), in a session of its own.
spawn() { # name node command...
  local what="$1" name="$2"; shift 2
  setsid nsenter --net="/run/netns/mt-$name" -- "$@" >"$RUN_ROOT/$name/$what.log" 2>&1 < /dev/null &
  echo $! > "$RUN_ROOT/$name/$what.pid"
}

host_up() {
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  ip addr replace "$HOST_IP/24" dev "$BRIDGE"
  ip addr replace "$DNS_IP/24" dev "$BRIDGE"
  ip addr replace "$METADATA_IP/32" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # The host reaches every node's pods (the tests' clients, the API server's calls to webhooks are none here).
  for i in $(seq 1 $MAX_NODES); do ip route replace "$(pod_cidr "$i")" via "$(node_ip "$i")" dev "$BRIDGE" 2>/dev/null || true; done
  # Traffic between nodes crosses the host bridge: let it through a host FORWARD policy of DROP (Docker sets one).
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
}

host_down() {
  for i in $(seq 1 $MAX_NODES); do ip route del "$(pod_cidr "$i")" 2>/dev/null || true; done
  iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
}

node_up() {
  local name="$1" index="$2" kubeconfig="$3"
  local ns="mt-$name" ip; ip="$(node_ip "$index")"
  local run="$RUN_ROOT/$name" lib="$LIB_ROOT/$name"
  node_down "$name" >/dev/null 2>&1 || true
  mkdir -p "$run/cni" "$lib/kubelet" "$lib/containerd" "$lib/pod-logs" "$run/containerd"
  cp "$kubeconfig" "$run/kubeconfig"

  # The node's network: a veth to the host bridge, routes to the other nodes' pod ranges, nothing else.
  ip netns add "$ns"
  ip link add "mtv-$name" type veth peer name eth0 netns "$ns"
  ip link set "mtv-$name" master "$BRIDGE" up
  in_node "$ns" ip link set lo up
  in_node "$ns" ip addr add "$ip/24" dev eth0
  in_node "$ns" ip link set eth0 up
  in_node "$ns" ip route add default via "$HOST_IP"
  for i in $(seq 1 $MAX_NODES); do
    [ "$i" = "$index" ] || in_node "$ns" ip route add "$(pod_cidr "$i")" via "$(node_ip "$i")"
  done
  in_node "$ns" sysctl -qw net.ipv4.ip_forward=1
  in_node "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  in_node "$ns" sysctl -qw net.ipv4.conf.all.route_localnet=1

  # The pod network: a bridge in the node, one /24 per node, no masquerade (nothing is routed off the machine).
  cat > "$run/cni/10-mixtask.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "mixtask-node", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$(pod_cidr "$index")"}]], "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": "$lib/cni-ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOF
  printf 'nameserver %s\n' "$DNS_IP" > "$run/resolv.conf"

  cat > "$run/containerd.toml" <<EOF
version = 2
root = "$lib/containerd"
state = "$run/containerd"
[grpc]
  address = "$run/containerd.sock"
[ttrpc]
  address = "$run/containerd-ttrpc.sock"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.local/mixtask-test/pause:1"
  # The sandbox has no CAP_SYS_RESOURCE: containerd may only raise a container's OOM score, never lower it.
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$BIN/cni"
    conf_dir = "$run/cni"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
EOF
  spawn containerd "$name" containerd --config "$run/containerd.toml"
  for _ in $(seq 1 100); do [ -S "$run/containerd.sock" ] && break; sleep 0.1; done
  [ -S "$run/containerd.sock" ] || { echo "node $name: containerd did not start, see $run/containerd.log" >&2; tail -20 "$run/containerd.log" >&2; exit 1; }
  for image in "$RUN_ROOT"/images/*.tar; do [ -f "$image" ] && import "$name" "$image"; done

  # The node's cgroup root under every controller (the kubelet checks that it exists); cpuset needs its CPUs and
  # memory nodes copied from the parent before anything can join it.
  for ctl in /sys/fs/cgroup/*/; do
    case "$ctl" in */unified/) continue ;; esac
    mkdir -p "$ctl/mt-$name"
    if [ -f "$ctl/cpuset.cpus" ]; then
      cat "$ctl/cpuset.cpus" > "$ctl/mt-$name/cpuset.cpus"
      cat "$ctl/cpuset.mems" > "$ctl/mt-$name/cpuset.mems"
    fi
  done

  cat > "$run/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# The API server reaches the kubelet (logs, exec) with no client certificate here: a test node, on a bridge nothing
# else reaches.
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
# Each node's pods under a cgroup of their own, so that two nodes fit on one machine and a node can be killed whole.
cgroupRoot: /mt-$name
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$run/containerd.sock
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
resolvConf: $run/resolv.conf
address: $ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "200Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
protectKernelDefaults: false
makeIPTablesUtilChains: false
localStorageCapacityIsolation: true
# Each node's container logs under its own directory: every node here shares the host's file system, and a kubelet's
# garbage collector removes the pod log directories of pods it does not run, i.e. the other nodes' (kubectl logs of a
# finished pod on node-b then fails with "lstat /var/log/pods/...: no such file or directory").
podLogsDir: $lib/pod-logs
EOF
  spawn kubelet "$name" "$BIN/kubelet" --config "$run/kubelet.yaml" --kubeconfig "$run/kubeconfig" \
    --hostname-override "$name" --node-ip "$ip" --root-dir "$lib/kubelet" --cert-dir "$lib/kubelet/pki" --v 1

  cat > "$run/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $run/kubeconfig}
hostnameOverride: $name
mode: iptables
clusterCIDR: $POD_RANGE
bindAddress: $ip
healthzBindAddress: $ip:10256
metricsBindAddress: 127.0.0.1:10249
# Leave the machine's conntrack table alone (the sandbox may not write those sysctls).
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  spawn kube-proxy "$name" "$BIN/kube-proxy" --config "$run/kube-proxy.yaml" --v 1
  # NetworkPolicy: kube-router's firewall alone (no routing, no service proxy). Test-only: see build-node-binaries.sh.
  # It exits when its Node does not exist yet (the kubelet registers it a moment later): restarted as a DaemonSet's
  # pod would be.
  spawn kube-router "$name" bash -c 'while :; do "$0" "$@"; sleep 1; done' "$BIN/kube-router" \
    --kubeconfig "$run/kubeconfig" --hostname-override "$name" \
    --run-firewall=true --run-router=false --run-service-proxy=false --enable-ipv6=false \
    --health-port=0 --metrics-port=0 --v 1
  echo "node $name: $ip, pods $(pod_cidr "$index"), logs in $run"
}

import() { # name image.tar
  local run="$RUN_ROOT/$1"
  ctr --address "$run/containerd.sock" -n k8s.io images import --all-platforms "$2" >/dev/null
}

node_pids() { # every process of the node: its daemons, and everything in its network namespace or its pods' cgroups
  local name="$1" run="$RUN_ROOT/$1"
  for f in "$run"/*.pid; do [ -f "$f" ] && cat "$f"; done
  ip netns pids "mt-$name" 2>/dev/null || true
  for ctl in pids memory cpu; do
    [ -d "/sys/fs/cgroup/$ctl/mt-$name" ] && find "/sys/fs/cgroup/$ctl/mt-$name" -name cgroup.procs -exec cat {} + 2>/dev/null
  done
  true
}

node_kill() {
  local name="$1"
  ip link set "mtv-$name" down 2>/dev/null || true
  for _ in 1 2 3; do
    # shellcheck disable=SC2046
    kill -KILL $(node_pids "$name" | sort -u) 2>/dev/null || true
    sleep 0.2
  done
}

node_down() {
  local name="$1" run="$RUN_ROOT/$1" lib="$LIB_ROOT/$1"
  node_kill "$name"
  # Pod network namespaces containerd made, the kubelet's and containerd's mounts, then the node's cgroups.
  for m in $(awk -v a="$lib" -v b="$run" '$2 ~ "^"a || $2 ~ "^"b {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  for ctl in /sys/fs/cgroup/*/; do
    [ -d "$ctl/mt-$name" ] && find "$ctl/mt-$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  ip link del "mtv-$name" 2>/dev/null || true
  ip netns del "mt-$name" 2>/dev/null || true
  # The pods' network namespaces containerd pinned under /run/netns: those no process lives in any more.
  for pod in $(ip netns list 2>/dev/null | awk '$1 ~ /^cni-/ {print $1}'); do
    [ -z "$(ip netns pids "$pod" 2>/dev/null)" ] && ip netns del "$pod" 2>/dev/null || true
  done
  rm -rf "$run" "$lib"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  host-up) host_up ;;
  host-down) host_down ;;
  up) node_up "$@" ;;
  import) import "$@" ;;
  kill) node_kill "$@" ;;
  down) node_down "$@" ;;
  *) echo "usage: node.sh host-up | host-down | up NAME INDEX KUBECONFIG | import NAME IMAGE.tar | kill NAME | down NAME" >&2; exit 2 ;;
esac
