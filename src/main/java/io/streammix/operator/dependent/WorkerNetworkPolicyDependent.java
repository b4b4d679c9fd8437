package io.streammix.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.worker.contract.ControlApi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's NetworkPolicy, one per task beside its Deployment (same namespace, same owner): it exists wherever
 * a worker runs, whatever namespaces the operator watches, and the garbage collector removes it with the task.
 * <ul>
 *   <li>Ingress: the control port (status, spec updates; bearer-token protected as well) only from the operator's
 *       pods; the media port (HLS, HTTP-FLV) from anywhere, for players; the metrics port only from the configured
 *       scrapers (none by default).</li>
 *   <li>Egress: anywhere but the denied blocks: every known cloud metadata address ({@link #METADATA_CIDRS}), the API
 *       server's own addresses ({@link ApiServerAddresses}) and what the configuration adds (an admin adds the
 *       cluster's pod and Service ranges, so that a tenant's worker reaches no other pod). Inputs and outputs may live
 *       anywhere else. Within the denied blocks but never to a metadata address: DNS (port 53, wherever the cluster's
 *       DNS runs), and the peers the configuration allows (the media server's namespace).</li>
 * </ul>
 */
public class WorkerNetworkPolicyDependent extends WorkerDependent<NetworkPolicy> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OperatorConfig.NetworkPolicy config;
    private final int metricsPort;
    private final ApiServerAddresses apiServer = new ApiServerAddresses();

    public WorkerNetworkPolicyDependent(OperatorConfig.NetworkPolicy config, int metricsPort) {
        super(NetworkPolicy.class);
        this.config = config;
        this.metricsPort = metricsPort;
    }

    @Override
    protected NetworkPolicy desired(MixTask task, Context<MixTask> context) {
        NetworkPolicyPeer operatorPods = new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("kubernetes.io/metadata.name",
                        config.operatorNamespace().orElseThrow(() -> new IllegalStateException(
                                "mixtask.network-policy.operator-namespace must be set when network policies are enabled")))).build())
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(new HashMap<>(config.operatorPodLabels())).build())
                .build();
        NetworkPolicy policy = new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(WorkerNames.workerName(task))
                .withNamespace(task.getMetadata().getNamespace())
                .withLabels(WorkerNames.labels(task))
                .endMetadata()
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(WorkerNames.labels(task)).build())
                .withPolicyTypes("Ingress", "Egress")
                .withIngress(ingress(operatorPods))
                .withEgress(egress(context.getClient()))
                .endSpec()
                .build();
        return withSpecHash(policy, WorkerNames.POLICY_HASH_ANNOTATION, policy.getSpec());
    }

    private List<NetworkPolicyIngressRule> ingress(NetworkPolicyPeer operatorPods) {
        List<NetworkPolicyIngressRule> rules = new ArrayList<>(List.of(
                new NetworkPolicyIngressRuleBuilder().withFrom(operatorPods).withPorts(new NetworkPolicyPortBuilder()
                        .withProtocol("TCP").withPort(new IntOrString(ControlApi.CONTROL_PORT)).build()).build(),
                new NetworkPolicyIngressRuleBuilder().withPorts(new NetworkPolicyPortBuilder()
                        .withProtocol("TCP").withPort(new IntOrString(ControlApi.MEDIA_PORT)).build()).build()));
        config.metricsFromJson().filter(j -> !j.isBlank()).ifPresent(json -> {
            NetworkPolicyPeer scraper;
            try {
                scraper = JSON.readValue(json, NetworkPolicyPeer.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("mixtask.network-policy.metrics-from-json: not a NetworkPolicy peer: "
                        + e.getOriginalMessage(), e);
            }
            rules.add(new NetworkPolicyIngressRuleBuilder().withFrom(scraper).withPorts(new NetworkPolicyPortBuilder()
                    .withProtocol("TCP").withPort(new IntOrString(metricsPort)).build()).build());
        });
        return rules;
    }

    /**
     * Cloud metadata services and their kin, denied whatever the configuration says (it can only add): link-local
     * (AWS, GCP, Azure, OpenStack... at 169.254.169.254), Alibaba's 100.100.100.200, AWS's IPv6 fd00:ec2::254, Azure's
     * wire server 168.63.129.16 (its DNS too: a worker resolves through the cluster's DNS, never it).
     */
    static final List<String> METADATA_CIDRS = List.of("169.254.0.0/16", "fe80::/10", "100.100.100.200/32",
            "fd00:ec2::254/128", "168.63.129.16/32");

    private List<NetworkPolicyEgressRule> egress(KubernetesClient client) {
        List<NetworkPolicyEgressRule> rules = new ArrayList<>(List.of(
                new NetworkPolicyEgressRuleBuilder().withTo(egressPeers(client)).build(),
                // Name resolution wherever the cluster's DNS runs (often inside a denied pod range), never a metadata address.
                new NetworkPolicyEgressRuleBuilder().withTo(notMetadata()).withPorts(
                        new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build()).build()));
        config.egressToJson().filter(j -> !j.isBlank()).ifPresent(json -> {
            try {
                List<NetworkPolicyPeer> peers = JSON.readValue(json, new TypeReference<List<NetworkPolicyPeer>>() {
                });
                if (!peers.isEmpty()) {
                    rules.add(new NetworkPolicyEgressRuleBuilder().withTo(peers).build());
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("mixtask.network-policy.egress-to-json: not a JSON array of NetworkPolicy peers: "
                        + e.getOriginalMessage(), e);
            }
        });
        return rules;
    }

    private static List<NetworkPolicyPeer> notMetadata() {
        List<String> v4 = METADATA_CIDRS.stream().filter(c -> !c.contains(":")).toList();
        List<String> v6 = METADATA_CIDRS.stream().filter(c -> c.contains(":")).toList();
        return List.of(
                new NetworkPolicyPeerBuilder().withIpBlock(new IPBlockBuilder().withCidr("0.0.0.0/0").withExcept(v4).build()).build(),
                new NetworkPolicyPeerBuilder().withIpBlock(new IPBlockBuilder().withCidr("::/0").withExcept(v6).build()).build());
    }

    /** One peer per address family: everything but the denied blocks of that family. */
    private List<NetworkPolicyPeer> egressPeers(KubernetesClient client) {
        return egressPeers(config.egressDeniedCidrs(), apiServer.cidrs(client));
    }

    /** One peer per address family: everything but the denied blocks of that family. */
    static List<NetworkPolicyPeer> egressPeers(List<String> configured, List<String> apiServerCidrs) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        List<String> denied = new ArrayList<>(METADATA_CIDRS);
        denied.addAll(configured);
        denied.addAll(apiServerCidrs);
        for (String cidr : new java.util.TreeSet<>(denied.stream().map(String::trim).filter(c -> !c.isEmpty()).toList())) {
            (cidr.contains(":") ? v6 : v4).add(cidr);
        }
        return List.of(
                new NetworkPolicyPeerBuilder().withIpBlock(new IPBlockBuilder().withCidr("0.0.0.0/0").withExcept(v4).build()).build(),
                new NetworkPolicyPeerBuilder().withIpBlock(new IPBlockBuilder().withCidr("::/0").withExcept(v6).build()).build());
    }

    @Override
    protected boolean sameAs(NetworkPolicy actual, NetworkPolicy desired) {
        return sameHash(actual, desired, WorkerNames.POLICY_HASH_ANNOTATION);
    }
}
