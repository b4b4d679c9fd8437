package io.streammix;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.streammix.operator.worker.ControlConnections;

import java.util.Arrays;

/**
 * One artifact, its roles, chosen by the first argument:
 * <ul>
 *   <li>(none) or {@code operator}: the Quarkus application running the MixTask operator;</li>
 *   <li>{@code worker}: the mixer worker of one task, as the operator starts it in a pod (plain Java:
 *       no Quarkus, no Kubernetes client, so it starts fast and small);</li>
 *   <li>{@code local <mixtask.yaml>}: the worker engine run on a MixTask file, no cluster needed;</li>
 *   <li>{@code start-mix-api}: the start-mix HTTP API without a cluster, each task mixed in-process;</li>
 *   <li>{@code probe <url> [seconds]}: plays a URL as a player in the cluster would and prints what it decoded.</li>
 * </ul>
 */
@QuarkusMain
public final class Main {
    private Main() {
    }

    public static void main(String... args) throws Exception {
        String role = args.length == 0 ? "operator" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (role) {
            case "worker" -> io.streammix.worker.WorkerMain.main(rest);
            case "local" -> io.streammix.local.LocalRun.main(rest);
            case "start-mix-api" -> io.streammix.startmix.embedded.StartMixServer.main(rest);
            case "probe" -> io.streammix.local.PlayProbe.main(rest);
            case "operator" -> {
                ControlConnections.bound();
                Quarkus.run(rest);
            }
            default -> {
                System.err.println("usage: (operator | worker | local <mixtask.yaml> | start-mix-api [options] | probe <url> [seconds])");
                System.exit(2);
            }
        }
    }
}
