package io.streammix.worker.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <token>} in constant time (no early exit that would leak a prefix). */
public final class BearerAuth {
    private final byte[] token;

    public BearerAuth(String token) {
        this.token = token.trim().getBytes(StandardCharsets.UTF_8);
    }

    public boolean allows(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorizationHeader.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return token.length > 0 && MessageDigest.isEqual(token, given);
    }
}
