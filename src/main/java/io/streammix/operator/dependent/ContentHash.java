package io.streammix.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streammix.operator.worker.WorkerNames;

/** A stable hash of what the operator decided (its JSON form, keys sorted), to tell real changes from noise. */
final class ContentHash {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ContentHash() {
    }

    static String of(Object... parts) {
        try {
            return WorkerNames.sha256Hex(JSON.writeValueAsString(parts)).substring(0, 16);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model objects always serialize", e);
        }
    }
}
