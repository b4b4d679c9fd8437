/**
 * The admission rules in Java: {@link io.streammix.api.validation.SpecValidator#validate} checks a spec against the
 * same schema constraints and CEL rules as the CRD and returns each {@link io.streammix.api.validation.Violation}
 * (field path and rule, as the API server would word it); {@link io.streammix.api.validation.AudioOnlyFile} is the
 * one table of audio-only containers and their codec, read by admission and by the worker's output codecs.
 *
 * <p>Not here: the CEL text ({@link io.streammix.api.v1alpha1.SpecRules}) and the operator-only checks (fps cap, URL
 * schemes, missing Secrets: {@code io.streammix.operator.spec.SpecResolver}). One table of test cases drives both this
 * class and the CRD: a rule added on one side needs its twin and its failing case on the other.
 *
 * <p>Threads: stateless, called from the operator's reconcile threads, the worker's main thread (start-up) and
 * control-API threads ({@code MixEngine.apply}), and the CLI main threads of the local run and the start-mix converter.
 */
package io.streammix.api.validation;
