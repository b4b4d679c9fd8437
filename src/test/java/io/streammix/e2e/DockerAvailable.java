package io.streammix.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips a test class, saying what was skipped and how to run it, where no Docker engine answers
 * (CI on these machines has none; contributors' machines usually do).
 */
public class DockerAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (docker) {
            return ConditionEvaluationResult.enabled("a Docker engine is available");
        }
        String what = context.getRequiredTestClass().getSimpleName();
        String message = what + " SKIPPED: no Docker engine found. It builds the image, starts k3s in a container, installs the "
                + "Helm chart and runs a MixTask end to end. Run it on a machine with Docker: ./mvnw verify -Pimage -Dit.test=" + what;
        System.out.println(message);
        return ConditionEvaluationResult.disabled(message);
    }
}
