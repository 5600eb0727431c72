package io.tally.response;

import java.util.List;

import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept answer only ever reaches the tenant it was read for, and never outlives the view data it
 * was read from: the same document for two tenants and for a partner switching between them,
 * interleaved, each answer compared with what the database holds for that tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseCacheTenancyIntegrationTests extends IntegrationTestSupport {

	private static final String DOCUMENT = """
			{ dailyRevenue(from: "2026-05-01", to: "2026-05-07") {
			    days { day revenueCents }
			    totals { revenueCents }
			    freshness { servedFrom }
			} }""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('rt-a', 'Kept A', 'UTC'),
				  ('rt-b', 'Kept B', 'Europe/Berlin');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'rt-a', 'A', 'north'), (1, 'rt-b', 'B', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('rt-a', 1, '2026-05-01 10:00Z', 'paid', 1100), ('rt-a', 1, '2026-05-03 10:00Z', 'paid', 1300),
				  ('rt-b', 1, '2026-05-01 22:30Z', 'paid', 9900), ('rt-b', 1, '2026-05-06 10:00Z', 'paid', 700);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void interleavedTenantsAndAPartnerSwitchingTenantsEachGetTheirOwnRows() {
		String a = this.issuer.tenantUser("rt-a");
		String b = this.issuer.tenantUser("rt-b");
		String partner = this.issuer.partner("rt-a", "rt-b");
		GraphQlHttp http = graphQl();
		for (int round = 0; round < 5; round++) {
			assertMatchesDatabase(http.post(a, null, DOCUMENT), "rt-a");
			assertMatchesDatabase(http.post(partner, "rt-b", DOCUMENT), "rt-b");
			assertMatchesDatabase(http.post(b, null, DOCUMENT), "rt-b");
			assertMatchesDatabase(http.post(partner, "rt-a", DOCUMENT), "rt-a");
			assertMatchesDatabase(http.post(a, "rt-a", DOCUMENT), "rt-a");
		}
		assertThat(http.post(a, null, DOCUMENT).<String>path("$.data.dailyRevenue.freshness.servedFrom"))
			.isEqualTo("CACHE");
	}

	@Test
	void aRefreshedViewIsReadAgainNotAnsweredFromTheKeptAnswer() {
		String b = this.issuer.tenantUser("rt-b");
		GraphQlHttp http = graphQl();
		assertMatchesDatabase(http.post(b, null, DOCUMENT), "rt-b");
		assertMatchesDatabase(http.post(b, null, DOCUMENT), "rt-b");
		this.jdbc.sql("""
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				VALUES ('rt-b', 1, '2026-05-04 10:00Z', 'paid', 50)""").update();
		refreshReport("dailyRevenue");
		GraphQlHttp.Response after = http.post(b, null, DOCUMENT);
		assertMatchesDatabase(after, "rt-b");
		assertThat(after.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
	}

	private void assertMatchesDatabase(GraphQlHttp.Response response, String tenant) {
		assertThat(response.body()).doesNotContain("errors");
		List<Long> perDay = this.jdbc.sql("""
				SELECT coalesce(sum(o.total_cents) FILTER (WHERE o.status = 'paid'), 0)
				FROM app.tenants t
				CROSS JOIN generate_series(date '2026-05-01', date '2026-05-07', interval '1 day') AS d(day)
				LEFT JOIN app.orders o ON o.tenant_id = t.id
				  AND (o.created_at AT TIME ZONE t.time_zone)::date = d.day::date
				WHERE t.id = :tenant
				GROUP BY d.day ORDER BY d.day""").param("tenant", tenant).query(Long.class).list();
		List<Number> answered = response.path("$.data.dailyRevenue.days[*].revenueCents");
		assertThat(answered.stream().map(Number::longValue).toList()).as(tenant).isEqualTo(perDay);
		assertThat(response.<Number>path("$.data.dailyRevenue.totals.revenueCents").longValue()).as(tenant)
			.isEqualTo(perDay.stream().mapToLong(Long::longValue).sum());
	}

}
