package io.tally.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Shops;
import io.tally.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache seen over HTTP: a burst of identical cold requests runs the report's SQL once, a
 * tenant flooding distinct queries leaves another tenant's answers cached, and the cache,
 * refresh and query meters are on {@code /actuator/prometheus}. The budget is 128 kB here,
 * and queries may wait 30 seconds so a held lock can make a load wait as long as the test needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "tally.query.statement-timeout=30s", "tally.graphql.request-timeout=60s",
		"tally.cache.max-bytes=128KB" })
class CacheIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = """
			query ($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) {
			    totals { revenueCents }
			    freshness { servedFrom }
			} }""";

	@Autowired
	MeterRegistry meters;

	@Autowired
	ReportCache cache;

	@BeforeAll
	void fixture() {
		Shops.withOnePaidOrder(this.jdbc, "2026-04-10T12:00:00Z", Map.of("cc-a", 100, "cc-b", 200, "cc-c", 300));
		refreshReport("dailyRevenue");
	}

	@Test
	void hundredsOfConcurrentIdenticalColdRequestsRunTheReportQueryOnce() throws Exception {
		int requests = 200;
		String token = this.issuer.tenantUser("cc-c");
		GraphQlHttp http = graphQl();
		double queriesBefore = queries();
		double loadsBefore = loads();
		double getsBefore = gets("hit") + gets("miss");
		ExecutorService callers = Executors.newFixedThreadPool(requests);
		List<CompletableFuture<Response>> answers = new ArrayList<>();
		try (Connection holder = TestDatabase.get().connect(); Statement statement = holder.createStatement()) {
			// Readers of the view wait for this lock, so the first load is still running when the last request arrives.
			holder.setAutoCommit(false);
			statement.execute("LOCK TABLE report.daily_revenue IN ACCESS EXCLUSIVE MODE");
			for (int i = 0; i < requests; i++) {
				answers.add(CompletableFuture.supplyAsync(
						() -> http.post(token, null, REVENUE, Map.of("from", "2026-04-10", "to", "2026-04-10")),
						callers));
			}
			await().atMost(Duration.ofSeconds(25)).until(() -> gets("hit") + gets("miss") - getsBefore >= requests);
			holder.rollback();
		}
		finally {
			callers.shutdown();
		}

		for (CompletableFuture<Response> answer : answers) {
			Response response = answer.get(30, TimeUnit.SECONDS);
			assertThat(response.errorMessage()).isNull();
			assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(300);
		}
		assertThat(queries() - queriesBefore).as("report queries run").isEqualTo(1);
		assertThat(loads() - loadsBefore).as("tally.cache.loads").isEqualTo(1);
	}

	@Test
	void aTenantFloodingDistinctQueriesDoesNotEvictAnotherTenantsAnswers() {
		GraphQlHttp http = graphQl();
		String tenantA = this.issuer.tenantUser("cc-a");
		String tenantB = this.issuer.tenantUser("cc-b");
		for (int day = 1; day <= 10; day++) {
			http.post(tenantB, null, REVENUE, range(day));
		}

		// Tenant A asks 60 distinct questions, each twice: more than the whole budget holds.
		for (int day = 1; day <= 60; day++) {
			for (int repeat = 0; repeat < 2; repeat++) {
				assertThat(http.post(tenantA, null, REVENUE, range(day)).errorMessage()).isNull();
			}
		}

		long hits = 0;
		for (int day = 1; day <= 10; day++) {
			if ("CACHE".equals(http.post(tenantB, null, REVENUE, range(day)).path("$.data.dailyRevenue.freshness.servedFrom"))) {
				hits++;
			}
		}
		assertThat(hits).as("tenant B's answers still cached, out of 10").isEqualTo(10);
		assertThat(this.cache.size("cc-a")).isLessThan(60);
	}

	@Test
	void exposesCacheRefreshAndQueryMetersForPrometheus() throws Exception {
		GraphQlHttp http = graphQl();
		String token = this.issuer.tenantUser("cc-a");
		http.post(token, null, REVENUE, range(1));
		http.post(token, null, REVENUE, range(1));
		refreshReport("dailyRevenue");

		String metrics = get("/actuator/prometheus");

		assertThat(metrics).contains("tally_cache_gets_total{report=\"dailyRevenue\",result=\"hit\"}",
				"tally_cache_gets_total{report=\"dailyRevenue\",result=\"miss\"}",
				"tally_cache_loads_total{report=\"dailyRevenue\"}", "tally_cache_size{report=\"dailyRevenue\"}",
				"tally_cache_evictions_total{cause=\"refresh\",report=\"dailyRevenue\"}",
				"tally_cache_budget_evictions_total{cache=\"reports\",cause=\"refresh\"}",
				"tally_cache_bytes{cache=\"reports\"}", "tally_cache_entries{cache=\"answers\"}",
				"tally_cache_budget_max_bytes 131072", "tally_cache_budget_used_bytes",
				"tally_query_duration_seconds_count{outcome=\"success\",report=\"dailyRevenue\"}",
				"tally_refresh_duration_seconds_count{outcome=\"success\",view=\"daily_revenue_recent\"}",
				"tally_refresh_attempts_total{outcome=\"success\",view=\"daily_revenue_recent\"}",
				"tally_refresh_age_seconds{view=\"daily_revenue_recent\"}", "tally_refresh_listener_reconnects_total");
	}

	@Test
	void isReadyOnlyWithTheDatabase() throws Exception {
		String readiness = get("/actuator/health/readiness");

		assertThat(readiness).contains("\"status\":\"UP\"").contains("\"db\":{\"status\":\"UP\"");
	}

	private static Map<String, Object> range(int day) {
		return Map.of("from", "2026-03-01", "to", java.time.LocalDate.of(2026, 4, 10).plusDays(day).toString());
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	private double queries() {
		return this.meters.find("tally.query.duration").tag("report", "dailyRevenue").timers().stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private double loads() {
		return this.meters.find("tally.cache.loads").tag("report", "dailyRevenue").counters().stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private double gets(String result) {
		return this.meters.find("tally.cache.gets").tag("report", "dailyRevenue").tag("result", result).counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
