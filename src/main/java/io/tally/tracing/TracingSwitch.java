package io.tally.tracing;

import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Tracing only where traces go somewhere. Once Spring Boot's OpenTelemetry starter is on the class
 * path, every observation (the HTTP request, Spring Security's filter chain, each GraphQL step)
 * starts a span, makes it current and ends it, exported or not: measured, that doubled the CPU of
 * a trivial request. So the tracer and its observation handlers are configured only when
 * {@value #ENABLED} is {@code true}, which it is by default exactly when an OTLP endpoint
 * ({@value #ENDPOINT}) is set. Metrics do not depend on it: observations still feed their timers.
 */
public final class TracingSwitch implements AutoConfigurationImportFilter, EnvironmentAware {

	/** Whether requests are traced; by default, whether {@value #ENDPOINT} is set. */
	public static final String ENABLED = "tally.tracing.enabled";

	static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	/**
	 * What makes spans: the tracer, its observation handlers, its exporters and metric exemplars,
	 * and Spring for GraphQL's instrumentation, whose per-request and per-field observations are
	 * spans and nothing else here (measured: 6 % of a trivial request's samples while skipped).
	 */
	private static final Set<String> TRACING = Set.of(
			"org.springframework.boot.graphql.autoconfigure.observation.GraphQlObservationAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.otlp.OtlpExemplarsAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin.ZipkinWithOpenTelemetryTracingAutoConfiguration");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] autoConfigurations, AutoConfigurationMetadata metadata) {
		boolean tracing = enabled(this.environment);
		boolean[] match = new boolean[autoConfigurations.length];
		for (int i = 0; i < autoConfigurations.length; i++) {
			// A null is a candidate an earlier filter already removed.
			match[i] = tracing || autoConfigurations[i] == null || !TRACING.contains(autoConfigurations[i]);
		}
		return match;
	}

	/** Whether this environment traces requests. */
	public static boolean enabled(Environment environment) {
		return environment.getProperty(ENABLED, Boolean.class, StringUtils.hasText(environment.getProperty(ENDPOINT)));
	}

}
