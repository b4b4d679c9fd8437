package io.streammix.testing.kube;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;

/**
 * What cluster DNS and kube-proxy do for a URL such as {@code http://mt-demo.default.svc:8080/live/demo.flv}: the
 * Service named by the host, its port's target port on a ready pod it selects. There is neither here (and loopback
 * pod IPs may not stand in Endpoints), so a test that plays a URL from a MixTask's status resolves it through the
 * API server's own Service and Pods, as a client inside the cluster would reach it.
 */
public final class ClusterNetwork {
    private ClusterNetwork() {
    }

    public static URI resolve(KubernetesClient client, String url) {
        URI uri = URI.create(url);
        String[] host = uri.getHost().split("\\.");
        if (host.length < 3 || !host[2].equals("svc")) {
            return uri;
        }
        Service service = client.services().inNamespace(host[1]).withName(host[0]).get();
        if (service == null) {
            throw new IllegalStateException("no Service " + host[1] + "/" + host[0] + " for " + url);
        }
        ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort() == uri.getPort()).findFirst()
                .orElseThrow(() -> new IllegalStateException("Service " + host[0] + " has no port " + uri.getPort()));
        Pod pod = client.pods().inNamespace(host[1]).withLabels(service.getSpec().getSelector()).list().getItems().stream()
                .filter(ClusterNetwork::ready).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ready pod behind Service " + host[0]));
        int target = port.getTargetPort().getIntVal() != null ? port.getTargetPort().getIntVal()
                : pod.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                .filter(p -> port.getTargetPort().getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow();
        return URI.create(uri.getScheme() + "://" + pod.getStatus().getPodIP() + ":" + target + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
