/**
 * Prometheus's own {@code promtool}, built from its Go module by {@code src/test/prometheus/build-promtool.sh}: the
 * rule checker and rule unit-test runner the chart's alerts are tested with.
 */
package io.streammix.testing.prometheus;
