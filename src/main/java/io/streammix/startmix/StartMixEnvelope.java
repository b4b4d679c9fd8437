package io.streammix.startmix;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The top-level fields of a start-mix request that are about the call rather than the mix (timestamp, id_name, appid,
 * seq, biztype, stream_id, version, testenv): what each means here, said in the reply's warnings so that nothing a
 * caller sends is dropped without a word, and what the document marks required but the request lacks (the vendor's
 * own Java sample sends no timestamp and no seq: accepted, and said). {@code testenv} other than 0 is refused: the
 * vendor's test environment changes which stream ids exist, and this server has no second environment to switch to,
 * so running the request as if in production would mix other streams than the caller means.
 */
final class StartMixEnvelope {
    private StartMixEnvelope() {
    }

    /** The warnings about the request's envelope; throws for a testenv or biztype this server cannot honour. */
    static List<String> check(StartMixFields r) {
        List<String> w = new ArrayList<>();
        if (!r.has("timestamp")) {
            w.add("timestamp: missing (the document marks it required); not needed here, the access token authenticates the call");
        } else {
            r.number("timestamp"); // a number, as the document says; its value signs nothing here
            w.add("timestamp: accepted, not used (the access token authenticates the call)");
        }
        if (!r.has("id_name")) {
            w.add("id_name: missing (the document marks it required); requests are serialised by task_id instead");
        }
        if (!r.has("appid")) {
            w.add("appid: missing (the document marks it required); not checked against the access token");
        }
        if (!r.has("seq")) {
            w.add("seq: missing (the document marks it required); applied in arrival order, the task keeps its last seq");
        }
        String biztype = r.text("biztype");
        if (biztype != null) {
            String b = biztype.toLowerCase(Locale.ROOT);
            if (!b.equals("live") && !b.equals("rtv")) {
                throw new StartMixException("biztype", "must be live or rtv (got '" + biztype + "')");
            }
            w.add("biztype: '" + biztype + "' accepted, not used (one kind of mix here)");
        }
        if (r.has("stream_id")) {
            r.text("stream_id");
            w.add("stream_id: accepted, not used (each MixOutput names its own stream_id)");
        }
        if (r.has("version")) {
            Long version = r.number("version");
            w.add("version: " + version + " accepted, not used (one version of the request here)");
        }
        Long testenv = r.number("testenv");
        if (testenv != null && testenv != 0) {
            throw new StartMixException("testenv", testenv + " asks for the vendor's test environment (where stream ids "
                    + "carry a zegotest-<appid>- prefix); this server has one environment: send testenv 0 or leave it out, "
                    + "with the stream ids as they are published here");
        }
        if (testenv != null) {
            w.add("testenv: 0 accepted (one environment here)");
        }
        return w;
    }
}
