package io.streammix.worker.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A Vert.x instance with one event loop and an HTTP server on it, guarded by a {@link ConnectionGuard}. */
public final class WorkerHttp implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final ConnectionGuard guard;

    /**
     * @param handler called on the event loop for every request, after the guard started its deadline; it must not block
     */
    public WorkerHttp(String name, String host, int port, HttpLimits limits, Consumer<HttpServerRequest> handler) throws IOException {
        // One event loop is plenty for a handful of clients; no file cache (the root filesystem is read-only).
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        guard = new ConnectionGuard(vertx, limits);
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxHeaderSize(limits.maxHeaderBytes()).setMaxInitialLineLength(4096)
                .setIdleTimeout((int) limits.idleTimeout().toSeconds() * 2).setCompressionSupported(false)
                .setDecompressionSupported(false).setHandle100ContinueAutomatically(false)
                // HTTP/1.1 only: no h2c upgrade (its request is read whole before any handler, deadline or cap sees it).
                .setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(options).connectionHandler(guard::accept).requestHandler(req -> {
            guard.started(req);
            handler.accept(req);
        });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            vertx.close();
            throw new IOException(name + ": cannot listen on " + host + ":" + port + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            vertx.close();
            throw new IOException(name + ": cannot listen on " + host + ":" + port + ": " + e, e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public ConnectionGuard guard() {
        return guard;
    }

    /**
     * A bounded pool of daemon threads for blocking handlers: {@code threads} at most, {@code queue} waiting (0: none);
     * beyond that {@code execute} throws RejectedExecutionException (the caller answers 503).
     */
    public static ExecutorService boundedPool(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(queue == 0 ? 0 : threads, threads, 30, TimeUnit.SECONDS,
                queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the worker is stopping
        }
    }
}
