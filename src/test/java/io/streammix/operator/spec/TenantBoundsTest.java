package io.streammix.operator.spec;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.streammix.api.v1alpha1.WorkerOverrides;
import io.streammix.operator.config.OperatorConfig;
import io.streammix.operator.testing.OperatorHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, finding 5: spec.worker let a MixTask set any image, drop resource limits and pick any priority class,
 * toleration or node. Each override beyond the admin's bounds (mixtask.tenancy.*, the chart's tenancy values) is now
 * refused as InvalidSpec naming the field; the same overrides within the bounds pass.
 */
class TenantBoundsTest {
    static final OperatorConfig.Tenancy BOUNDS = OperatorHarness.config(Map.of(
            "mixtask.tenancy.allowed-images", "ghcr.io/streammix/mixtask-operator:*,registry.example/mixer:1.2",
            "mixtask.tenancy.allowed-priority-classes", "media",
            "mixtask.tenancy.allowed-tolerations-json", "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"media\",\"effect\":\"NoSchedule\"}]",
            "mixtask.tenancy.allowed-node-selectors.\"pool\"", "media,media-gpu",
            "mixtask.tenancy.allowed-node-selectors.\"zone\"", "*")).tenancy();
    static final OperatorConfig.Tenancy DEFAULTS = OperatorHarness.config(Map.of()).tenancy();

    private static WorkerOverrides worker(Consumer<WorkerOverrides> set) {
        WorkerOverrides w = new WorkerOverrides();
        set.accept(w);
        return w;
    }

    private static ResourceRequirements resources(String reqCpu, String reqMem, String limCpu, String limMem) {
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
        if (reqCpu != null) {
            b.addToRequests("cpu", new Quantity(reqCpu));
        }
        if (reqMem != null) {
            b.addToRequests("memory", new Quantity(reqMem));
        }
        if (limCpu != null) {
            b.addToLimits("cpu", new Quantity(limCpu));
        }
        if (limMem != null) {
            b.addToLimits("memory", new Quantity(limMem));
        }
        return b.build();
    }

    private static Toleration toleration(String key, String value) {
        return new Toleration("NoSchedule", key, "Equal", null, value);
    }

    private static void refused(WorkerOverrides w, OperatorConfig.Tenancy t, String field) {
        assertThatThrownBy(() -> TenantBounds.check(w, t)).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void overridesBeyondTheBoundsAreRefusedNamingTheField() {
        refused(worker(w -> w.image = "docker.io/attacker/miner:latest"), BOUNDS, "spec.worker.image");
        refused(worker(w -> w.image = "ghcr.io/streammix/mixtask-operator-evil:1"), BOUNDS, "spec.worker.image");
        refused(worker(w -> w.priorityClassName = "system-node-critical"), BOUNDS, "spec.worker.priorityClassName");
        refused(worker(w -> w.tolerations = List.of(toleration("node-role.kubernetes.io/control-plane", null))), BOUNDS,
                "spec.worker.tolerations[0]");
        refused(worker(w -> w.tolerations = List.of(new Toleration(null, null, "Exists", null, null))), BOUNDS,
                "spec.worker.tolerations[0]");
        refused(worker(w -> w.nodeSelector = Map.of("kubernetes.io/hostname", "control-plane-1")), BOUNDS,
                "spec.worker.nodeSelector.kubernetes.io/hostname");
        refused(worker(w -> w.nodeSelector = Map.of("pool", "system")), BOUNDS, "spec.worker.nodeSelector.pool");
        refused(worker(w -> w.affinity = new AffinityBuilder().withNewNodeAffinity().endNodeAffinity().build()), BOUNDS,
                "spec.worker.affinity");
        refused(worker(w -> w.resources = resources("1", "1Gi", null, null)), BOUNDS, "spec.worker.resources.limits.cpu");
        refused(worker(w -> w.resources = resources(null, null, "2", null)), BOUNDS, "spec.worker.resources.limits.memory");
        refused(worker(w -> w.resources = resources(null, null, "64", "2Gi")), BOUNDS, "spec.worker.resources.limits.cpu");
        refused(worker(w -> w.resources = resources(null, null, "2", "256Gi")), BOUNDS, "spec.worker.resources.limits.memory");
        refused(worker(w -> w.resources = resources("10m", null, "2", "2Gi")), BOUNDS, "spec.worker.resources.requests.cpu");
        refused(worker(w -> w.resources = new ResourceRequirementsBuilder(resources(null, null, "2", "2Gi"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).build()), BOUNDS, "spec.worker.resources.limits.nvidia.com/gpu");
        // The defaults allow no image, priority class, toleration or node selector at all.
        refused(worker(w -> w.image = "ghcr.io/streammix/mixtask-operator:0.2.0"), DEFAULTS, "spec.worker.image");
        refused(worker(w -> w.priorityClassName = "media"), DEFAULTS, "spec.worker.priorityClassName");
        refused(worker(w -> w.nodeSelector = Map.of("pool", "media")), DEFAULTS, "spec.worker.nodeSelector.pool");
    }

    @Test
    void overridesWithinTheBoundsPass() {
        assertThatCode(() -> TenantBounds.check(worker(w -> {
            w.image = "ghcr.io/streammix/mixtask-operator:0.2.0";
            w.priorityClassName = "media";
            w.tolerations = List.of(toleration("dedicated", "media"));
            w.nodeSelector = Map.of("pool", "media-gpu", "zone", "eu-west-1a");
            w.resources = resources("500m", "1Gi", "3", "3Gi");
        }), BOUNDS)).doesNotThrowAnyException();
        assertThatCode(() -> TenantBounds.check(worker(w -> w.image = "registry.example/mixer:1.2"), BOUNDS)).doesNotThrowAnyException();
        assertThatCode(() -> TenantBounds.check(null, DEFAULTS)).doesNotThrowAnyException();
        assertThatCode(() -> TenantBounds.check(worker(w -> w.resources = resources(null, null, "2", "1536Mi")), DEFAULTS))
                .doesNotThrowAnyException();
    }

    /**
     * Issue 21, finding 7: image patterns matched as string prefixes ({@code mix*} allowed {@code mix-evil/...}), and
     * spec.worker.volumes mounted any claim of the namespace. Patterns now match per component ({@code *} within one
     * component, a trailing {@code :*} any tag), and claims must be listed by name or carry the admin's labels.
     */
    @Test
    void imagePatternsMatchPerComponentAndClaimsOnlyFromTheAllowList() {
        OperatorConfig.Tenancy t = OperatorHarness.config(Map.of(
                "mixtask.tenancy.allowed-images", "ghcr.io/streammix/mixer:*,ghcr.io/streammix/mix:*,registry.example/team/*:1.*,"
                        + "registry.example/plain,ghcr.io/other/mix*:*",
                "mixtask.tenancy.allowed-volume-claims", "mix-recordings",
                "mixtask.tenancy.allowed-volume-claim-labels.\"streammix.io/recordings\"", "true")).tenancy();
        for (String evil : new String[] {"ghcr.io/streammix/mix-evil/x:1", "ghcr.io/streammix/mix/../evil:1",
                "ghcr.io/streammix/mixer/sub:1", "ghcr.io/streammix.evil.example/mix:1", "registry.example/team/a/b:1.0",
                "registry.example/team/x:2.0", "registry.example/team/x:1.0/evil", "registry.example/plain:latest",
                "registry.example/plainer", "registry.example/plain/x", "ghcr.io/streammix/mixer@sha256:ab/x",
                "ghcr.io/streammix/mix-evil:1", "ghcr.io/streammix/mixer-evil:1", "ghcr.io/other/mixer:1", "ghcr.io/other/mix:1"}) {
            refused(worker(w -> w.image = evil), t, "spec.worker.image");
        }
        // Same depth (issue 21, third pass): "mix*" allowed "mix-evil". A '*' inside a name component is no pattern.
        assertThatThrownBy(() -> TenantBounds.check(worker(w -> w.image = "ghcr.io/other/mix-evil:1"), t))
                .hasMessageContaining("the entry 'ghcr.io/other/mix*:*' matches nothing: '*' stands for a whole name component");
        for (String good : new String[] {"ghcr.io/streammix/mixer:1.2", "ghcr.io/streammix/mix", "ghcr.io/streammix/mix:x",
                "ghcr.io/streammix/mixer@sha256:0123abcd", "registry.example/team/x:1.4", "registry.example/plain"}) {
            assertThatCode(() -> TenantBounds.check(worker(w -> w.image = good), t)).as(good).doesNotThrowAnyException();
        }

        java.util.function.Function<String, Map<String, String>> labels = name -> switch (name) {
            case "labelled" -> Map.of("streammix.io/recordings", "true");
            case "other" -> Map.of("streammix.io/recordings", "false");
            default -> null;
        };
        refused(worker(w -> w.volumes = List.of(new io.streammix.api.v1alpha1.WorkerVolume("rec", "mix-recordings", "/rec"))),
                DEFAULTS, "spec.worker.volumes[0].claimName");
        for (String claim : new String[] {"other", "db-data", "mix-recordings-2"}) {
            assertThatThrownBy(() -> TenantBounds.check(worker(w -> w.volumes = List.of(
                    new io.streammix.api.v1alpha1.WorkerVolume("a", "mix-recordings", "/a"),
                    new io.streammix.api.v1alpha1.WorkerVolume("b", claim, "/b"))), t, labels))
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> org.assertj.core.api.Assertions.assertThat(e.field())
                            .isEqualTo("spec.worker.volumes[1].claimName"));
        }
        assertThatCode(() -> TenantBounds.check(worker(w -> w.volumes = List.of(
                new io.streammix.api.v1alpha1.WorkerVolume("a", "mix-recordings", "/a"),
                new io.streammix.api.v1alpha1.WorkerVolume("b", "labelled", "/b"))), t, labels)).doesNotThrowAnyException();
    }
}
