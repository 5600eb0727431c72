package io.tally.tracing;

import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing costs next to nothing while nothing exports it (see {@link ExportingSampler}), and no
 * span carries a claim's value.
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

	@Bean
	static BeanPostProcessor samplerOnlyWhenExporting(ObjectProvider<SpanExporter> exporters) {
		return ExportingSampler.wrapping(exporters);
	}

}
