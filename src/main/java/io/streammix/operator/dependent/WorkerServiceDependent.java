package io.streammix.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.operator.worker.WorkerNames;
import io.streammix.worker.contract.ControlApi;


/** The worker's Service: media port 8080 (HLS and HTTP-FLV playback) and control port 8081 (the operator). */
public class WorkerServiceDependent extends WorkerDependent<Service> {

    public WorkerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(MixTask task, Context<MixTask> context) {
        Service service = new ServiceBuilder()
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
                .build();
        return withSpecHash(service, WorkerNames.SERVICE_HASH_ANNOTATION, service.getSpec());
    }

    @Override
    protected boolean sameAs(Service actual, Service desired) {
        return sameHash(actual, desired, WorkerNames.SERVICE_HASH_ANNOTATION);
    }
}
