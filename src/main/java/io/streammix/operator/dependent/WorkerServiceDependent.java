package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.worker.control.ControlApi;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The worker's Service: media port 8080 (HLS and HTTP-FLV playback) and control port 8081 (the operator). */
public class WorkerServiceDependent extends WorkerDependent<Service> {

    public WorkerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(MixTask task, Context<MixTask> context) {
        return withHash(new ServiceBuilder()
                .withNewMetadata()
                .withName(WorkerNames.workerName(task))
                .withNamespace(task.getMetadata().getNamespace())
                .withLabels(WorkerNames.labels(task))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(WorkerNames.labels(task))
                .withPorts(
                        new ServicePortBuilder().withName("media").withProtocol("TCP").withPort(ControlApi.MEDIA_PORT)
                                .withTargetPort(new IntOrString("media")).build(),
                        new ServicePortBuilder().withName("control").withProtocol("TCP").withPort(ControlApi.CONTROL_PORT)
                                .withTargetPort(new IntOrString("control")).build())
                .endSpec()
                .build());
    }

    private static Service withHash(Service service) {
        service.getMetadata().setAnnotations(new HashMap<>(Map.of(WorkerNames.SERVICE_HASH_ANNOTATION, ContentHash.of(service.getSpec()))));
        return service;
    }

    @Override
    protected boolean sameAs(Service actual, Service desired) {
        return Objects.equals(annotation(actual, WorkerNames.SERVICE_HASH_ANNOTATION),
                annotation(desired, WorkerNames.SERVICE_HASH_ANNOTATION));
    }
}
