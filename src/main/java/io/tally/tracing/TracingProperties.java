package io.tally.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether requests are traced, and what Tally's own spans may carry, beside Spring Boot's tracing settings
 * ({@code management.tracing.sampling.probability},
 * {@code management.opentelemetry.tracing.export.otlp.endpoint}). No span ever carries a token, a
 * claim or an argument value.
 *
 * @param enabled Whether requests are traced (OpenTelemetry spans, {@code X-Trace-Id}, trace ids in
 * log lines); by default exactly when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, because tracing costs CPU on
 * every request whether or not its spans are sent
 * @param tenantAttribute Whether Tally's spans carry the tenant id as {@code tally.tenant}; off by
 * default, because a trace backend is often readable by more people than every tenant's data, and
 * a tenant id in it says who used the service when
 */
@ConfigurationProperties("tally.tracing")
public record TracingProperties(Boolean enabled, @DefaultValue("false") boolean tenantAttribute) {
}
