/**
 * The API model, {@code streammix.io/v1alpha1} and the source of truth for the CRD: {@link
 * io.streammix.api.v1alpha1.MixTask} (short name {@code mt}), its {@link io.streammix.api.v1alpha1.MixTaskSpec} and
 * {@link io.streammix.api.v1alpha1.MixTaskStatus}, one class per concept (inputs, outputs, rects, encodings,
 * recordings, {@link io.streammix.api.v1alpha1.ValueFrom} Secret references, worker overrides), and the CEL rules as
 * text in {@link io.streammix.api.v1alpha1.SpecRules}. Annotations on the fields carry ranges, patterns, enums, the
 * CRD descriptions and each field's {@link io.streammix.api.SpecChange} class.
 *
 * <p>Not here: any behaviour. The Java rules are in {@link io.streammix.api.validation}, resolution of stream ids and
 * Secrets in {@code io.streammix.operator.spec}, the generated CRD in {@link io.streammix.api.crd}. A change here is
 * an API change: regenerate {@code crds/} and {@code docs/reference.md}, and give every new field a
 * {@code @SpecChange} (a test fails on any field without one).
 *
 * <p>Threads: none; mutable beans with public fields and no {@code equals}, shared by the operator (reconcile threads,
 * informer cache), the worker (the applied spec) and the CLIs. Never modify a cached MixTask: resolvers work on a copy.
 */
package io.streammix.api.v1alpha1;
