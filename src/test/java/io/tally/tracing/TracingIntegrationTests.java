package io.tally.tracing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One report read over HTTP with a real token, traced: every request sampled, the spans kept in
 * memory and also sent over OTLP/HTTP to a receiver on loopback, as to a collector.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(TracingIntegrationTests.Exporter.class)
@TestPropertySource(properties = "management.tracing.sampling.probability=1.0")
class TracingIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = "query dailyRevenue($from: Date, $to: Date, $region: String) {"
			+ " dailyRevenue(from: $from, to: $to, region: $region) { days { day revenueCents } totals { revenueCents } } }";

	/** A document of its own, so its first request is executed field by field (not yet compiled). */
	private static final String MISS = "query dailyRevenue($from: Date, $to: Date, $region: String) {"
			+ " dailyRevenue(from: $from, to: $to, region: $region) { days { day ordersCreated } totals { revenueCents } } }";

	/** Argument values that must never reach a span. */
	private static final String FROM = "2026-03-01", TO = "2026-03-10", REGION = "north";

	private static final OtlpReceiver receiver = OtlpReceiver.start();

	@Autowired
	private InMemorySpanExporter spans;

	@Autowired
	private SdkTracerProvider tracing;

	@DynamicPropertySource
	static void collector(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::endpoint);
	}

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('tr-a', 'Traced A');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'tr-a', 'North', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('tr-a', 1, '2026-03-02 12:00Z', 'paid', 1000), ('tr-a', 1, '2026-03-03 12:00Z', 'paid', 2000);
				""").update();
		refreshReport("dailyRevenue");
	}

	@AfterAll
	void stopReceiver() {
		receiver.stop();
	}

	@Autowired
	private ObjectProvider<GraphQlObservationInstrumentation> graphQlObservations;

	@Test
	void tracesAMissFromTheRequestDownToTheReportReadWithoutAnyValueOrToken() throws Exception {
		String token = this.issuer.tenantUser("tr-a");
		HttpResponse<String> response = post(MISS, token, FROM, TO);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"revenueCents\":3000");
		String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
		assertThat(traceId).matches("[0-9a-f]{32}");

		Map<String, SpanData> trace = trace(traceId);
		System.out.println("Trace of one miss:\n" + SpanTree.render(trace.values()));
		SpanData root = SpanTree.root(trace.values());
		assertThat(root.getName()).isEqualTo("http post /graphql");
		SpanData kept = named(trace, "kept answer lookup");
		assertThat(SpanTree.ancestors(kept, trace)).contains(root.getSpanId());
		assertThat(attribute(kept, Spans.OUTCOME)).isEqualTo("miss");
		SpanData lookup = named(trace, "report cache lookup");
		assertThat(SpanTree.ancestors(lookup, trace)).contains(root.getSpanId());
		assertThat(attribute(lookup, Spans.OUTCOME)).isEqualTo("miss");
		assertThat(attribute(lookup, "tally.report")).isEqualTo("dailyRevenue");
		SpanData slot = named(trace, "read slot wait");
		assertThat(slot.getParentSpanId()).isEqualTo(lookup.getSpanId());
		assertThat(attribute(slot, Spans.OUTCOME)).isEqualTo("acquired");
		SpanData read = named(trace, "report read");
		assertThat(read.getParentSpanId()).isEqualTo(lookup.getSpanId());
		assertThat(read.getStartEpochNanos()).isGreaterThanOrEqualTo(slot.getEndEpochNanos());
		assertThat(attribute(read, "tally.report")).isEqualTo("dailyRevenue");
		assertThat(attribute(read, "tally.sections")).isEqualTo("days,totals");
		assertThat(attribute(read, "tally.rows")).isEqualTo("11");
		assertThat(attribute(read, "db.query.summary")).isEqualTo("dailyRevenue(days,totals)");
		assertThat(attribute(read, Spans.OUTCOME)).isEqualTo("success");
		// With tracing on, Spring Security's decisions are spans too, and GraphQL executions (a
		// compiled answer has none).
		assertThat(trace.values()).extracting(SpanData::getName).contains("authorize request");
		assertThat(this.graphQlObservations.stream()).hasSize(1);

		List<String> values = trace.values().stream()
			.flatMap(span -> span.getAttributes().asMap().values().stream().map(String::valueOf))
			.toList();
		assertThat(values).isNotEmpty().noneMatch(value -> value.contains(FROM) || value.contains(TO)
				|| value.contains(REGION) || value.contains(token) || value.contains("tr-a") || value.contains("Bearer")
				|| value.contains("analytics:read"));
	}

	@Test
	void marksACompiledAnswerAndAKeptAnswer() throws Exception {
		String token = this.issuer.tenantUser("tr-a");
		post(token, "2026-03-02", "2026-03-04");
		// The document compiled after its first clean answer: new arguments are answered compiled.
		String compiled = post(token, "2026-03-03", "2026-03-05").headers().firstValue("X-Trace-Id").orElseThrow();
		String kept = post(token, "2026-03-03", "2026-03-05").headers().firstValue("X-Trace-Id").orElseThrow();

		Map<String, SpanData> compiledTrace = trace(compiled);
		SpanData answer = named(compiledTrace, "compiled answer");
		assertThat(attribute(answer, Spans.OUTCOME)).isEqualTo("answered");
		assertThat(named(compiledTrace, "report cache lookup").getParentSpanId()).isEqualTo(answer.getSpanId());
		Map<String, SpanData> keptTrace = trace(kept);
		assertThat(attribute(named(keptTrace, "kept answer lookup"), Spans.OUTCOME)).isEqualTo("hit");
		assertThat(keptTrace.values()).extracting(SpanData::getName).doesNotContain("report cache lookup", "report read");
	}

	@Test
	void keepsTheArgumentsOfAGetOutOfTheRequestSpan() throws Exception {
		String token = this.issuer.tenantUser("tr-a");
		String variables = "{\"from\":\"2026-04-01\",\"to\":\"2026-04-05\",\"region\":\"" + REGION + "\"}";
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql?query="
					+ URLEncoder.encode(QUERY, StandardCharsets.UTF_8) + "&variables="
					+ URLEncoder.encode(variables, StandardCharsets.UTF_8)))
				.header("Authorization", "Bearer " + token)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);

		Map<String, SpanData> trace = trace(response.headers().firstValue("X-Trace-Id").orElseThrow());
		assertThat(SpanTree.root(trace.values()).getName()).isEqualTo("http get /graphql");
		assertThat(trace.values().stream()
			.flatMap(span -> span.getAttributes().asMap().values().stream().map(String::valueOf)))
			.isNotEmpty()
			.noneMatch(value -> value.contains("2026-04") || value.contains(REGION) || value.contains("query=")
					|| value.contains(token));
	}

	@Test
	void tracesEachViewRefresh() {
		this.spans.reset();
		refreshReport("dailyRevenue");
		this.tracing.forceFlush().join(10, TimeUnit.SECONDS);

		assertThat(this.spans.getFinishedSpanItems()).filteredOn(span -> span.getName().equals("view refresh"))
			.isNotEmpty()
			.allSatisfy(span -> {
				assertThat(attribute(span, "tally.view")).isNotBlank();
				assertThat(attribute(span, "tally.refresh.full")).isEqualTo("true");
				assertThat(attribute(span, Spans.OUTCOME)).isEqualTo("success");
			});
	}

	@Test
	void exportsOverOtlpHttpWhenTheEndpointIsSet() throws Exception {
		String traceId = post(this.issuer.tenantUser("tr-a"), "2026-03-01", "2026-03-02").headers()
			.firstValue("X-Trace-Id").orElseThrow();
		this.tracing.forceFlush().join(10, TimeUnit.SECONDS);

		byte[] id = HexFormat.of().parseHex(traceId);
		assertThat(receiver.received()).anySatisfy(request -> {
			assertThat(request.path()).isEqualTo("/v1/traces");
			assertThat(request.contentType()).isEqualTo("application/x-protobuf");
			assertThat(contains(request.body(), id)).as("the request's trace id").isTrue();
			assertThat(new String(request.body(), StandardCharsets.ISO_8859_1)).contains("report read",
					"kept answer lookup", "http post /graphql");
		});
	}

	private Map<String, SpanData> trace(String traceId) {
		this.tracing.forceFlush().join(10, TimeUnit.SECONDS);
		return this.spans.getFinishedSpanItems().stream()
			.filter(span -> span.getTraceId().equals(traceId))
			.collect(Collectors.toMap(SpanData::getSpanId, span -> span));
	}

	private HttpResponse<String> post(String token, String from, String to) throws IOException, InterruptedException {
		return post(QUERY, token, from, to);
	}

	private HttpResponse<String> post(String query, String token, String from, String to)
			throws IOException, InterruptedException {
		String body = "{\"query\":\"" + query.replace("\"", "\\\"") + "\",\"variables\":{\"from\":\"" + from
				+ "\",\"to\":\"" + to + "\",\"region\":\"" + REGION + "\"}}";
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + token)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static SpanData named(Map<String, SpanData> trace, String name) {
		List<SpanData> found = trace.values().stream().filter(span -> span.getName().equals(name)).toList();
		assertThat(found).as("spans named %s in %s", name, SpanTree.render(trace.values())).hasSize(1);
		return found.get(0);
	}

	private static String attribute(SpanData span, String key) {
		return span.getAttributes().get(AttributeKey.stringKey(key));
	}

	private static boolean contains(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Exporter {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

	/** A collector's OTLP/HTTP endpoint on loopback that keeps what it receives. */
	record OtlpReceiver(HttpServer server, Queue<Received> received) {

		record Received(String path, String contentType, byte[] body) {
		}

		static OtlpReceiver start() {
			try {
				HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
				Queue<Received> received = new ConcurrentLinkedQueue<>();
				server.createContext("/", exchange -> {
					received.add(new Received(exchange.getRequestURI().getPath(),
							exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
					exchange.sendResponseHeaders(200, -1);
					exchange.close();
				});
				server.start();
				return new OtlpReceiver(server, received);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		String endpoint() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
		}

		void stop() {
			this.server.stop(0);
		}

	}

}
