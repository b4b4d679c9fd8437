package io.streammix.operator.sizing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resize request as the API server gets it (a strategic-merge patch of pods/resize naming the container) and
 * what each answer means: done in place, or a restart needed, said once per pod and figures.
 */
@EnableKubernetesMockClient
class InPlaceResizeTest {
    static final String PATH = "/api/v1/namespaces/ns/pods/mt-t-abc/resize";
    KubernetesMockServer server;
    KubernetesClient client;

    static ResourceRequirements res(String cpu, String mem) {
        return new ResourceRequirementsBuilder().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(mem)))
                .withLimits(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(mem))).build();
    }

    static Pod pod(ResourceRequirements r, String node) {
        return new PodBuilder().withNewMetadata().withName("mt-t-abc").withNamespace("ns").withUid("u1").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("worker").withResources(r).endContainer().endSpec().build();
    }

    @Test
    void aDifferentSizeIsPatchedOntoTheResizeSubresource() throws Exception {
        server.expect().patch().withPath(PATH).andReturn(200, pod(res("1", "1Gi"), "n1")).always();
        InPlaceResize resize = new InPlaceResize();
        InPlaceResize.Outcome o = resize.apply(client, pod(res("500m", "512Mi"), "n1"), "worker", res("1", "1Gi"));
        assertThat(o.kind()).isEqualTo(InPlaceResize.Outcome.Kind.RESIZED);
        assertThat(o.from()).isEqualTo("cpu 500m/500m, memory 512Mi/512Mi (request/limit)");
        assertThat(o.to()).isEqualTo("cpu 1/1, memory 1Gi/1Gi (request/limit)");
        RecordedRequest r = server.takeRequest();
        assertThat(r.getMethod()).isEqualTo("PATCH");
        assertThat(r.getPath()).isEqualTo(PATH);
        assertThat(r.getHeader("Content-Type")).startsWith("application/strategic-merge-patch+json");
        assertThat(r.getBody().readUtf8()).contains("\"name\":\"worker\"", "\"cpu\":\"1\"", "\"memory\":\"1Gi\"");
        assertThat(resize.apply(client, pod(res("500m", "512Mi"), "n1"), "worker", res("1", "1Gi")).kind())
                .as("the informer's copy still shows the old size: no second patch, no second Event")
                .isEqualTo(InPlaceResize.Outcome.Kind.NONE);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theSameSizeOrAnUnboundPodAsksNothing() {
        InPlaceResize resize = new InPlaceResize();
        assertThat(resize.apply(client, pod(res("1", "1024Mi"), "n1"), "worker", res("1000m", "1Gi")).kind())
                .isEqualTo(InPlaceResize.Outcome.Kind.NONE);
        assertThat(resize.apply(client, pod(res("1", "1Gi"), null), "worker", res("2", "2Gi")).kind())
                .isEqualTo(InPlaceResize.Outcome.Kind.NONE);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aClusterWithoutResizeSaysARestartIsNeededOnce() {
        server.expect().patch().withPath(PATH).andReturn(404, new StatusBuilder().withCode(404).withMessage("not found").build()).always();
        InPlaceResize resize = new InPlaceResize();
        InPlaceResize.Outcome o = resize.apply(client, pod(res("500m", "512Mi"), "n1"), "worker", res("1", "1Gi"));
        assertThat(o.kind()).isEqualTo(InPlaceResize.Outcome.Kind.RESTART_NEEDED);
        assertThat(o.why()).contains("no in-place pod resize", "1.33");
        assertThat(resize.apply(client, pod(res("500m", "512Mi"), "n1"), "worker", res("1", "1Gi")).kind())
                .as("said once for these figures").isEqualTo(InPlaceResize.Outcome.Kind.NONE);
    }

    /** Issue 24: one entry per pod, not one per figures asked (it grew with every edit), and none once the pod is gone. */
    @Test
    void editsKeepOneEntryPerPodAndItGoesWithThePod() {
        server.expect().patch().withPath(PATH).andReturn(404, new StatusBuilder().withCode(404).withMessage("not found").build()).always();
        InPlaceResize resize = new InPlaceResize();
        for (int i = 1; i <= 50; i++) {
            assertThat(resize.apply(client, pod(res("500m", "512Mi"), "n1"), "worker", res((500 + i) + "m", "1Gi")).kind())
                    .as("new figures %d: reported", i).isEqualTo(InPlaceResize.Outcome.Kind.RESTART_NEEDED);
        }
        assertThat(resize.size()).as("50 edits of one pod's figures").isEqualTo(1);
        resize.forget("u1");
        assertThat(resize.size()).isZero();
    }

    @Test
    void aRefusalCarriesTheApiServersReason() {
        server.expect().patch().withPath(PATH).andReturn(422, new StatusBuilder().withCode(422)
                .withMessage("Pod \"mt-t-abc\" is invalid: spec: Forbidden: Pod QOS Class may not change as a result of resizing").build()).once();
        InPlaceResize.Outcome o = new InPlaceResize().apply(client, pod(res("500m", "512Mi"), "n1"), "worker", res("1", "1Gi"));
        assertThat(o.kind()).isEqualTo(InPlaceResize.Outcome.Kind.RESTART_NEEDED);
        assertThat(o.why()).contains("HTTP 422", "QOS Class may not change");
    }
}
