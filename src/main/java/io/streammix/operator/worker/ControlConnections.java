package io.streammix.operator.worker;

/**
 * Bounds the idle connections the operator keeps to its workers. {@link WorkerClient} calls every worker once per
 * status refresh on the JDK {@link java.net.http.HttpClient}, whose pool by default keeps every connection it used,
 * without limit, for 20 minutes: one idle socket per worker, thousands at thousands of tasks, and those of deleted
 * workers for as long. The JDK takes its pool's bounds only from system properties, read once when its first client
 * is built, so this must run before any (the operator's entry points call it first); a value given on the command
 * line ({@code -D}) is kept.
 */
public final class ControlConnections {
    /** Idle connections kept at most, over all workers: a call and the push that may follow it reuse one. */
    public static final int MAX_IDLE = 64;
    /** How long an idle connection is kept: a few status refreshes (10 s each by default), not 20 minutes. */
    public static final int IDLE_SECONDS = 30;

    static final String POOL_SIZE = "jdk.httpclient.connectionPoolSize";
    static final String KEEP_ALIVE = "jdk.httpclient.keepalive.timeout";

    private ControlConnections() {
    }

    /** Sets the JDK client's pool bounds unless given; before the first {@link java.net.http.HttpClient} is built. */
    public static void bound() {
        setUnlessGiven(POOL_SIZE, MAX_IDLE);
        setUnlessGiven(KEEP_ALIVE, IDLE_SECONDS);
    }

    private static void setUnlessGiven(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
