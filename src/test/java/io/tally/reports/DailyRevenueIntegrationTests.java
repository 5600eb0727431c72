package io.tally.reports;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * dailyRevenue over HTTP on a hand-made fixture whose answers were worked out by hand.
 * Tenant dr-ny is in America/New_York: two orders sit on a different local day than in UTC, and
 * an order a week before {@code from} must reach the rolling window. Tenant dr-utc has orders on
 * the same dates that must never show up for dr-ny.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DailyRevenueIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($from: Date, $to: Date, $region: String) {
			  dailyRevenue(from: $from, to: $to, region: $region) {
			    days { day ordersCreated paidOrders failedOrders revenueCents rolling7dRevenueCents }
			    totals { ordersCreated paidOrders revenueCents conversionRatePercent }
			  }
			}""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('dr-ny', 'New York shop', 'America/New_York'), ('dr-utc', 'UTC shop', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'dr-ny', 'Northern customer', 'north'), (2, 'dr-ny', 'Southern customer', 'south'),
				  (1, 'dr-utc', 'Other tenant customer', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('dr-ny', 2, '2026-02-24 12:00Z', 'paid',     10000), -- local Feb 24: only in the rolling window
				  ('dr-ny', 1, '2026-03-01 03:00Z', 'paid',      1000), -- local Feb 28 22:00, not Mar 1
				  ('dr-ny', 2, '2026-03-01 15:00Z', 'paid',      2000),
				  ('dr-ny', 1, '2026-03-01 16:00Z', 'failed',     500),
				  ('dr-ny', 1, '2026-03-03 12:00Z', 'pending',    700),
				  ('dr-ny', 2, '2026-03-05 04:30Z', 'paid',      3000), -- local Mar 4 23:30, not Mar 5
				  ('dr-ny', 1, '2026-03-10 12:00Z', 'refunded',   900),
				  ('dr-ny', 1, '2026-03-10 13:00Z', 'paid',      4000),
				  ('dr-utc', 1, '2026-03-01 10:00Z', 'paid',      111),
				  ('dr-utc', 1, '2026-03-01 11:00Z', 'failed',    222),
				  ('dr-utc', 1, '2026-03-01 12:00Z', 'pending',   333);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void countsEachOrderOnItsTenantLocalDayWithGapDaysAndARollingWindowReachingBeforeFrom() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2026-03-01", "to", "2026-03-10"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.<List<Object>>path("$.data.dailyRevenue.days[*].day")).containsExactly("2026-03-01",
				"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08",
				"2026-03-09", "2026-03-10");
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].ordersCreated"))
			.containsExactly(2, 0, 1, 1, 0, 0, 0, 0, 0, 2);
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].paidOrders"))
			.containsExactly(1, 0, 0, 1, 0, 0, 0, 0, 0, 1);
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].failedOrders"))
			.containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].revenueCents"))
			.containsExactly(2000, 0, 0, 3000, 0, 0, 0, 0, 0, 4000);
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].rolling7dRevenueCents"))
			.containsExactly(13000, 13000, 3000, 6000, 6000, 6000, 5000, 3000, 3000, 7000);
		assertThat(response.<Map<String, Object>>path("$.data.dailyRevenue.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("ordersCreated", 6, "paidOrders", 3, "revenueCents", 9000, "conversionRatePercent", 50.0));
	}

	@Test
	void keepsOnlyOrdersOfCustomersInTheRequestedRegion() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2026-03-01", "to", "2026-03-10", "region", "north"));

		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].ordersCreated"))
			.containsExactly(1, 0, 1, 0, 0, 0, 0, 0, 0, 2);
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].rolling7dRevenueCents"))
			.containsExactly(1000, 1000, 1000, 1000, 1000, 1000, 0, 0, 0, 4000);
		assertThat(response.<Map<String, Object>>path("$.data.dailyRevenue.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("ordersCreated", 4, "paidOrders", 1, "revenueCents", 4000, "conversionRatePercent", 25.0));
	}

	@Test
	void answersZerosNotAnErrorForAnUnknownRegion() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2026-03-01", "to", "2026-03-10", "region", "atlantis"));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].revenueCents")).hasSize(10).containsOnly(0);
		assertThat(response.<Map<String, Object>>path("$.data.dailyRevenue.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("ordersCreated", 0, "paidOrders", 0, "revenueCents", 0, "conversionRatePercent", 0.0));
	}

	@Test
	void roundsConversionToTwoPlacesAndNeverShowsAnotherTenantsOrders() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-utc"), null, QUERY,
				Map.of("from", "2026-03-01", "to", "2026-03-01"));

		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].ordersCreated")).containsExactly(3);
		assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].rolling7dRevenueCents"))
			.containsExactly(111);
		assertThat(response.<Double>path("$.data.dailyRevenue.totals.conversionRatePercent")).isEqualTo(33.33);
	}

	@Test
	void defaultsToTheLastNinetyDaysEndingTodayInTheTenantsZone() {
		LocalDate before = LocalDate.now(ZoneId.of("America/New_York"));
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY, Map.of());
		LocalDate after = LocalDate.now(ZoneId.of("America/New_York"));

		List<String> days = response.path("$.data.dailyRevenue.days[*].day");
		assertThat(days).hasSize(90);
		assertThat(LocalDate.parse(days.get(89))).isBetween(before, after);
		assertThat(LocalDate.parse(days.get(0))).isEqualTo(LocalDate.parse(days.get(89)).minusDays(89));
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2026-03-10", "to", "2026-03-01"));

		response.assertBadRequest("'from'", "2026-03-10");
	}

	@Test
	void rejectsARangeOfMoreThan366Days() {
		Response ok = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2025-03-01", "to", "2026-03-01"));
		Response tooLong = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2025-02-28", "to", "2026-03-01"));

		assertThat(ok.<List<Object>>path("$.data.dailyRevenue.days")).hasSize(366);
		tooLong.assertBadRequest("'from'", "367 days");
	}

	@Test
	void rejectsAYearOutside2000To2100() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "1999-12-31", "to", "2000-01-02"));

		response.assertBadRequest("'from'", "1999");
	}

	@Test
	void rejectsADateThatIsNotADate() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null, QUERY,
				Map.of("from", "2026-02-30", "to", "2026-03-01"));

		assertThat(response.status()).as("a request error, per GraphQL over HTTP").isEqualTo(400);
		assertThat(response.errorMessage()).contains("'from'").contains("2026-02-30");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.tally");
	}

}
