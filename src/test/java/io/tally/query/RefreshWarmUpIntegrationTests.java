package io.tally.query;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a refresh, the most-asked answers of the refreshed view are read again under the new data
 * before anyone asks, tenants taking turns: here two answers at most, one per tenant, so the
 * busiest tenant's second answer waits while the quiet tenant's first is warmed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "tally.cache.warm-up-keys=2", "tally.cache.warm-up-keys-per-tenant=1" })
class RefreshWarmUpIntegrationTests extends IntegrationTestSupport {

	private static final String HOT = "{ dailyRevenue(from: \"2026-08-01\", to: \"2026-08-31\") { totals { revenueCents } freshness { servedFrom } } }";

	private static final String WARM = "{ dailyRevenue(from: \"2026-08-01\", to: \"2026-08-15\") { totals { revenueCents } freshness { servedFrom } } }";

	@Autowired
	MeterRegistry meters;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('wu-a', 'Warm A'), ('wu-b', 'Warm B');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'wu-a', 'A', 'north'), (1, 'wu-b', 'B', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('wu-a', 1, '2026-08-02 10:00Z', 'paid', 100), ('wu-b', 1, '2026-08-03 10:00Z', 'paid', 200);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void theMostAskedAnswersOfEachTenantAreReadAgainAfterARefresh() {
		GraphQlHttp http = graphQl();
		String a = this.issuer.tenantUser("wu-a");
		String b = this.issuer.tenantUser("wu-b");
		for (int i = 0; i < 5; i++) {
			http.post(a, null, HOT);
		}
		for (int i = 0; i < 4; i++) {
			http.post(a, null, WARM);
		}
		http.post(b, null, HOT);
		this.jdbc.sql("""
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('wu-a', 1, '2026-08-04 10:00Z', 'paid', 1000), ('wu-b', 1, '2026-08-04 10:00Z', 'paid', 2000)""").update();
		double loadsBefore = loads();

		refreshReport("dailyRevenue");

		await().atMost(Duration.ofSeconds(20)).until(() -> loads() >= loadsBefore + 2);
		GraphQlHttp.Response hotA = http.post(a, null, HOT);
		assertThat(hotA.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1100);
		assertThat(hotA.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
		GraphQlHttp.Response hotB = http.post(b, null, HOT);
		assertThat(hotB.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(2200);
		assertThat(hotB.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
		GraphQlHttp.Response warmA = http.post(a, null, WARM);
		assertThat(warmA.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1100);
		assertThat(warmA.<String>path("$.data.dailyRevenue.freshness.servedFrom")).as("beyond one per tenant")
			.isEqualTo("VIEW");
	}

	private double loads() {
		return this.meters.counter("tally.cache.loads", "report", "dailyRevenue").count();
	}

}
