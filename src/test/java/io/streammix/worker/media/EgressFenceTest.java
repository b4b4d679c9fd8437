package io.streammix.worker.media;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the one egress decision allows: internal ranges only where the admin listed them, metadata never. */
class EgressFenceTest {
    @Test
    void internalRangesOnlyWhereAllowedAndMetadataNever() throws Exception {
        EgressFence fence = EgressFence.allowing("10.1.0.0/16, 127.0.0.2/32,169.254.0.0/16");
        for (String ip : new String[] {"10.1.2.3", "127.0.0.2", "8.8.8.8", "2001:db8::1"}) {
            assertThat(fence.refusal(InetAddress.getByName(ip))).as(ip).isNull();
        }
        for (String ip : new String[] {"10.2.0.1", "127.0.0.1", "::1", "192.168.1.1", "172.16.0.1", "100.64.0.1",
                "fd12::1", "169.254.169.254", "fe80::1", "100.100.100.200", "fd00:ec2::254", "0.0.0.0", "0.1.2.3", "::",
                "224.0.0.1", "::ffff:127.0.0.1"}) {
            assertThat(fence.refusal(InetAddress.getByName(ip))).as(ip).isNotNull().doesNotContain(ip);
        }
        assertThat(EgressFence.allowing("").refusal(InetAddress.getByName("127.0.0.1"))).isEqualTo(
                "a loopback address outside the worker's allowed CIDRs");
    }

    @Test
    void badCidrsAreRefusedNamingTheVariable() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0/8", "example.com/8", "::1/129", "10.0.0.0/x"}) {
            assertThatThrownBy(() -> EgressFence.allowing(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MIXTASK_EGRESS_ALLOWED_CIDRS: '" + bad + "'");
        }
    }
}
