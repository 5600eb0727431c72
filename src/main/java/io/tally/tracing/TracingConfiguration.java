package io.tally.tracing;

import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

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

	@Bean
	static BeanPostProcessor samplerOnlyWhenExporting(ObjectProvider<SpanExporter> exporters) {
		return ExportingSampler.wrapping(exporters);
	}

}
