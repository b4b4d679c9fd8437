package io.streammix.operator.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streammix.worker.contract.SpecSubmission;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identifies what a worker must run: the spec with its Secret values resolved and the upload keys,
 * without the generation. A Secret an input or output reads its URL from ({@code urlFrom}) can change
 * while the spec does not (a rotated stream key); the generation then stays the same, but the digest
 * does not, and the operator pushes the new values.
 *
 * <p>It is an HMAC-SHA256 keyed with the task's control token, not a plain hash: the worker echoes it
 * in its report, and a plain hash of a short stream key could be reversed by trying candidates. Map
 * entries and properties are serialized in sorted order, so the same content gives the same digest
 * in every JVM (an operator restart causes no push).
 */
public final class SubmissionDigest {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    private SubmissionDigest() {
    }

    /** 128 bits of HMAC-SHA256 over the content of {@code submission}, base64url. */
    public static String of(SpecSubmission submission, String token) {
        byte[] content;
        try {
            content = CANONICAL.writeValueAsBytes(new SpecSubmission(0, submission.spec(), submission.uploadCredentials(), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] full = mac.doFinal(content);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
