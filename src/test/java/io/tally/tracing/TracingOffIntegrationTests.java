package io.tally.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code management.opentelemetry.tracing.export.otlp.endpoint} (the default): nothing
 * exports, nothing is recorded, and nothing tries to reach a collector, yet every answer still
 * carries a trace id for its log lines.
 */
class TracingOffIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private ObjectProvider<SpanExporter> exporters;

	@Autowired
	private Sampler sampler;

	@Autowired
	private ObjectProvider<MeterRegistry> meters;

	@Autowired
	private Tracer tracer;

	@Test
	void exportsNothingAndRecordsNothingWithoutAnEndpoint() {
		assertThat(this.exporters.stream()).isEmpty();
		assertThat(this.sampler).isInstanceOf(ExportingSampler.class);
		var span = this.tracer.nextSpan().name("probe").start();
		try {
			assertThat(span.context().sampled()).isFalse();
		}
		finally {
			span.end();
		}
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
	void answersWithATraceIdBesideTheRequestId() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
				.header("Content-Type", "application/json")
				.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
				.POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		// A refusal too: the caller's trace id continues, so its own trace finds the 401.
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
		assertThat(response.headers().firstValue("X-Trace-Id")).hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
	}

}
