package io.streammix.api.validation;

/**
 * A host as the C resolver reads it (issue 21): {@code inet_aton} takes one to four parts, each decimal, octal (a
 * leading 0) or hex (0x), the last filling the remaining bytes, so {@code 127.1}, {@code 0x7f.1}, {@code 2130706433},
 * {@code 0177.0.0.1}, {@code 127.0.0.0x5} and {@code 169.0xfe.169.254} are addresses to FFmpeg (getaddrinfo) while
 * Java reads some of them as names it cannot resolve. The URL policy accepts numeric hosts in dotted decimal only, and
 * the worker's last check reads the address with these rules rather than Java's. Stateless.
 */
public final class NumericHost {
    private NumericHost() {
    }

    /** The IPv4 address {@code host} means to inet_aton, as 4 bytes; null when it is not numeric (a name). */
    public static byte[] inetAton(String host) {
        if (host == null || host.isEmpty() || host.length() > 64) {
            return null;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long n = part(parts[i]);
            if (n == null) {
                return null;
            }
            v[i] = n;
        }
        long addr = 0;
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] > 255) {
                return null;
            }
            addr |= v[i] << (24 - 8 * i);
        }
        long last = v[v.length - 1];
        if (last >= 1L << (32 - 8 * (v.length - 1))) {
            return null;
        }
        addr |= last;
        return new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    }

    private static Long part(String p) {
        int radix = 10;
        String digits = p;
        if (p.length() > 1 && (p.startsWith("0x") || p.startsWith("0X"))) {
            radix = 16;
            digits = p.substring(2);
            if (digits.isEmpty()) {
                return 0L; // "0x" alone is 0 to inet_aton
            }
        } else if (p.length() > 1 && p.startsWith("0")) {
            radix = 8;
            digits = p.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 12) {
            return null;
        }
        for (char c : digits.toCharArray()) {
            if (Character.digit(c, radix) < 0) {
                return null;
            }
        }
        return Long.parseLong(digits, radix);
    }

    /** True for a numeric host that is not plain dotted decimal a.b.c.d (each 0-255 without leading zeros). */
    public static boolean ambiguous(String host) {
        if (inetAton(host) == null) {
            return false;
        }
        return !host.matches("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    }
}
