package io.tally.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Shops;
import io.tally.support.TallyInstance;
import io.tally.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway instance whose database goes away while it serves: it reaches PostgreSQL through a
 * proxy this test cuts, with a one second connection timeout. Cached answers keep coming with
 * their true age, uncached ones fail as UNAVAILABLE instead of hanging, readiness goes down, and
 * once the database is back everything works again without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIntegrationTests extends IntegrationTestSupport {

	private TcpProxy proxy;

	private TallyInstance instance;

	@BeforeAll
	void fixture() throws Exception {
		Shops.withOnePaidOrder(this.jdbc, "2026-08-01T12:00:00Z", Map.of("ou-a", 100));
		refreshReport("dailyRevenue");
		URI database = URI.create(TestDatabase.get().jdbcUrl().substring("jdbc:".length()));
		this.proxy = new TcpProxy(database.getHost(), database.getPort());
		String proxied = "jdbc:postgresql://127.0.0.1:" + this.proxy.port() + database.getRawPath()
				+ ((database.getRawQuery() != null) ? "?" + database.getRawQuery() : "");
		this.instance = TallyInstance.start(Map.of("spring.datasource.url", proxied,
				"spring.datasource.hikari.connection-timeout", "1000", "spring.datasource.hikari.validation-timeout",
				"500"));
	}

	@AfterAll
	void stop() throws Exception {
		this.instance.close();
		this.proxy.close();
	}

	@Test
	void servesCachedAnswersDuringAnOutageFailsUncachedOnesClearlyAndRecoversByItself() throws Exception {
		GraphQlHttp http = this.instance.graphQl();
		Response before = revenue(http, "2026-08-01");
		assertThat(revenue(http, "2026-08-01").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
		MeterRegistry meters = this.instance.bean(MeterRegistry.class);
		double reconnects = meters.counter("tally.refresh.listener.reconnects").count();

		this.proxy.cut();
		try {
			Thread.sleep(1100);
			Response cached = revenue(http, "2026-08-01");
			assertThat(cached.errorMessage()).isNull();
			assertThat(cached.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
			assertThat(cached.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(100);
			assertThat(cached.<String>path("$.data.dailyRevenue.freshness.refreshedAt"))
				.isEqualTo(before.path("$.data.dailyRevenue.freshness.refreshedAt"));
			assertThat(cached.<Integer>path("$.data.dailyRevenue.freshness.ageSeconds"))
				.as("its true age, which keeps growing")
				.isGreaterThan(before.<Integer>path("$.data.dailyRevenue.freshness.ageSeconds"));

			Instant asked = Instant.now();
			Response uncached = revenue(http, "2026-08-02");
			assertThat(uncached.errorType()).isEqualTo("UNAVAILABLE");
			assertThat(uncached.errorMessage()).isEqualTo("The report database is unavailable; retry later");
			assertThat(uncached.<Object>path("$.data.dailyRevenue")).isNull();
			assertThat(Duration.between(asked, Instant.now()))
				.as("an answer within the connection timeout, not a hang").isLessThan(Duration.ofSeconds(15));
			assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		}
		finally {
			this.proxy.restore();
		}

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Response recovered = revenue(http, "2026-08-02");
			assertThat(recovered.errorMessage()).isNull();
			assertThat(recovered.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(100);
			assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		});
		await().atMost(Duration.ofSeconds(30))
			.until(() -> meters.counter("tally.refresh.listener.reconnects").count() > reconnects);

		// Refreshes by other instances reach this one again.
		this.jdbc.sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) "
				+ "VALUES ('ou-a', 1, '2026-08-01 13:00Z', 'paid', 20)").update();
		refreshReport("dailyRevenue");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(revenue(http, "2026-08-01").<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
				.isEqualTo(120));
	}

	private Response revenue(GraphQlHttp http, String day) {
		return http.post(this.issuer.tenantUser("ou-a"), null, """
				query ($day: Date) { dailyRevenue(from: "2026-07-31", to: $day) {
				    totals { revenueCents }
				    freshness { refreshedAt ageSeconds stale servedFrom }
				} }""", Map.of("day", day));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.instance.managementPort() + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
