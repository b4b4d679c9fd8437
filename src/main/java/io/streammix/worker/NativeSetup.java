package io.streammix.worker;

import java.util.Map;

/**
 * Runs before any bytedeco class is touched. JavaCPP unpacks the FFmpeg natives into {@code ~/.javacpp/cache};
 * in the pod the root file system is read-only, so the cache goes to the scratch volume instead.
 */
public final class NativeSetup {
    public static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private NativeSetup() {
    }

    public static void prepare(Map<String, String> env) {
        // Plain-Java roles log through JBoss LogManager (on the classpath for Quarkus); say so before the first logger.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        RoleLogging.toStdout(); // local and start-mix-api, started in the image as java -jar quarkus-run.jar ROLE
        String scratch = env.get(io.streammix.worker.contract.ControlApi.ENV_SCRATCH_DIR);
        if (scratch != null && !scratch.isBlank() && System.getProperty(CACHE_DIR_PROPERTY) == null) {
            System.setProperty(CACHE_DIR_PROPERTY, java.nio.file.Path.of(scratch, "javacpp").toString());
        }
    }

    /**
     * FFmpeg's own log lines can quote URLs (stream keys, credentials): keep them quiet unless asked for with
     * {@code MIXTASK_FFMPEG_LOGLEVEL} (quiet, fatal, error, warning, info, debug).
     */
    public static void quietFfmpeg(Map<String, String> env) {
        String level = env.getOrDefault("MIXTASK_FFMPEG_LOGLEVEL", "fatal");
        int l = switch (level) {
            case "quiet" -> org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
            case "error" -> org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
            case "warning" -> org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
            case "info" -> org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
            case "debug" -> org.bytedeco.ffmpeg.global.avutil.AV_LOG_DEBUG;
            default -> org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
        };
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(l);
        // No avdevice_register_all(): the bundled libavdevice links libpulse, libxcb and more, which neither the image nor
        // a fresh machine has. Synthetic sources run their graph through libavfilter instead (FilterGraphSource).
        org.bytedeco.ffmpeg.global.avformat.avformat_network_init();
    }
}
