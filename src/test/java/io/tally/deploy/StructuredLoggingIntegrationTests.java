package io.tally.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON logs the chart turns on: a report read carries the request id, tenant, report and (with
 * tracing on, here without an exporter) trace id, both ids come back in the response, and neither the
 * token nor the database password is ever logged.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "tally.tracing.enabled=true", "logging.structured.format.console=ecs", "logging.level.org.springframework.security=DEBUG",
		"logging.level.io.tally.query=DEBUG" })
class StructuredLoggingIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private Tracer tracer;

	@Test
	void tracingWithoutAnExporterRecordsNoSpan() {
		Span span = this.tracer.nextSpan().name("probe").start();
		try {
			assertThat(span.context().traceId()).isNotBlank();
			assertThat(span.context().sampled()).isFalse();
		}
		finally {
			span.end();
		}
	}

	@Test
	void logsReportReadsWithRequestIdTenantAndReportButNeverTheToken(CapturedOutput output) throws Exception {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('lg-a', 'Logged A')").update();
		refreshReport("dailyRevenue");
		String token = this.issuer.tenantUser("lg-a");

		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + token)
				.header("X-Request-Id", "req-4711")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"query\":\"{ dailyRevenue(from: \\\"2026-01-01\\\", to: \\\"2026-01-02\\\") { totals { revenueCents } } }\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-4711");
		// Tracing is on without an exporter: nothing is recorded, yet the trace id ties the answer to its log lines.
		String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
		assertThat(output.getOut().lines().filter(line -> line.contains("\"message\":\"Read dailyRevenue for tenant lg-a")))
			.isNotEmpty()
			.allSatisfy(line -> assertThat(line).startsWith("{"))
			.allSatisfy(line -> assertThat(line)
				.contains("\"requestId\":\"req-4711\"", "\"tenant\":\"lg-a\"", "\"report\":\"dailyRevenue\"",
						"\"traceId\":\"" + traceId + "\"", "\"spanId\":\""));
		assertThat(output.getAll()).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
	}

	@Test
	void replacesARequestIdThatCouldForgeLogLines() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
				.header("Content-Type", "application/json")
				.header("X-Request-Id", "evil\"}{\"level\":\"ERROR")
				.POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
	}

}
