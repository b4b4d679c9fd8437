package io.streammix.worker.media;

import io.streammix.api.validation.NumericHost;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides whether the worker may open a connection to an address (issue 21, finding 1): FFmpeg's
 * first URL ({@link OpenGuard}), every HTTP(S) hop FFmpeg makes after it (redirects, HLS playlists, segments and keys,
 * through {@link FenceProxy}), and the S3 endpoint of recordings all ask it, with the address they are about to use.
 *
 * <p>Never allowed: link-local ({@code 169.254.0.0/16}, {@code fe80::/10}: the cloud metadata services), the other
 * metadata addresses ({@code 100.100.100.200}, {@code fd00:ec2::254}), the Kubernetes API server's service address
 * ({@code KUBERNETES_SERVICE_HOST}), {@code 0.0.0.0/8} and {@code ::} (Linux connects them to the pod itself),
 * multicast. Loopback and private ranges ({@code 127.0.0.0/8}, {@code ::1}, {@code 10.0.0.0/8},
 * {@code 172.16.0.0/12}, {@code 192.168.0.0/16}, {@code 100.64.0.0/10}, {@code fc00::/7}) only where
 * {@code MIXTASK_EGRESS_ALLOWED_CIDRS} (comma-separated CIDRs, set by the operator from the chart's
 * {@code worker.egressAllowedCidrs}) covers them; without that variable (a worker run by hand, tests) all of them, as
 * before. Public addresses are allowed: the egress NetworkPolicy is the fence for those.
 *
 * <p>Immutable; {@link #current} is read by any thread (input, output, image-loader, proxy, upload threads).
 */
public final class EgressFence {
    public static final String ENV = "MIXTASK_EGRESS_ALLOWED_CIDRS";
    private static final String API_SERVER = System.getenv("KUBERNETES_SERVICE_HOST");
    /** Reachable only when allowed: the pod itself and the networks a cluster's pods and services live in. */
    static final List<Cidr> INTERNAL = Cidr.parseAll(
            "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7", ENV);

    private static volatile EgressFence current;

    private final List<Cidr> allowed;

    private EgressFence(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Allows these CIDRs of the internal ranges, and no other. */
    public static EgressFence allowing(String commaSeparatedCidrs) {
        return new EgressFence(Cidr.parseAll(commaSeparatedCidrs, ENV));
    }

    /** The process's fence, from {@value #ENV} (read once). */
    public static EgressFence current() {
        EgressFence f = current;
        if (f == null) {
            synchronized (EgressFence.class) {
                if (current == null) {
                    String env = System.getenv(ENV);
                    current = env == null ? new EgressFence(INTERNAL) : allowing(env);
                }
                f = current;
            }
        }
        return f;
    }

    /**
     * Replaces the process's fence until the returned handle is closed (tests: a fence that allows one loopback address
     * and not another stands in for "the media server" and "an internal service").
     */
    public static AutoCloseable replace(EgressFence fence) {
        EgressFence before = current();
        current = fence;
        return () -> current = before;
    }

    /** Null when the worker may connect to {@code a}; else why not, in words that name no address. */
    public String refusal(InetAddress a) {
        if (a.isLinkLocalAddress()) {
            return "a link-local address (cloud metadata lives there)";
        }
        String ip = a.getHostAddress();
        if (ip.equals("100.100.100.200") || ip.equalsIgnoreCase("fd00:ec2:0:0:0:0:0:254")) {
            return "a cloud metadata address";
        }
        byte[] b = a.getAddress();
        if (a.isAnyLocalAddress() || (b.length == 4 && b[0] == 0)) {
            return "an unspecified address (the pod itself)";
        }
        if (a.isMulticastAddress()) {
            return "a multicast address";
        }
        if (isApiServer(a)) {
            return "the Kubernetes API server's address";
        }
        for (Cidr internal : INTERNAL) {
            if (internal.contains(a)) {
                for (Cidr ok : allowed) {
                    if (ok.contains(a)) {
                        return null;
                    }
                }
                return (a.isLoopbackAddress() ? "a loopback address" : "a private address")
                        + " outside the worker's allowed CIDRs";
            }
        }
        return null;
    }

    /**
     * The addresses {@code host} names, read as the C resolver reads numeric hosts, all allowed; otherwise
     * {@link Refused}. A host that does not resolve gives {@link UnknownHostException}.
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (NumericHost.ambiguous(host)) {
            throw new Refused("numeric hosts only in dotted decimal");
        }
        byte[] numeric = NumericHost.inetAton(host);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = numeric != null ? new InetAddress[] {InetAddress.getByAddress(numeric)}
                : InetAddress.getAllByName(bare);
        for (InetAddress a : addresses) {
            String why = refusal(a);
            if (why != null) {
                throw new Refused("the host resolves to " + why);
            }
        }
        return addresses;
    }

    private static boolean isApiServer(InetAddress a) {
        if (API_SERVER == null) {
            return false;
        }
        try {
            for (InetAddress api : InetAddress.getAllByName(API_SERVER)) {
                if (api.equals(a)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            // not an address we can compare with
        }
        return false;
    }

    /** The fence said no; the message names no address and never says whether anything listens there. */
    public static final class Refused extends RuntimeException {
        Refused(String why) {
            super("not allowed: " + why, null, false, false);
        }
    }

    /** An address range; IPv4-mapped IPv6 addresses are compared as IPv4 (Java hands them out as such). */
    record Cidr(byte[] network, int prefix) {
        static List<Cidr> parseAll(String commaSeparated, String source) {
            List<Cidr> out = new ArrayList<>();
            for (String s : commaSeparated.split(",")) {
                if (!s.isBlank()) {
                    out.add(parse(s.trim(), source));
                }
            }
            return out;
        }

        static Cidr parse(String s, String source) {
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (!addr.matches("[0-9a-fA-F:.]+") || (addr.indexOf(':') < 0 && addr.split("\\.", -1).length != 4)) {
                throw new IllegalArgumentException(source + ": '" + s + "' is not a CIDR (a.b.c.d/n or an IPv6 address/n)");
            }
            byte[] net;
            try {
                net = InetAddress.getByName(addr).getAddress(); // a literal: never a DNS lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(source + ": '" + s + "' is not a CIDR (a.b.c.d/n or an IPv6 address/n)");
            }
            int prefix;
            try {
                prefix = slash < 0 ? net.length * 8 : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > net.length * 8) {
                throw new IllegalArgumentException(source + ": '" + s + "' has a prefix length outside 0.." + net.length * 8);
            }
            return new Cidr(net, prefix);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
