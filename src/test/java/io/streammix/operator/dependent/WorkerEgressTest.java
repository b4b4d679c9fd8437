package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, finding 7: the worker's egress policy denied link-local only, so the metadata services other clouds run
 * elsewhere (Alibaba's 100.100.100.200, AWS's IPv6 fd00:ec2::254, Azure's wire server 168.63.129.16) were reachable
 * from a worker. They are denied whatever the configuration, which can only add blocks.
 */
class WorkerEgressTest {
    @Test
    void everyKnownMetadataAddressIsDeniedWhateverTheConfigurationAdds() {
        List<NetworkPolicyPeer> peers = WorkerNetworkPolicyDependent.egressPeers(List.of("10.0.0.10/32"), List.of("172.18.0.2/32"));
        List<String> v4 = peers.get(0).getIpBlock().getExcept();
        List<String> v6 = peers.get(1).getIpBlock().getExcept();
        assertThat(peers.get(0).getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
        assertThat(v4).contains("169.254.0.0/16", "100.100.100.200/32", "168.63.129.16/32", "10.0.0.10/32", "172.18.0.2/32");
        assertThat(v6).contains("fe80::/10", "fd00:ec2::254/128");
        assertThat(WorkerNetworkPolicyDependent.egressPeers(List.of(), List.of()).get(0).getIpBlock().getExcept())
                .as("an empty configuration removes nothing").contains("169.254.0.0/16", "100.100.100.200/32");
    }
}
