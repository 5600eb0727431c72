package io.tally.tracing;

import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Tracing costs nothing while it is off ({@link TracingSwitch}) and next to nothing while it is on
 * but nothing exports it ({@link ExportingSampler}), and no span carries a claim's value.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	/** Spring Security's authorization span lists the caller's authorities: its token's scopes. */
	static final String AUTHORITIES = "spring.security.authentication.authorities";

	@Bean
	ObservationFilter withoutAuthorities() {
		return context -> {
			context.removeHighCardinalityKeyValue(AUTHORITIES);
			context.removeLowCardinalityKeyValue(AUTHORITIES);
			return context;
		};
	}

	/**
	 * Spring Security observes each part of its filter chain and Spring for GraphQL each request
	 * and field; worth it as spans, but without tracing they would only feed timers that nothing
	 * reads (the dashboard reads {@code http.server.requests} and Tally's own), so they are skipped.
	 */
	@Bean
	ObservationPredicate observedAsSpansOnly(Environment environment) {
		boolean tracing = TracingSwitch.enabled(environment);
		return (name, context) -> tracing || !(name.startsWith("spring.security.") || name.startsWith("graphql"));
	}

	/**
	 * Without tracing, Spring Security does not wrap each filter of its chain in an observation at
	 * all: skipping them by the predicate above still cost the wrapping, two request attributes per
	 * filter and a no-op observation each (about 8 % of a trivial request's samples).
	 */
	@Bean
	SecurityObservationSettings securityObservations(Environment environment) {
		return TracingSwitch.enabled(environment) ? SecurityObservationSettings.withDefaults().build()
				: SecurityObservationSettings.noObservations();
	}

	@Bean
	static BeanPostProcessor samplerOnlyWhenExporting(ObjectProvider<SpanExporter> exporters) {
		return ExportingSampler.wrapping(exporters);
	}

}
