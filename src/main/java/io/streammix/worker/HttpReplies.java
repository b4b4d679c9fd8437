package io.streammix.worker;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Whole-body replies of the JDK HTTP server that remains: the embedded start-mix API (the worker's ports are on Vert.x). */
public final class HttpReplies {
    private HttpReplies() {
    }

    public static void send(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    public static void send(HttpExchange ex, int code, String contentType, String body) throws IOException {
        send(ex, code, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
