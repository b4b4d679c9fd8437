/**
 * Generation of {@code docs/reference.md}: {@link io.streammix.api.docs.ReferenceDoc} reads the CRD the model
 * generates ({@link io.streammix.api.crd.CrdGenerator}) and the {@link io.streammix.api.SpecChange} class of each
 * field, and writes one table row per field plus the CEL rules; a test fails when the committed file differs.
 *
 * <p>Not here: the descriptions, ranges and rules themselves, which live on the model
 * ({@link io.streammix.api.v1alpha1}). Never edit {@code docs/reference.md} by hand: change the model and run
 * {@code ./mvnw -q compile exec:java@docs}.
 *
 * <p>Threads: the main thread of that {@code exec:java} run, or a test's thread; nothing here runs in the operator
 * or the worker.
 */
package io.streammix.api.docs;
