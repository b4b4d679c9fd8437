package io.streammix.startmix;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a start-mix body: JSON, or, when it is not, the way the vendor's document writes its example (section 3):
 * {@code //} and {@code /* *}{@code /} comments, {@code ''} strings, a comma missing at the end of a line, a comma
 * before a closing bracket. A caller who copies that example as it is gets the mix it describes, and the reply says
 * the body was not JSON. Anything else that is not JSON (a truncated body, a key given twice) is refused, naming the
 * place.
 */
public final class StartMixBody {
    /** The warning of a body read leniently. */
    public static final String LENIENT = "request body: not JSON as sent (comments, '' strings, missing or trailing commas); "
            + "read as the document's annotated example";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The request as an object; {@code lenient} when it had to be read as the annotated example. */
    public record Parsed(JsonNode request, boolean lenient) {
    }

    private StartMixBody() {
    }

    public static Parsed parse(byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            throw new IOException("request body: empty; a start-mix request is a JSON object");
        }
        try {
            return new Parsed(strict(body), false);
        } catch (IOException strictError) {
            String text = new String(body, StandardCharsets.UTF_8);
            String repaired = repair(text);
            if (repaired == null || repaired.equals(text)) {
                throw strictError;
            }
            try {
                return new Parsed(strict(repaired.getBytes(StandardCharsets.UTF_8)), true);
            } catch (IOException ignored) {
                throw strictError; // the first error is about what the caller sent, not about our repair
            }
        }
    }

    private static JsonNode strict(byte[] body) throws IOException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IOException("request body: must be a JSON object");
            }
            return node;
        } catch (JsonParseException e) {
            throw new IOException("request body: not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (JsonProcessingException e) {
            throw new IOException("request body: not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * The annotated example as JSON: comments dropped, {@code '...'} written {@code "..."}, a comma put between two
     * values that have only white space (a line break) between them, a comma before {@code ]} or {@code }} dropped.
     * Null when the text has an unterminated string or comment.
     */
    static String repair(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean valueEnded = false; // the last token ended a value or a key/value pair
        int pendingComma = -1;      // where a comma was written that a closing bracket may make a trailing one
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
                continue;
            }
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    return null;
                }
                i = end + 2;
                continue;
            }
            if (Character.isWhitespace(c)) {
                out.append(c);
                i++;
                continue;
            }
            boolean startsValue = c == '"' || c == '\'' || c == '{' || c == '[' || c == '-' || Character.isLetterOrDigit(c);
            if (startsValue && valueEnded) {
                out.append(','); // "version":1 <newline> "MixInput": the document's missing comma
            }
            if (c == '"' || c == '\'') {
                int end = stringEnd(s, i, c);
                if (end < 0) {
                    return null;
                }
                out.append('"');
                String inner = s.substring(i + 1, end);
                out.append(c == '\'' ? inner.replace("\\'", "'").replace("\"", "\\\"") : inner);
                out.append('"');
                i = end + 1;
                valueEnded = true;
                pendingComma = -1;
                continue;
            }
            if (c == ']' || c == '}') {
                if (pendingComma >= 0) {
                    out.setCharAt(pendingComma, ' '); // "encode_qua": 23, <newline> }: the trailing comma
                }
                out.append(c);
                i++;
                valueEnded = true;
                pendingComma = -1;
                continue;
            }
            if (c == ',') {
                pendingComma = out.length();
                out.append(c);
                valueEnded = false;
                i++;
                continue;
            }
            if (c == ':' || c == '{' || c == '[') {
                out.append(c);
                valueEnded = false;
                pendingComma = -1;
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            if (i == start) {
                out.append(c); // not ours to repair: the strict parser names it
                i++;
                continue;
            }
            out.append(s, start, i);
            valueEnded = true;
            pendingComma = -1;
        }
        return out.toString();
    }

    /** The index of the quote that closes the string opened at {@code start}, or -1. */
    private static int stringEnd(String s, int start, char quote) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            } else if (c == '\n') {
                return -1;
            }
        }
        return -1;
    }
}
