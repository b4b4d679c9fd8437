package io.streammix.startmix;

import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access tokens of the start-mix API. Each is bound to one namespace (where its MixTasks go) and optionally to an
 * appid. An admin creates them as Secrets labelled {@value #LABEL}{@code : "true"} with key {@value #TOKEN_KEY} (and
 * optionally {@value #APPID_KEY}); the Secret's namespace is the token's. A token is looked up by comparing SHA-256
 * digests in constant time against every known token (no early exit), and is never logged or echoed.
 */
public interface StartMixTokens {
    String LABEL = "streammix.io/start-mix-token";
    String TOKEN_KEY = "token";
    String APPID_KEY = "appid";

    /** What a token grants; {@code source} names its Secret (namespace/name) for messages, never the token. */
    record Binding(String namespace, Long appid, String source) {
    }

    Optional<Binding> find(String presented);

    /** A fixed set of tokens. */
    final class Table implements StartMixTokens {
        private record Entry(byte[] digest, Binding binding) {
        }

        private final List<Entry> entries;

        public Table(Map<String, Binding> tokens) {
            List<Entry> list = new ArrayList<>();
            tokens.forEach((token, binding) -> list.add(new Entry(sha256(token), binding)));
            this.entries = List.copyOf(list);
        }

        /** The tokens of these Secrets (those without the label or the token key are skipped); see {@link #binding}. */
        public static Table ofSecrets(Collection<Secret> secrets, String defaultNamespace) {
            Map<String, Binding> tokens = new java.util.LinkedHashMap<>();
            for (Secret s : secrets) {
                String token = value(s, TOKEN_KEY);
                if (token == null || token.isEmpty() || !labelled(s)) {
                    continue;
                }
                tokens.put(token, binding(s, defaultNamespace));
            }
            return new Table(tokens);
        }

        @Override
        public Optional<Binding> find(String presented) {
            if (presented == null || presented.isEmpty()) {
                return Optional.empty();
            }
            byte[] digest = sha256(presented);
            Binding found = null;
            for (Entry e : entries) {
                // Every entry is compared, and each comparison takes the same time: no early exit that times a guess.
                if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
                    found = e.binding();
                }
            }
            return Optional.ofNullable(found);
        }

        public int size() {
            return entries.size();
        }
    }

    static boolean labelled(Secret s) {
        return s.getMetadata() != null && s.getMetadata().getLabels() != null
                && "true".equals(s.getMetadata().getLabels().get(LABEL));
    }

    /** The binding of a token Secret: its namespace (else {@code defaultNamespace}) and its appid key, if any. */
    static Binding binding(Secret s, String defaultNamespace) {
        String ns = s.getMetadata().getNamespace() != null ? s.getMetadata().getNamespace() : defaultNamespace;
        String appid = value(s, APPID_KEY);
        Long app = null;
        if (appid != null && !appid.isBlank()) {
            try {
                app = Long.parseLong(appid.trim());
            } catch (NumberFormatException e) {
                app = -1L; // a malformed appid matches no request: fail closed
            }
        }
        return new Binding(ns, app, ns + "/" + s.getMetadata().getName());
    }

    /** A key of a Secret, from data (base64) or stringData, trimmed; null when absent. */
    static String value(Secret s, String key) {
        String encoded = s.getData() == null ? null : s.getData().get(key);
        if (encoded != null) {
            return new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8).trim();
        }
        String plain = s.getStringData() == null ? null : s.getStringData().get(key);
        return plain == null ? null : plain.trim();
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
