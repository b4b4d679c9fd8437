/**
 * From the MixTask a user wrote to what its worker runs: {@link io.streammix.operator.spec.SpecResolver} re-checks the
 * admission rules, adds the operator-only checks (fps cap, URL schemes the worker handles, Secrets and keys behind
 * {@code urlFrom}, stream ids without a template), expands stream ids with the media templates, reads Secrets and
 * names every input and output, giving a {@link io.streammix.operator.spec.ResolvedSpec} or an {@link
 * io.streammix.operator.spec.InvalidSpecException} naming the field; {@link
 * io.streammix.operator.spec.SubmissionDigest} is the HMAC (keyed with the task's token) of what the worker must run.
 *
 * <p>Not here: the admission rules themselves ({@link io.streammix.api.validation}) and where the result goes (the
 * Secret and the push: {@code .dependent}, {@code .worker}). Holds credentials: a ResolvedSpec carries stream keys and
 * upload keys, so never log it or put it in status or Events; messages name fields and Secrets, never values.
 *
 * <p>Threads: JOSDK reconcile threads; each resolve works on a copy of the cached spec and reads Secrets with a
 * direct API call. The local run reuses its template code on the CLI main thread.
 */
package io.streammix.operator.spec;
