package io.tally.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What Tally's own spans may carry, beside Spring Boot's tracing settings
 * ({@code management.tracing.sampling.probability},
 * {@code management.opentelemetry.tracing.export.otlp.endpoint}). No span ever carries a token, a
 * claim or an argument value.
 *
 * @param tenantAttribute Whether Tally's spans carry the tenant id as {@code tally.tenant}; off by
 * default, because a trace backend is often readable by more people than every tenant's data, and
 * a tenant id in it says who used the service when
 */
@ConfigurationProperties("tally.tracing")
public record TracingProperties(@DefaultValue("false") boolean tenantAttribute) {
}
