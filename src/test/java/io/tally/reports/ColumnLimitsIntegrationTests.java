package io.tally.reports;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every report over HTTP for a tenant whose rows hold the limits of every source column, worked
 * out by hand: M = 9223372036854775807 cents (bigint max) and A = 9999999999.99 (numeric(12,2)
 * max), many of them, negative differences, zero divisors, the first and last instants PostgreSQL
 * accepts and both infinities. Tenant cl-e lives in Pacific/Kiritimati (+14), so 2026-01-10 00:00
 * UTC is Saturday 14:00 there. Sums pass bigint and numeric(12,2) and must arrive with every digit;
 * every refresh must succeed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ColumnLimitsIntegrationTests extends IntegrationTestSupport {

	private static final String M3 = "27670116110564327421";

	private static final String M4 = "36893488147419103228";

	private static final String M6 = "55340232221128654842";

	private static final String ONE_DAY = "(from: \"2026-01-10\", to: \"2026-01-10\")";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('cl-e', 'Furthest east', 'Pacific/Kiritimati');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES
				  ('cl-e', 1, 'Max', 'north'), ('cl-e', 2, 'Edges', 'north');
				INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('cl-e', 1, 'All', 9223372036854775807);
				INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
				  ('cl-e', 1, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
				  ('cl-e', 2, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
				  ('cl-e', 3, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
				  ('cl-e', 4, 2, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
				  ('cl-e', 5, 2, '294276-12-31 23:59:59.999999+00', 'paid', 9223372036854775807),
				  ('cl-e', 6, 2, 'infinity', 'paid', 9223372036854775807),
				  ('cl-e', 7, 2, '-infinity', 'paid', 9223372036854775807);
				INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
				SELECT 'cl-e', o, 1, 2147483647, 9223372036854775807 FROM generate_series(1, 7) AS o, generate_series(1, 2);
				INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
				  ('cl-e', 2026, 1, 9223372036854775807), ('cl-e', 2026, 2, 0);
				INSERT INTO app.plans (tenant_id, id, name, monthly_price_cents) VALUES
				  ('cl-e', 1, 'Top', 9223372036854775807), ('cl-e', 2, 'Unused', 9223372036854775807);
				INSERT INTO app.subscriptions (tenant_id, id, plan_id, customer_id, status, monthly_price_cents, started_at) VALUES
				  ('cl-e', 1, 1, 1, 'active', 9223372036854775807, '-infinity'),
				  ('cl-e', 2, 1, 1, 'active', 9223372036854775807, 'infinity'),
				  ('cl-e', 3, 1, 2, 'active', 9223372036854775807, '2026-01-01Z');
				INSERT INTO app.usage_records (tenant_id, subscription_id, recorded_at, api_calls)
				SELECT 'cl-e', s, 'infinity', 9223372036854775807 FROM generate_series(1, 3) AS s, generate_series(1, 2);
				INSERT INTO app.providers (tenant_id, id, name) VALUES ('cl-e', 1, 'Big'), ('cl-e', 2, 'Zero');
				INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
				  ('cl-e', 1, 1, 'completed', 9999999999.99, -9999999999.99, '-infinity', '4714-11-24 00:00:00+00 BC', '2026-01-10 00:00Z'),
				  ('cl-e', 2, 1, 'completed', 9999999999.99, -9999999999.99, '-infinity', '2026-01-10 00:00Z', '2026-01-10 00:00Z'),
				  ('cl-e', 3, 1, 'completed', 9999999999.99, -9999999999.99, '-infinity', '-infinity', '2026-01-10 00:00Z'),
				  ('cl-e', 4, 2, 'completed', 0.00, 9999999999.99, '-infinity', '2026-01-09 10:00Z', '2026-01-10 00:00Z'),
				  ('cl-e', 5, 2, 'completed', NULL, 0.00, '-infinity', NULL, '2026-01-10 00:00Z'),
				  ('cl-e', 6, 2, 'completed', 9999999999.99, 9999999999.99, '-infinity', '4714-11-24 00:00:00+00 BC', '294276-12-31 23:59:59.999999+00'),
				  ('cl-e', 7, 2, 'completed', 9999999999.99, 9999999999.99, '-infinity', '2026-01-01Z', 'infinity');
				-- Two orders a microsecond apart, in a tenant of their own.
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('cl-t', 'Microseconds', 'Asia/Kathmandu');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('cl-t', 1, 'A', 'north'), ('cl-t', 2, 'B', 'north');
				INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
				  ('cl-t', 1, 1, '2026-01-10 23:59:59.999999Z', 'paid', 2), ('cl-t', 2, 2, '2026-01-10 23:59:59.999998Z', 'paid', 1);
				INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
				SELECT 'cl-e', 4, 9999999999.99 FROM generate_series(1, 3)
				UNION ALL SELECT 'cl-e', 5, 9999999999.99;
				""").update();
		for (String report : List.of("dailyRevenue", "planUsage", "upsell", "jobProfit", "jobDurations",
				"salesVsTarget", "customerActivity")) {
			assertThat(refreshReport(report).lastAttemptFailed()).as(report + " refreshes").isFalse();
		}
	}

	@Test
	void dailyRevenueSumsCentsPastSixtyFourBitsWithEveryDigit() {
		Response response = ask("dailyRevenue" + ONE_DAY + " { "
				+ "days { day ordersCreated paidOrders revenueCents rolling7dRevenueCents } "
				+ "totals { ordersCreated paidOrders revenueCents conversionRatePercent } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<Object>path("$.data.dailyRevenue.days[0].revenueCents")).isEqualTo(new BigInteger(M3));
		assertThat(response.<Object>path("$.data.dailyRevenue.days[0].rolling7dRevenueCents")).isEqualTo(new BigInteger(M3));
		assertThat(response.<Map<String, Object>>path("$.data.dailyRevenue.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("ordersCreated", 3, "paidOrders", 3, "revenueCents", new BigInteger(M3), "conversionRatePercent", 100.0));
		assertThat(response.body()).contains("\"revenueCents\":" + M3);
	}

	@Test
	void planUsageSumsPricesAndCallsPastSixtyFourBits() {
		Response response = ask("planUsage { plans { planId activeSubscriptions monthlyRevenueCents totalApiCalls } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Map<String, Object>>>path("$.data.planUsage.plans")).containsExactly(
				Map.of("planId", "1", "activeSubscriptions", 3, "monthlyRevenueCents", new BigInteger(M3),
						"totalApiCalls", new BigInteger(M6)),
				Map.of("planId", "2", "activeSubscriptions", 0, "monthlyRevenueCents", 0, "totalApiCalls", 0));
	}

	@Test
	void upsellKeepsSumsAndNegativeDifferencesPastNumeric12And2() {
		Response response = ask("upsell" + ONE_DAY + " { "
				+ "totals { completedJobs totalEstimated totalFinal upsellValue upsellRatePercent } "
				+ "byProvider { providerId completedJobs totalEstimated totalFinal upsellValue upsellRatePercent } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		// Estimated 3A + 0 + 0 (none), final -3A + A + 0; upsell -5A = -49999999999.95, -5A / 3A = -166.67 %.
		assertThat(response.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 5, "totalEstimated", "29999999999.97", "totalFinal", "-19999999999.98",
						"upsellValue", "-49999999999.95", "upsellRatePercent", -166.67));
		// Provider 2 estimated nothing (a zero divisor: rate 0) and comes first, by upsell descending.
		assertThat(response.<List<Map<String, Object>>>path("$.data.upsell.byProvider")).containsExactly(
				Map.of("providerId", "2", "completedJobs", 2, "totalEstimated", "0.00", "totalFinal", "9999999999.99",
						"upsellValue", "9999999999.99", "upsellRatePercent", 0.0),
				Map.of("providerId", "1", "completedJobs", 3, "totalEstimated", "29999999999.97",
						"totalFinal", "-29999999999.97", "upsellValue", "-59999999999.94", "upsellRatePercent", -200.0));
	}

	@Test
	void jobProfitKeepsPartsSumsAndLossesPastNumeric12And2() {
		Response response = ask("jobProfit(from: \"2026-01-10\", to: \"2026-01-10\", first: 500) { "
				+ "edges { node { jobId finalValue partsCost profit marginPercent } } "
				+ "totals { completedJobs finalValue partsCost profit marginPercent } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.jobId"))
			.containsExactly("5", "4", "3", "2", "1");
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.partsCost"))
			.containsExactly("9999999999.99", "29999999999.97", "0.00", "0.00", "0.00");
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.profit"))
			.containsExactly("-9999999999.99", "-19999999999.98", "-9999999999.99", "-9999999999.99", "-9999999999.99");
		// A final value of 0 has no margin; -2A / A = -200 %; -A / -A = 100 %.
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.marginPercent"))
			.containsExactly(null, -200.0, 100.0, 100.0, 100.0);
		// Final A - 3A = -2A, parts 4A, profit -6A, margin -6A / -2A = 300 %.
		assertThat(response.<Map<String, Object>>path("$.data.jobProfit.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 5, "finalValue", "-19999999999.98", "partsCost", "39999999999.96",
						"profit", "-59999999999.94", "marginPercent", 300.0));
	}

	@Test
	void jobDurationsMeasuresFromTheFirstInstantAndLeavesInfiniteTimesOut() {
		Response response = ask("jobDurations" + ONE_DAY + " { overall { completedJobs avgHours p50Hours p90Hours } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		// Jobs 1 (from 4714-11-24 BC, Julian day 0, to 2026-01-10, Julian day 2461051: 59,065,224 h), 2 (0 h)
		// and 4 (14 h); job 3 started at -infinity, job 5 never started. Mean 59,065,238 / 3; p90 is 80 % of
		// the way from 14 to 59,065,224.
		assertThat(response.<Map<String, Object>>path("$.data.jobDurations.overall")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 3, "avgHours", 19688412.67, "p50Hours", 14.0, "p90Hours", 47252182.0));
	}

	@Test
	void salesVsTargetSumsLinesPastSixtyFourBitsAndDividesOnlyByATarget() {
		Response response = ask("salesVsTarget(year: 2026) { months { month grossSalesCents weekendGrossSalesCents "
				+ "targetCents attainmentPercent } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		Map<String, Object> january = response.path("$.data.salesVsTarget.months[0]");
		assertThat(january).containsExactlyInAnyOrderEntriesOf(Map.of("month", 1, "grossSalesCents", new BigInteger(M6),
				"weekendGrossSalesCents", new BigInteger(M6), "targetCents", Long.MAX_VALUE, "attainmentPercent", 600.0));
		assertThat(response.<Map<String, Object>>path("$.data.salesVsTarget.months[1]")).containsEntry("targetCents", 0)
			.containsEntry("attainmentPercent", null);
	}

	@Test
	void customerActivityRanksRevenuePastSixtyFourBitsAndGivesNoInstantForInfinity() {
		Response response = ask("customerActivity(first: 10) { edges { node { customerId paidOrders "
				+ "lifetimeRevenueCents firstOrderAt lastOrderAt avgDaysBetweenOrders revenueRank } } }");

		assertThat(response.<Object>path("$.errors")).isNull();
		List<Map<String, Object>> nodes = response.path("$.data.customerActivity.edges[*].node");
		assertThat(nodes.get(0)).containsEntry("customerId", "2")
			.containsEntry("lifetimeRevenueCents", new BigInteger(M4))
			.containsEntry("revenueRank", 1)
			.containsEntry("firstOrderAt", null)
			.containsEntry("lastOrderAt", null)
			// Only the gap between the first and the last finite instant counts: 109,203,528 days.
			.containsEntry("avgDaysBetweenOrders", 1.09203528E8);
		assertThat(nodes.get(1)).containsEntry("customerId", "1")
			.containsEntry("lifetimeRevenueCents", new BigInteger(M3))
			.containsEntry("revenueRank", 2)
			.containsEntry("firstOrderAt", "2026-01-10T00:00:00.000000Z")
			.containsEntry("avgDaysBetweenOrders", 0.0);
	}

	@Test
	void dateTimesKeepTheMicrosecondsSoTwoRowsAMicrosecondApartPrintDifferently() {
		Response response = graphQl().post(this.issuer.tenantUser("cl-t"), null,
				"{ customerActivity { edges { node { customerId lastOrderAt } } } }");

		assertThat(response.<List<Object>>path("$.data.customerActivity.edges[*].node.lastOrderAt"))
			.containsExactly("2026-01-10T23:59:59.999999Z", "2026-01-10T23:59:59.999998Z");
	}

	private Response ask(String field) {
		return graphQl().post(this.issuer.tenantUser("cl-e"), null, "{ " + field + " }");
	}

}
