package io.streammix.worker;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the plain-Java roles (worker, local) log: standard output, whatever log manager the JVM was started with.
 *
 * <p>Why: the image starts every role with {@code java -jar /deployments/quarkus-run.jar ROLE}. Quarkus's entry point
 * installs the JBoss LogManager, whose root logger then holds only Quarkus's delayed handler: it queues every record
 * until Quarkus configures logging at boot, which a role that never boots Quarkus never does. So a worker in a pod
 * logged nothing at all ({@code kubectl logs} was empty). That handler is removed here and a console handler on
 * stdout takes its place. Started as {@code java -cp ... io.streammix.Main} (the tests) the JDK's own console handler
 * is there already and is kept.
 */
public final class RoleLogging {
    private static final String QUARKUS_HANDLERS = "io.quarkus.bootstrap.logging.";

    private RoleLogging() {
    }

    /** Call before the first log line; idempotent. */
    public static void toStdout() {
        Logger root = Logger.getLogger("");
        boolean working = false;
        for (Handler h : root.getHandlers()) {
            if (h.getClass().getName().startsWith(QUARKUS_HANDLERS)) {
                root.removeHandler(h);
            } else {
                working = true;
            }
        }
        if (!working) {
            // INFO, as the JDK's own configuration has it: the JBoss LogManager left unconfigured passes everything,
            // and Netty's and Vert.x's DEBUG and TRACE lines (with stack traces) buried the worker's own.
            Handler stdout = new StdoutHandler(System.out);
            stdout.setLevel(Level.INFO);
            root.addHandler(stdout);
            if (root.getLevel() == null || root.getLevel().intValue() < Level.INFO.intValue()) {
                root.setLevel(Level.INFO);
            }
        }
    }

    /** One line per record, flushed at once (a pod's log must not lag or lose its last lines). */
    static final class StdoutHandler extends Handler {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss,SSS");
        private final PrintStream out;

        StdoutHandler(PrintStream out) {
            this.out = out;
            setFormatter(new Formatter() {
                @Override
                public String format(LogRecord r) {
                    StringBuilder b = new StringBuilder().append(LocalTime.now().format(TIME)).append(' ')
                            .append(String.format("%-5s", r.getLevel().getName())).append(" [")
                            .append(r.getLoggerName()).append("] ").append(message(r)).append('\n');
                    if (r.getThrown() != null) {
                        java.io.StringWriter w = new java.io.StringWriter();
                        r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                        b.append(w);
                    }
                    return b.toString();
                }
            });
        }

        /** JBoss Logging's printf-style records (when it logs straight to the JBoss LogManager) format themselves. */
        private String message(LogRecord r) {
            return r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : getFormatter().formatMessage(r);
        }

        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                out.print(getFormatter().format(r));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
