package io.streammix.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.dependent.WorkerDeploymentDependent;
import io.streammix.operator.dependent.WorkerPlan;
import io.streammix.operator.dependent.WorkerPodTemplate;
import io.streammix.operator.dependent.WorkerSecretDependent;
import io.streammix.operator.dependent.WorkerServiceDependent;
import io.streammix.operator.events.TaskEvents;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.operator.spec.SpecResolver;
import io.streammix.operator.status.LastStatus;
import io.streammix.operator.status.Observation;
import io.streammix.operator.status.StatusBuilder;
import io.streammix.operator.worker.WorkerClient;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.operator.worker.WorkerUnreachableException;
import io.streammix.worker.control.WorkerReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns each MixTask into one worker (Deployment, Service, Secret) and its status into what the
 * worker reports. Stateless between reconciles: everything it needs to remember (token, startTime,
 * what Events were already sent) is in the cluster, so an operator restart changes nothing.
 *
 * <p>Each reconcile: check and resolve the spec; if valid, bring the worker's resources up to date
 * (if not, leave a running worker on its last good spec); ask the worker for its report, hand it a
 * newer spec if it runs an older one; derive the status, emit Events for transitions, and write the
 * status only if it changed. It then comes back after the refresh interval to follow the worker.
 */
@ControllerConfiguration(name = MixTaskReconciler.NAME)
public class MixTaskReconciler implements Reconciler<MixTask> {
    public static final String NAME = "mixtask";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorConfig config;
    private final SpecResolver resolver;
    private final WorkerClient workerClient;
    private final TaskEvents events;
    private final LastStatus lastStatus = new LastStatus();
    private final WorkerSecretDependent secret = new WorkerSecretDependent();
    private final WorkerServiceDependent service = new WorkerServiceDependent();
    private final WorkerDeploymentDependent deployment;

    public MixTaskReconciler(OperatorConfig config, SpecResolver resolver, WorkerClient workerClient,
                             WorkerPodTemplate podTemplate, TaskEvents events) {
        this.config = config;
        this.resolver = resolver;
        this.workerClient = workerClient;
        this.events = events;
        this.deployment = new WorkerDeploymentDependent(podTemplate);
    }

    @Override
    public List<EventSource<?, MixTask>> prepareEventSources(EventSourceContext<MixTask> context) {
        List<EventSource<?, MixTask>> sources = new ArrayList<>(
                EventSourceUtils.dependentEventSources(context, secret, service, deployment));
        // Pods belong to the Deployment's ReplicaSet, not to the task: they name their task in annotations.
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, MixTask.class)
                .withName("worker-pods")
                .withLabelSelector(WorkerNames.SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromAnnotation(
                        WorkerNames.TASK_NAME_ANNOTATION, WorkerNames.TASK_NAMESPACE_ANNOTATION, MixTask.class))
                .build(), context));
        return sources;
    }

    @Override
    public UpdateControl<MixTask> reconcile(MixTask task, Context<MixTask> context) {
        String token = WorkerSecretDependent.tokenOf(context.getSecondaryResource(Secret.class));
        Optional<ResolvedSpec> resolved = Optional.empty();
        Optional<InvalidSpecException> invalid = Optional.empty();
        try {
            resolved = Optional.of(resolver.resolve(task));
        } catch (InvalidSpecException e) {
            invalid = Optional.of(e);
        }
        if (resolved.isPresent()) {
            applyWorker(task, context, new WorkerPlan(resolved.get(), token));
        }
        boolean workerExists = context.getSecondaryResource(Deployment.class).isPresent();

        Optional<WorkerReport> report = Optional.empty();
        String unreachable = "the worker has not been created";
        if (workerExists) {
            try {
                report = Optional.of(askWorker(task, token, resolved));
            } catch (WorkerUnreachableException e) {
                unreachable = e.getMessage();
            }
        }
        Observation seen = new Observation(resolved, invalid, workerExists, currentPod(context), report, unreachable, Instant.now());
        MixTaskStatus before = lastStatus.latest(task);
        MixTaskStatus after = StatusBuilder.build(task, before, seen);
        events.transitions(task, before, after);
        lastStatus.remember(task, after);

        if (sameStatus(task.getStatus(), after)) {
            return UpdateControl.<MixTask>noUpdate().rescheduleAfter(config.statusRefreshInterval());
        }
        task.setStatus(after);
        return UpdateControl.patchStatus(task).rescheduleAfter(config.statusRefreshInterval());
    }

    private void applyWorker(MixTask task, Context<MixTask> context, WorkerPlan plan) {
        plan.putInto(context);
        secret.reconcile(task, context);
        service.reconcile(task, context);
        ReconcileResult<Deployment> result = deployment.reconcile(task, context);
        String name = WorkerNames.workerName(task);
        switch (result.getSingleOperation()) {
            case CREATED -> events.workerCreated(task, name);
            case UPDATED -> events.workerRestarting(task, name);
            default -> {
            }
        }
    }

    /** The worker's report; a worker running an older spec gets the current one first (applied live). */
    private WorkerReport askWorker(MixTask task, String token, Optional<ResolvedSpec> resolved) throws WorkerUnreachableException {
        WorkerReport report = workerClient.status(task, token);
        if (resolved.isEmpty()) {
            return report;
        }
        long generation = resolved.get().submission().generation();
        boolean refused = report.lastUpdate() != null && report.lastUpdate().generation() == generation
                && "Failed".equals(report.lastUpdate().result());
        boolean running = WorkerReport.RUNNING.equals(report.state()) || WorkerReport.DEGRADED.equals(report.state());
        if (running && report.generation() != generation && !refused) {
            return workerClient.submit(task, token, resolved.get().submission());
        }
        return report;
    }

    /** The newest worker pod not on its way out (during a Recreate rollout the old one terminates first). */
    private static Optional<Pod> currentPod(Context<MixTask> context) {
        return context.getSecondaryResources(Pod.class).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .max(Comparator.comparing(p -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")));
    }

    private static boolean sameStatus(MixTaskStatus a, MixTaskStatus b) {
        return a != null && JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }
}
