package io.streammix.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.micrometer.core.instrument.Timer;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.operator.cache.PrunedItemStore;
import io.streammix.operator.cache.WatchedNamespaces;
import io.streammix.operator.dependent.WorkerDependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.streammix.operator.cache.Pruning;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.dependent.WorkerDeploymentDependent;
import io.streammix.operator.dependent.WorkerNetworkPolicyDependent;
import io.streammix.operator.dependent.WorkerPlan;
import io.streammix.operator.dependent.WorkerPodTemplate;
import io.streammix.operator.dependent.WorkerSecretDependent;
import io.streammix.operator.dependent.WorkerServiceDependent;
import io.streammix.operator.events.SpecAnnouncements;
import io.streammix.operator.events.TaskEvents;
import io.streammix.operator.metrics.OperatorMetrics;
import io.streammix.operator.sizing.WorkerResizer;
import io.streammix.operator.sizing.WorkerSizing;
import io.streammix.operator.spec.InvalidSpecException;
import io.streammix.operator.spec.ResolvedSpec;
import io.streammix.operator.spec.SpecResolver;
import io.streammix.operator.status.Observation;
import io.streammix.operator.status.SpecUpdate;
import io.streammix.operator.status.StatusBuilder;
import io.streammix.operator.status.StatusWrites;
import io.streammix.operator.worker.PushRetries;
import io.streammix.operator.worker.SpecRefusedException;
import io.streammix.operator.worker.WorkerClient;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.operator.worker.WorkerSilence;
import io.streammix.operator.worker.NodeLossFailover;
import io.streammix.operator.worker.WorkerUnreachableException;
import io.streammix.worker.contract.SpecSubmission;
import io.streammix.worker.contract.WorkerReport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns each MixTask into one worker (Deployment, Service, Secret, NetworkPolicy) and its status into what the
 * worker reports. Stateless between reconciles: everything it needs to remember (token, startTime,
 * what Events were already sent) is in the cluster, so an operator restart changes nothing.
 *
 * <p>Each reconcile: check and resolve the spec; if valid, bring the worker's resources up to date
 * (if not, leave a running worker on its last good spec); ask the worker for its report, hand it a
 * newer spec if it runs an older one; derive the status, emit Events for transitions, and write the
 * status only if it changed. It then comes back after the refresh interval to follow the worker.
 */
// The task cache keeps no managedFields and no kubectl last-applied copy (io.streammix.operator.cache).
@ControllerConfiguration(name = MixTaskReconciler.NAME, informer = @Informer(itemStore = Pruning.TaskStore.class))
public class MixTaskReconciler implements Reconciler<MixTask> {
    public static final String NAME = "mixtask";

    private final OperatorConfig config;
    private final SpecResolver resolver;
    private final WorkerClient workerClient;
    private final TaskEvents events;
    private final PushRetries retries = new PushRetries();
    private final WorkerSilence silence = new WorkerSilence();
    private final NodeLossFailover failover;
    private final SpecAnnouncements announced;
    /** Forgets the in-memory state above when a task is deleted. */
    private final TaskMemory memory;
    private final WorkerSecretDependent secret = new WorkerSecretDependent();
    private final WorkerServiceDependent service = new WorkerServiceDependent();
    private final WorkerDeploymentDependent deployment;
    /** Null when network policies are off (then the operator neither watches nor needs them). */
    private final WorkerNetworkPolicyDependent networkPolicy;
    private final OperatorMetrics metrics;
    private final WorkerResizer resizer;

    public MixTaskReconciler(OperatorConfig config, SpecResolver resolver, WorkerClient workerClient,
                             WorkerPodTemplate podTemplate, TaskEvents events, OperatorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.resolver = resolver;
        this.workerClient = workerClient;
        this.events = events;
        this.announced = new SpecAnnouncements(events);
        this.deployment = new WorkerDeploymentDependent(podTemplate);
        this.resizer = new WorkerResizer(new WorkerSizing(config), events);
        this.failover = new NodeLossFailover(config.worker().fastFailoverAfter());
        this.memory = new TaskMemory(silence, retries, announced, resizer, metrics);
        this.networkPolicy = config.networkPolicy().enabled() ? new WorkerNetworkPolicyDependent(config.networkPolicy(), config.worker().metricsPort()) : null;
    }

    @Override
    public List<EventSource<?, MixTask>> prepareEventSources(EventSourceContext<MixTask> context) {
        var primary = context.getControllerConfiguration().getInformerConfig();
        List<WorkerDependent<?>> dependents = networkPolicy == null ? List.of(secret, service, deployment) : List.of(secret, service, networkPolicy, deployment);
        if (WatchedNamespaces.several(primary.getNamespaces())) {
            // One informer per namespace: none may share a store (cache.WatchedNamespaces); objects are cached whole.
            WatchedNamespaces.dropStore(primary);
            dependents.forEach(WorkerDependent::keepEachNamespacesOwnStore);
        }
        memory.follow(primary.getItemStore());
        List<EventSource<?, MixTask>> sources = new ArrayList<>(
                EventSourceUtils.dependentEventSources(context, dependents.toArray(new DependentResource[0])));
        // Pods belong to the Deployment's ReplicaSet, not to the task: they name their task in annotations.
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, MixTask.class)
                .withName("worker-pods")
                .withLabelSelector(WorkerNames.SELECTOR)
                // Kept: what the status reads (metadata, node, images, pod status); not the spec the Deployment holds.
                .withItemStore(WatchedNamespaces.storeFor(primary.getNamespaces(), () -> new PrunedItemStore<>(Pruning::pod)))
                // Every removal from the cache passes here (a watched delete or a relist without it), whatever the store.
                .withOnDeleteFilter((pod, finalStateUnknown) -> memory.podGone(pod))
                // (name key, namespace key, type key, type): the three-argument form takes its second as the *type* key,
                // which made every pod event fail to map ("Cannot parse gvk: default"), seen first on a real API server.
                .withSecondaryToPrimaryMapper(Mappers.fromAnnotation(
                        WorkerNames.TASK_NAME_ANNOTATION, WorkerNames.TASK_NAMESPACE_ANNOTATION, null, MixTask.class))
                .build(), context));
        return sources;
    }

    @Override
    public UpdateControl<MixTask> reconcile(MixTask task, Context<MixTask> context) {
        Timer.Sample timing = metrics.reconcileStarted();
        boolean ok = false;
        try {
            UpdateControl<MixTask> control = reconcileTimed(task, context);
            ok = true;
            return control;
        } finally {
            metrics.reconciled(timing, ok);
            memory.forgetIfGone(task, context.getPrimaryCache()::get);
        }
    }

    private UpdateControl<MixTask> reconcileTimed(MixTask task, Context<MixTask> context) {
        Optional<Secret> secretNow = context.getSecondaryResource(Secret.class);
        String token = WorkerSecretDependent.tokenOf(secretNow);
        // The last accepted spec is in the worker's Secret: the base of the diff, also after an operator restart.
        Optional<SpecSubmission> lastAccepted = WorkerSecretDependent.submissionOf(secretNow);
        Optional<ResolvedSpec> resolved = Optional.empty();
        Optional<InvalidSpecException> invalid = Optional.empty();
        try {
            resolved = Optional.of(resolver.resolve(task).withDigest(token));
        } catch (InvalidSpecException e) {
            invalid = Optional.of(e);
        }
        Optional<SpecUpdate> update = resolved.flatMap(r -> staleSeq(task, r, lastAccepted));
        if (update.isPresent()) {
            // Refused like an invalid spec: the worker keeps running the last applied one.
            resolved = Optional.empty();
        }
        boolean replacing = false;
        if (resolved.isPresent()) {
            announced.changed(task, lastAccepted, resolved.get());
            replacing = applyWorker(task, context, new WorkerPlan(resolved.get(), token), OperatorMetrics.RestartReason.SPEC);
            // A live edit that changes the cost resizes the running pod in place; a restart only if refused and accepted.
            Optional<String> restart = replacing ? Optional.empty() : resizer.follow(task, context.getClient(), currentPod(context),
                    WorkerPodTemplate.CONTAINER);
            if (restart.isPresent()) {
                replacing = applyWorker(task, context, new WorkerPlan(resolved.get(), token, restart.get()), OperatorMetrics.RestartReason.SPEC);
            }
        }
        boolean workerExists = context.getSecondaryResource(Deployment.class).isPresent();

        Exchange exchange = new Exchange();
        if (workerExists) {
            exchange = askWorker(task, context, token, resolved, replacing);
        } else {
            exchange.unreachable = "the worker has not been created";
        }
        if (update.isEmpty()) {
            update = exchange.update;
        }
        Instant now = Instant.now();
        Duration silentFor = exchange.report.isPresent() || !workerExists ? silence.answered(task.getMetadata().getUid())
                : silence.unanswered(task.getMetadata().getUid(), now);
        if (failover.enabled() && resolved.isPresent()) {
            Optional<String> lostNode = failover.lostNode(context.getClient(), currentPod(context), silentFor, now);
            if (lostNode.isPresent()) {
                failOver(task, context, new WorkerPlan(resolved.get(), token, "node-lost-" + now.toEpochMilli(), lostNode.get()));
            }
        }
        Observation seen = new Observation(resolved, invalid, workerExists, currentPod(context), exchange.report,
                exchange.unreachable, now, update, silentFor, config.worker().unreachableGrace());
        // The cached task holds the last status written (the patch below puts it into the cache at once), and what is
        // not written (moving figures) makes no Event and no transition.
        MixTaskStatus before = task.getStatus();
        MixTaskStatus after = StatusBuilder.build(task, before, seen);
        events.transitions(task, before, after);
        metrics.observed(task, after);

        Duration next = exchange.retryIn.filter(d -> d.compareTo(config.statusRefreshInterval()) < 0)
                .orElse(config.statusRefreshInterval());
        if (StatusWrites.due(before, after, config.statusFiguresInterval())) {
            // Patched and put into JOSDK's cache at once: returned as UpdateControl.patchStatus, the next reconcile could
            // start from the older cached status and repeat its Events. On a conflict it is set again on the newer task.
            PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(task, context, t -> { t.setStatus(after); return t; });
        }
        return UpdateControl.<MixTask>noUpdate().rescheduleAfter(next);
    }

    /**
     * start-mix orders requests by seq: a spec whose seq is lower than the last accepted or applied one is
     * refused, naming both numbers.
     */
    private static Optional<SpecUpdate> staleSeq(MixTask task, ResolvedSpec resolved, Optional<SpecSubmission> lastAccepted) {
        Long seq = resolved.submission().spec().seq;
        Long accepted = lastAccepted.map(l -> l.spec().seq).orElse(null);
        Long applied = task.getStatus() == null ? null : task.getStatus().appliedSeq;
        Long last = accepted == null ? applied : applied == null ? accepted : Long.valueOf(Math.max(accepted, applied));
        if (seq == null || last == null || seq >= last) {
            return Optional.empty();
        }
        String keeps = lastAccepted.map(l -> "; the mix keeps generation " + l.generation()).orElse("");
        return Optional.of(new SpecUpdate(SpecUpdate.STALE_SEQ,
                "spec.seq " + seq + " is lower than the last applied seq " + last + ": update refused" + keeps));
    }

    /** Entries per in-memory map keyed by task or worker pod (for tests). */
    Map<String, Integer> perTaskEntries() {
        return memory.entries();
    }

    /** Brings Secret, Service and Deployment up to date; true when the worker pod is being replaced. */
    private boolean applyWorker(MixTask task, Context<MixTask> context, WorkerPlan plan, OperatorMetrics.RestartReason why) {
        plan.putInto(context);
        secret.reconcile(task, context);
        service.reconcile(task, context);
        if (networkPolicy != null) {
            // Before the Deployment: the pod starts fenced, never open for a moment.
            networkPolicy.reconcile(task, context);
        }
        ReconcileResult<Deployment> result = deployment.reconcile(task, context);
        String name = WorkerNames.workerName(task);
        switch (result.getSingleOperation()) {
            case CREATED -> events.workerCreated(task, name);
            case UPDATED -> {
                events.workerRestarting(task, name);
                metrics.workerRestarted(task, why);
            }
            default -> {
            }
        }
        return result.getSingleOperation() == ReconcileResult.Operation.UPDATED;
    }

    /**
     * Fast failover (opt-in): the worker's node is lost. Its template now excludes that node (once), and the pod there is
     * deleted at once, without waiting for a kubelet that will not answer: the Deployment starts the worker elsewhere.
     */
    private void failOver(MixTask task, Context<MixTask> context, WorkerPlan plan) {
        Optional<Pod> lost = currentPod(context);
        boolean avoided = context.getSecondaryResource(Deployment.class).map(WorkerDeploymentDependent::templateAnnotations)
                .map(a -> plan.avoidNode().equals(a.get(WorkerNames.AVOID_NODE_ANNOTATION))).orElse(false);
        if (!avoided) {
            events.workerFailover(task, plan.avoidNode(), lost.map(p -> p.getMetadata().getName()).orElse("?"));
            applyWorker(task, context, plan, OperatorMetrics.RestartReason.NODE_LOST);
        }
        lost.filter(p -> plan.avoidNode().equals(p.getSpec().getNodeName())).ifPresent(p ->
                context.getClient().pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                        .withGracePeriod(0).delete());
    }

    /** What one round with the worker gave: its report, or why there is none, and the fate of a push. */
    private static final class Exchange {
        Optional<WorkerReport> report = Optional.empty();
        String unreachable;
        Optional<SpecUpdate> update = Optional.empty();
        Optional<Duration> retryIn = Optional.empty();
    }

    /**
     * The worker's report; a worker running an older spec gets the current one first (PUT /spec, applied live
     * or by reopening the outputs concerned). A failed push is retried with backoff; after
     * {@code mixtask.worker.push-attempts} failures the worker is replaced (its pod template gets a new restart
     * token) and the new one reads the spec from the Secret: a spec is never left silently unapplied. Each call
     * is bounded by the control timeout.
     */
    private Exchange askWorker(MixTask task, Context<MixTask> context, String token, Optional<ResolvedSpec> resolved,
                               boolean replacing) {
        Exchange x = new Exchange();
        String key = task.getMetadata().getUid();
        String podIp = currentPod(context).map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP()).orElse(null);
        WorkerReport report;
        try {
            report = workerClient.status(task, podIp, token);
        } catch (WorkerUnreachableException e) {
            x.unreachable = e.getMessage();
            return x;
        }
        x.report = Optional.of(report);
        if (resolved.isEmpty()) {
            return x;
        }
        long generation = resolved.get().submission().generation();
        // Same generation and same digest: the worker runs this spec with these Secret values. A worker that reports
        // no digest (it was given none) is judged by the generation alone.
        boolean sameValues = report.specDigest() == null || report.specDigest().equals(resolved.get().submission().digest());
        if (report.generation() == generation && sameValues) {
            retries.clear(key);
            return x;
        }
        boolean secretValuesOnly = report.generation() == generation;
        boolean refused = report.lastUpdate() != null && report.lastUpdate().generation() == generation
                && "Failed".equals(report.lastUpdate().result());
        boolean running = WorkerReport.RUNNING.equals(report.state()) || WorkerReport.DEGRADED.equals(report.state());
        if (!running || refused) {
            return x;
        }
        if (replacing || beingReplaced(context)) {
            // The pod answering is the old one of a Recreate rollout: the new one reads the spec at start-up.
            x.update = Optional.of(new SpecUpdate(SpecUpdate.WORKER_RESTARTING,
                    "generation " + generation + " needs a new worker; waiting for it"));
            return x;
        }
        Instant now = Instant.now();
        if (!retries.due(key, generation, now)) {
            PushRetries.Failures f = retries.of(key, generation).orElseThrow();
            x.update = Optional.of(pushFailed(generation, f));
            x.retryIn = Optional.of(Duration.between(now, f.nextAttempt()));
            return x;
        }
        try {
            x.report = Optional.of(workerClient.submit(task, podIp, token, resolved.get().submission()));
            retries.clear(key);
            if (secretValuesOnly) {
                events.secretValuesApplied(task, x.report.get().lastUpdate(), resolved);
            }
        } catch (SpecRefusedException e) {
            // The worker recorded why in its report (lastUpdate): SpecApplied says Invalid from there.
            retries.clear(key);
            try {
                x.report = Optional.of(workerClient.status(task, podIp, token));
            } catch (WorkerUnreachableException again) {
                x.update = Optional.of(new SpecUpdate(SpecUpdate.PUSH_FAILED, e.getMessage()));
            }
        } catch (WorkerUnreachableException e) {
            metrics.pushFailed(task);
            PushRetries.Failures f = retries.failed(key, generation, e.getMessage(), now, config.worker().pushBackoff());
            if (f.count() >= config.worker().pushAttempts()) {
                retries.clear(key);
                events.pushEscalated(task, generation, f.count(), e.getMessage(), resolved);
                applyWorker(task, context, new WorkerPlan(resolved.get(), token, "generation-" + generation + "-" + now.toEpochMilli()),
                        OperatorMetrics.RestartReason.PUSH_FAILED);
                x.update = Optional.of(new SpecUpdate(SpecUpdate.PUSH_FAILED, "generation " + generation + " could not be pushed ("
                        + f.count() + " attempts, last: " + e.getMessage() + "); the worker is being replaced"));
            } else {
                x.update = Optional.of(pushFailed(generation, f));
                x.retryIn = Optional.of(Duration.between(now, f.nextAttempt()));
            }
        }
        return x;
    }

    private SpecUpdate pushFailed(long generation, PushRetries.Failures f) {
        return new SpecUpdate(SpecUpdate.PUSH_FAILED, "push of generation " + generation + " failed (" + f.count() + " of "
                + config.worker().pushAttempts() + " attempts, last: " + f.lastError() + "); retrying");
    }

    /** True when a worker pod is not from the current pod template (a Recreate rollout is under way). */
    private static boolean beingReplaced(Context<MixTask> context) {
        Optional<String> wanted = context.getSecondaryResource(Deployment.class)
                .map(d -> WorkerDeploymentDependent.templateAnnotations(d).get(WorkerNames.RESTART_HASH_ANNOTATION));
        return wanted.isPresent() && context.getSecondaryResources(Pod.class).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() != null || p.getMetadata().getAnnotations() != null)
                .anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null
                        || hashOtherThan(p.getMetadata().getAnnotations().get(WorkerNames.RESTART_HASH_ANNOTATION), wanted.get()));
    }

    private static boolean hashOtherThan(String podHash, String wanted) {
        return podHash != null && !podHash.equals(wanted);
    }

    /** The newest worker pod not on its way out (during a Recreate rollout the old one terminates first). */
    private static Optional<Pod> currentPod(Context<MixTask> context) {
        return context.getSecondaryResources(Pod.class).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .max(Comparator.comparing(p -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")));
    }
}
