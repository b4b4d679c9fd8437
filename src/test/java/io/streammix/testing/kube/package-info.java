/**
 * A real Kubernetes control plane for tests: {@link io.streammix.testing.kube.ControlPlane} (etcd, kube-apiserver and
 * kube-controller-manager built from Kubernetes' own Go modules by {@code src/test/kube/build-control-plane.sh}, all on
 * loopback), {@link io.streammix.testing.kube.LoopbackKubelet} (binds and runs worker pods as local processes on their
 * own 127.0.0.N, standing in for the container runtime only), the real kubectl, and
 * {@link io.streammix.testing.kube.ClusterNetwork} (what cluster DNS and kube-proxy would do for a Service URL).
 *
 * <p>The API server is the authority for everything Kubernetes does: admission (OpenAPI, CEL and its cost budget),
 * RBAC, the ServiceAccount admission plugin, garbage collection, watches, what kubectl prints. Tests that need it call
 * {@link io.streammix.testing.kube.ControlPlaneBinaries#assumeAvailable()} first. One control plane per test JVM,
 * started by the first test that asks and stopped at JVM exit; tests keep to their own namespaces. The kubelet's
 * informer thread hands events to one thread of its own; each pod is supervised by a thread of its own.
 */
package io.streammix.testing.kube;
