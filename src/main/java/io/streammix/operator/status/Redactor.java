package io.streammix.operator.status;

import io.streammix.api.v1alpha1.MixInput;
import io.streammix.api.v1alpha1.MixOutput;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskSpec;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.worker.contract.SpecSubmission;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one redaction of everything that reaches status, Events and logs from a worker or from Kubernetes (issue 13,
 * finding 2). It is built from the task's fields, not from the text it cleans: a value read from a Secret is not
 * recognisable by its look (a {@code urlFrom} value may be a plain file path, which the old URL-only pattern let
 * through into {@code status.outputs[].files} and reasons).
 *
 * <ul>
 *   <li>everywhere: any {@code scheme://...} is cut to its scheme; every value the operator read from a Secret (urlFrom
 *   values, S3 keys), and the names derived from it (a path's file name, its stem, which rotated recordings carry; a
 *   URL's long tokens), is replaced by the field it came from, e.g. {@code <spec.outputs[2].urlFrom>}, in every
 *   spelling a URL or a log line may carry it ({@link SecretSpellings}: raw, percent-encoded in either case, decoded,
 *   base64). Values shorter than {@code SpecResolver.MIN_SECRET_CHARS} are refused when read, never redacted;</li>
 *   <li>for an input or output whose URL comes from a Secret ({@link #fromSecret}): its reasons keep only the field and
 *   the failure's words from a fixed list ({@link FailureWords}): no path, no file name, whatever their look and whether
 *   or not the value is known (an older value, a worker still running the previous spec); its recorded files are
 *   counted but not listed;</li>
 *   <li>free text naming no field, for a task with a Secret-fed input or output whose value the operator does not hold
 *   now, is withheld: it could only be cleaned by guessing what a value looks like (issue 21: file extensions were
 *   guessed, and a name without one went through).</li>
 * </ul>
 */
public final class Redactor {
    private static final Pattern URL = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*)://\\S+");
    /** Derived names shorter than this are too common to replace (a stem "a", "rec", "out"). */
    private static final int MIN_DERIVED = 6;
    private static final Redactor URLS_ONLY = new Redactor(List.of(), Set.of(), false);

    /** Secret-derived value, and the label it is replaced with. */
    private record Known(String value, String label) {
    }

    private final List<Known> known;
    private final Set<String> secretFields;
    /** True when some Secret-fed field's value is not held now (no resolved spec): free text cannot be cleaned by value. */
    private final boolean valuesMissing;

    private Redactor(List<Known> known, Set<String> secretFields, boolean valuesMissing) {
        this.known = known;
        this.secretFields = secretFields;
        this.valuesMissing = valuesMissing;
    }

    /** For text with no task at hand: URLs cut to their scheme. */
    public static String redact(String text) {
        return URLS_ONLY.text(text);
    }

    /**
     * @param resolved the spec the operator resolved for the task, with the values it read from Secrets, when known
     */
    public static Redactor forTask(MixTask task, Optional<ResolvedSpec> resolved) {
        Set<String> fields = new HashSet<>();
        MixTaskSpec spec = task.getSpec();
        List<Known> known = new ArrayList<>();
        SpecSubmission sub = resolved.map(ResolvedSpec::submission).orElse(null);
        for (int i = 0; spec != null && spec.inputs != null && i < spec.inputs.size(); i++) {
            if (spec.inputs.get(i).urlFrom != null) {
                fields.add("spec.inputs[" + i + "]");
                if (sub != null && i < sub.spec().inputs.size()) {
                    MixInput in = sub.spec().inputs.get(i);
                    addValue(known, in.url, "<spec.inputs[" + i + "].urlFrom>");
                }
            }
        }
        for (int i = 0; spec != null && spec.outputs != null && i < spec.outputs.size(); i++) {
            if (spec.outputs.get(i).urlFrom != null) {
                fields.add("spec.outputs[" + i + "]");
                if (sub != null && i < sub.spec().outputs.size()) {
                    MixOutput out = sub.spec().outputs.get(i);
                    addValue(known, out.url, "<spec.outputs[" + i + "].urlFrom>");
                }
            }
        }
        if (sub != null) {
            for (Map.Entry<String, SpecSubmission.S3Credentials> e : sub.uploadCredentials().entrySet()) {
                String at = "<spec.outputs[" + e.getKey() + "].recording.upload";
                addValue(known, e.getValue().accessKeyId(), at + ".accessKeyFrom>");
                addValue(known, e.getValue().secretAccessKey(), at + ".secretKeyFrom>");
            }
        }
        known.sort(Comparator.comparingInt((Known k) -> k.value().length()).reversed());
        return new Redactor(List.copyOf(known), Set.copyOf(fields), sub == null && !fields.isEmpty());
    }

    /** A value and, for a path or a URL, the names derived from it that the worker may echo. */
    private static void addValue(List<Known> known, String value, String label) {
        if (value == null || value.isBlank()) {
            return;
        }
        addSpellings(known, value, label);
        String path = value.replaceFirst("^(?i:file):(//)?", "");
        path = path.replaceFirst("[?#].*$", "");
        int slash = path.lastIndexOf('/');
        String name = slash >= 0 ? path.substring(slash + 1) : path;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        for (String derived : new String[] {path, name, stem}) {
            if (derived.length() >= MIN_DERIVED && !derived.equals(value)) {
                addSpellings(known, derived, label);
            }
        }
        // A URL's parts that a worker may quote on their own: a stream key in the path, a token or stream id in the query.
        for (String token : value.split("[/?#&=,:;@!]+")) {
            if (token.length() >= MIN_TOKEN && !token.equals(value)) {
                addSpellings(known, token, label);
            }
        }
    }

    private static void addSpellings(List<Known> known, String value, String label) {
        for (String spelling : SecretSpellings.of(value)) {
            known.add(new Known(spelling, label));
        }
    }

    /** URL parts shorter than this are words ("live", "request", "streamid"), not keys. */
    private static final int MIN_TOKEN = 9;

    /** Only the values read from Secrets replaced (for fields that are URLs by design, like an upload's s3:// object). */
    public String values(String text) {
        if (text == null) {
            return null;
        }
        String t = text;
        for (Known k : known) {
            t = t.replace(k.value(), k.label());
        }
        return t;
    }

    /** True when the input or output ({@code spec.inputs[i]}, {@code spec.outputs[i]}) takes its URL from a Secret. */
    public boolean fromSecret(String field) {
        return secretFields.contains(field);
    }

    /** Text for status, an Event or a log line. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        return URL.matcher(values(text)).replaceAll("$1://<redacted>");
    }

    /**
     * Free text a worker wrote that names no field (warnings, an update's message): for a task with any Secret-fed input
     * or output, it loses its paths and file names too, as those may be the Secret's value under another spelling.
     */
    public String freeText(String text) {
        String t = text(text);
        if (t == null || !valuesMissing) {
            return t;
        }
        return "(withheld: this task takes URLs from Secrets whose values the operator does not hold now)";
    }

    /** Text about an input or output ({@code spec.outputs[2]}): for one fed from a Secret, without paths or file names. */
    public String text(String field, String text) {
        String t = text(text);
        if (t == null || !fromSecret(field)) {
            return t;
        }
        return "<" + field + ".urlFrom>: " + FailureWords.in(t);
    }
}
