package io.streammix.api.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streammix.api.validation.AdmissionCase;
import io.streammix.api.validation.AdmissionCases;
import io.streammix.testing.kube.ControlPlane;
import io.streammix.testing.kube.ControlPlaneBinaries;
import io.streammix.testing.kube.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated CRD on a real kube-apiserver, the authority on admission: the server accepts it (its CEL cost
 * estimate within budget), and every row of the admission case table goes through the server's own OpenAPI and
 * CEL validation (server-side dry run): valid rows are accepted, invalid ones refused with a message naming the
 * field. cel-java and the JSON-schema library ({@code AdmissionRulesTest}) stay as the fast check without a server.
 */
@org.junit.jupiter.api.Tag(io.streammix.testing.kube.ControlPlane.TAG)
class CrdOnApiServerTest {
    static final String NAMESPACE = "crd-admission";
    static ControlPlane cp;
    static KubernetesClient admin;

    @BeforeAll
    static void installCrd() throws IOException {
        ControlPlaneBinaries.assumeAvailable();
        cp = ControlPlane.shared();
        admin = cp.adminClient();
        cp.installCrd();
        if (admin.namespaces().withName(NAMESPACE).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        }
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void theServerAcceptsTheCommittedCrdAndTheChartsCopy() throws IOException {
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().withName("mixtasks.streammix.io").get();
        assertThat(crd.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Established");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        // The chart carries a byte-identical copy (CrdIsCurrentTest); applying it too proves the chart's file as such.
        Kubectl.Result r = cp.kubectl("apply", "--dry-run=server", "-f", CrdGenerator.CHART_COPY.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    static Stream<AdmissionCase> cases() {
        CrdSchema crd = CrdSchema.committed();
        return Stream.concat(AdmissionCases.handWritten().stream(),
                AdmissionCases.derivedFromSchema(crd.openApiSchema(), AdmissionCases.base()).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyAdmissionCaseIsJudgedByTheServerAsTheTableSays(AdmissionCase c) {
        ObjectNode object = AdmissionCases.base().deepCopy();
        c.mutate().accept(object);
        ((ObjectNode) object.get("metadata")).put("namespace", NAMESPACE);
        GenericKubernetesResource resource = Serialization.unmarshal(object.toString(), GenericKubernetesResource.class);
        try {
            admin.resource(resource).dryRun().create();
        } catch (KubernetesClientException e) {
            assertThat(c.valid()).as("refused by the API server: " + e.getMessage()).isFalse();
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            List<String> named = e.getStatus().getDetails().getCauses().stream()
                    .map(cause -> cause.getField() + ": " + cause.getMessage()).toList();
            // The server names the field (a CEL rule on a list names the list; its message names the item's field).
            String unindexed = c.field().replaceAll("\\[\\d+]", "[]");
            assertThat(named).as("the server's causes name " + c.field()).anySatisfy(m ->
                    assertThat(m.contains(c.field()) || m.contains(unindexed) || namesParent(m, c.field())).as(m).isTrue());
            return;
        }
        assertThat(c.valid()).as("accepted by the API server, but the table says " + c.field() + " is invalid").isTrue();
    }

    /** A cause on the object that holds the field (CEL rules on {@code spec} or a list item) whose message names the field. */
    private static boolean namesParent(String cause, String field) {
        String path = cause.substring(0, cause.indexOf(": "));
        String message = cause.substring(cause.indexOf(": ") + 2);
        String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
        return field.startsWith(path) && message.contains(last);
    }

    @Test
    void kubectlExplainPrintsTheModelsDescriptions() {
        Kubectl.Result r = cp.kubectl("explain", "mixtask.spec.inputs.rect").assertSuccess();
        assertThat(r.out()).contains("KIND:", "MixTask", "Where the input's picture is drawn on the canvas")
                .contains("left", "top", "right", "bottom");
    }
}
