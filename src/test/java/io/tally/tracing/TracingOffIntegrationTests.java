package io.tally.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;
import org.springframework.security.config.observation.SecurityObservationSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code management.opentelemetry.tracing.export.otlp.endpoint} (the default) tracing is off:
 * no tracer, no span, no exporter, nothing tries to reach a collector, and the observations that
 * would only have been spans are skipped; metrics and request ids stay.
 */
class TracingOffIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private ObjectProvider<SpanExporter> exporters;

	@Autowired
	private ObjectProvider<Sampler> samplers;

	@Autowired
	private ObjectProvider<SdkTracerProvider> tracerProviders;

	@Autowired
	private ObjectProvider<MeterRegistry> meters;

	@Autowired
	private ObservationRegistry observations;

	@Test
	void makesNoTracerAndExportsNothing() {
		assertThat(this.exporters.stream()).isEmpty();
		assertThat(this.samplers.stream()).isEmpty();
		assertThat(this.tracerProviders.stream()).isEmpty();
	}

	@Test
	void skipsTheObservationsThatWouldOnlyBeSpansButKeepsTheRequestTimer() {
		assertThat(Observation.createNotStarted("spring.security.filterchains", this.observations).isNoop()).isTrue();
		assertThat(Observation.createNotStarted("graphql.request", this.observations).isNoop()).isTrue();
		assertThat(Observation.createNotStarted("http.server.requests", this.observations).isNoop()).isFalse();
	}

	@Autowired
	private ObjectProvider<GraphQlObservationInstrumentation> graphQlObservations;

	@Autowired
	private SecurityObservationSettings securityObservations;

	@Test
	void instrumentsNeitherGraphQlNorTheSecurityFilterChain() {
		// Skipped observations still cost their wrapping on every request and field.
		assertThat(this.graphQlObservations.stream()).isEmpty();
		assertThat(this.securityObservations.shouldObserveRequests()).isFalse();
		assertThat(this.securityObservations.shouldObserveAuthentications()).isFalse();
		assertThat(this.securityObservations.shouldObserveAuthorizations()).isFalse();
	}

	@Test
	void pushesNoMetricsOverOtlp() {
		// The starter's OTLP meter registry would push to localhost:4318 every minute.
		assertThat(this.meters.stream()
			.flatMap(registry -> (registry instanceof CompositeMeterRegistry composite)
					? composite.getRegistries().stream() : java.util.stream.Stream.of(registry)))
			.extracting(registry -> registry.getClass().getSimpleName())
			.doesNotContain("OtlpMeterRegistry")
			.contains("PrometheusMeterRegistry");
	}

	@Test
	void answersWithTheRequestIdAndNoTraceId() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
				.header("Content-Type", "application/json")
				.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
				.POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
		assertThat(response.headers().firstValue("X-Trace-Id")).isEmpty();
	}

}
