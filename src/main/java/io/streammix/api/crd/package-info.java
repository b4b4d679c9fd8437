/**
 * Generation of the MixTask CRD from the Java model: {@link io.streammix.api.crd.CrdGenerator} runs fabric8's CRD
 * generator (v2) over {@link io.streammix.api.v1alpha1.MixTask} and writes {@code crds/mixtasks.streammix.io-v1.yml}
 * and the Helm chart's copy; {@code CrdIsCurrentTest} fails when the committed file is stale.
 *
 * <p>Not here: the schema's content, which comes from the model's annotations and the CEL rules of
 * {@link io.streammix.api.v1alpha1.SpecRules}; the Java twin of those rules ({@link io.streammix.api.validation}).
 * The operator never runs this code and never installs the CRD: Helm or the user applies the committed file.
 *
 * <p>Threads: the main thread of {@code ./mvnw -q compile exec:java@crd}, or a test's thread (parallel generation
 * is switched off).
 */
package io.streammix.api.crd;
