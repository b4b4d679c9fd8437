package io.streammix.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, on a spec field of the API model, what a change of that field costs a running task
 * (in the manner of the Flink Kubernetes operator's {@code @SpecDiff}). A field without this
 * annotation counts as {@link ChangeClass#WORKER_RESTART}, the most disruptive class, so forgetting
 * it is safe; a test walks the model and fails on any field that has none. The CRD description of
 * each field states the same class in words ("Changes live." / "Changing it restarts ...").
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface SpecChange {
    ChangeClass value();
}
