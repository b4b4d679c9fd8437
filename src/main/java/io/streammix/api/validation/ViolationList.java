package io.streammix.api.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The violations found so far, and the schema's generic checks (required, range, count, length, pattern, unique) that
 * add one naming the field and the rule, worded as the API server words its own.
 */
abstract class ViolationList {
    final List<Violation> violations = new ArrayList<>();

    final void pattern(String at, String value, Pattern p, String rule) {
        if (value != null && !p.matcher(value).matches()) {
            fail(at, rule);
        }
    }

    final void source(String at, String streamId, String url, boolean urlFrom) {
        int n = (streamId != null ? 1 : 0) + (url != null ? 1 : 0) + (urlFrom ? 1 : 0);
        if (n != 1) {
            fail(at, "exactly one of streamId, url and urlFrom must be set");
        }
    }

    final void name(String at, String name) {
        if (name != null && !SpecValidator.NAME.matcher(name).matches()) {
            fail(at, "must be a DNS label: lower-case letters, digits and '-', at most 63 characters");
        }
    }

    final <T> void unique(String at, String rule, List<T> items, Function<T, String> key) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            String k = key.apply(item);
            if (k != null && !seen.add(k)) {
                fail(at, rule + " ('" + k + "' appears twice)");
                return;
            }
        }
    }

    final void required(String at, Object value) {
        if (value == null) {
            fail(at, "is required");
        }
    }

    final void range(String at, Number value, long min, long max) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            fail(at, "must be between " + min + " and " + max + " (got " + value + ")");
        }
    }

    final void count(String at, int n, int min, int max) {
        if (n < min || n > max) {
            fail(at, "must have " + min + " to " + max + " items (got " + n + ")");
        }
    }

    final void length(String at, String s, int min, int max) {
        if (s != null && (s.length() < min || s.length() > max)) {
            fail(at, "must be " + min + " to " + max + " characters long");
        }
    }

    final void fail(String field, String rule) {
        violations.add(new Violation(field, rule));
    }
}
