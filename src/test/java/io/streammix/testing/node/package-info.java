/**
 * Real Kubernetes nodes for tests (tag {@code node}): {@link io.streammix.testing.node.NodeCluster} starts the control
 * plane of {@link io.streammix.testing.kube.ControlPlane#forNodes} on a host bridge, kube-scheduler and CoreDNS, and
 * nodes each in a network namespace of its own ({@code src/test/node/node.sh}: Debian's containerd + runc, kubelet,
 * kube-proxy, the bridge CNI, kube-router's firewall as the test-only NetworkPolicy enforcer), all built from their
 * projects' Go modules by {@code src/test/node/build-node-binaries.sh} and cached. Images come from no registry: the
 * build's image tar and two tool images ({@code tool-image.sh}: pause, netcheck) are imported into each node.
 *
 * <p>{@link io.streammix.testing.node.NodeBinaries} says what is missing (binaries, Debian packages, root); the tests
 * skip on one line, or fail in CI. Failsafe runs them after {@code package}; {@code ./mvnw verify -Dgroups=node}
 * runs only them. The test thread drives the cluster; node processes run detached, supervised by nothing but the
 * tests' own waits, and {@code close()} (or the next run's start) removes every namespace, mount and cgroup.
 */
package io.streammix.testing.node;
