package io.tally.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * salesVsTarget over HTTP on a hand-made fixture whose answers were worked out by hand. Tenant st-a
 * is in America/Los_Angeles: orders created early on January 1, February 1, March 2 and 9 and on
 * January 1, 2027 in UTC belong to the local day before, so to another month, year or weekday (one
 * local Saturday is a Sunday in UTC, two local Sundays are Mondays in UTC, and a UTC Saturday is a
 * local Friday). Orders with several lines add each line once; only paid orders count. Targets cover
 * a month with sales, a month with sales and a target of 0, a month with a target and no sales, and a
 * month with sales but no target. Tenant st-b has sales and targets that must never show up for st-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesVsTargetIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($year: Int!) {
			  salesVsTarget(year: $year) {
			    months { month grossSalesCents weekendGrossSalesCents targetCents attainmentPercent }
			  }
			}""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('st-a', 'Los Angeles shop', 'America/Los_Angeles'), ('st-b', 'UTC shop', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'st-a', 'Customer', 'west'), (1, 'st-b', 'Other tenant customer', 'west');
				INSERT INTO app.products (id, tenant_id, name, price_cents) VALUES
				  (1, 'st-a', 'Widget', 100), (1, 'st-b', 'Other tenant widget', 100);
				INSERT INTO app.orders (id, tenant_id, customer_id, created_at, status, total_cents) VALUES
				  (1,  'st-a', 1, '2026-01-15 20:00Z', 'paid',     3500), -- local Thu Jan 15
				  (2,  'st-a', 1, '2026-01-01 07:30Z', 'paid',     9000), -- local Wed Dec 31, 2025
				  (3,  'st-a', 1, '2026-02-01 05:00Z', 'paid',     1000), -- local Sat Jan 31 (UTC Sun Feb 1)
				  (4,  'st-a', 1, '2026-03-02 06:00Z', 'paid',     2000), -- local Sun Mar 1 (UTC Mon)
				  (5,  'st-a', 1, '2026-03-09 03:00Z', 'paid',      500), -- local Sun Mar 8, after DST (UTC Mon)
				  (6,  'st-a', 1, '2026-03-14 05:00Z', 'paid',      700), -- local Fri Mar 13 (UTC Sat)
				  (7,  'st-a', 1, '2026-02-10 20:00Z', 'paid',      300), -- local Tue Feb 10
				  (8,  'st-a', 1, '2026-01-20 20:00Z', 'failed',   5000),
				  (9,  'st-a', 1, '2026-03-14 20:00Z', 'pending',  4000),
				  (10, 'st-a', 1, '2026-01-17 20:00Z', 'refunded', 6000),
				  (11, 'st-a', 1, '2026-12-31 20:00Z', 'paid',      800), -- local Thu Dec 31
				  (12, 'st-a', 1, '2027-01-01 07:00Z', 'paid',      200), -- local Thu Dec 31, 2026 23:00
				  (13, 'st-a', 1, '2026-04-20 20:00Z', 'paid',      999), -- no lines: no gross sales
				  (1,  'st-b', 1, '2026-01-10 12:00Z', 'paid',   777777);
				INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents) VALUES
				  ('st-a', 1, 1, 1, 1000), ('st-a', 1, 1, 2, 2500),
				  ('st-a', 2, 1, 1, 9000),
				  ('st-a', 3, 1, 1, 400), ('st-a', 3, 1, 1, 600),
				  ('st-a', 4, 1, 1, 2000),
				  ('st-a', 5, 1, 1, 500),
				  ('st-a', 6, 1, 1, 700),
				  ('st-a', 7, 1, 1, 300),
				  ('st-a', 8, 1, 1, 5000),
				  ('st-a', 9, 1, 1, 4000),
				  ('st-a', 10, 1, 1, 6000),
				  ('st-a', 11, 1, 1, 800),
				  ('st-a', 12, 1, 1, 200),
				  ('st-b', 1, 1, 1, 777777);
				INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
				  ('st-a', 2026, 1, 5000), ('st-a', 2026, 2, 0), ('st-a', 2026, 3, 3000), ('st-a', 2026, 4, 1000),
				  ('st-a', 2025, 12, 12000),
				  ('st-b', 2026, 1, 1), ('st-b', 2026, 5, 500);
				-- st-a 2026, local months:
				--  Jan: orders 1 (1000 + 2500) and 3 (400 + 600) = 4500, weekend 1000 (order 3); target 5000 -> 90.00
				--  Feb: order 7 = 300, weekend 0; target 0 -> attainment null
				--  Mar: orders 4, 5, 6 = 2000 + 500 + 700 = 3200, weekend 2000 + 500 = 2500 (not order 6);
				--       target 3000 -> 3200 / 3000 = 106.667 -> 106.67
				--  Apr: order 13 has no lines -> 0; target 1000 -> 0.00
				--  May..Nov: 0, 0, no target
				--  Dec: orders 11 and 12 = 800 + 200 = 1000, weekend 0; no target -> null
				-- st-a 2025: Dec: order 2 = 9000, weekend 0; target 12000 -> 75.00; other months 0, no target
				-- st-a 2027: nothing (order 12 is local 2026)
				""").update();
		refreshReport("salesVsTarget");
	}

	@Test
	void sumsEachLineOfPaidOrdersOnceInItsLocalMonthAndWeekend() {
		Response response = year("st-a", 2026);

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].month"))
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
		assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].grossSalesCents"))
			.containsExactly(4500, 300, 3200, 0, 0, 0, 0, 0, 0, 0, 0, 1000);
		assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].weekendGrossSalesCents"))
			.containsExactly(1000, 0, 2500, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	}

	@Test
	void givesNoAttainmentWithoutATargetOrWithATargetOfZero() {
		Response response = year("st-a", 2026);

		assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].targetCents"))
			.containsExactly(5000, 0, 3000, 1000, null, null, null, null, null, null, null, null);
		assertThat(response.<List<Double>>path("$.data.salesVsTarget.months[*].attainmentPercent"))
			.containsExactly(90.0, null, 106.67, 0.0, null, null, null, null, null, null, null, null);
	}

	@Test
	void countsAnOrderCreatedOnNewYearsDayInUtcInTheLocalYearBefore() {
		Response before = year("st-a", 2025);
		Response after = year("st-a", 2027);

		assertThat(before.<List<Integer>>path("$.data.salesVsTarget.months[*].grossSalesCents"))
			.containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9000);
		assertThat(before.<Map<String, Object>>path("$.data.salesVsTarget.months[11]")).containsExactlyInAnyOrderEntriesOf(
				Map.of("month", 12, "grossSalesCents", 9000, "weekendGrossSalesCents", 0, "targetCents", 12000,
						"attainmentPercent", 75.0));
		assertThat(after.<List<Integer>>path("$.data.salesVsTarget.months[*].grossSalesCents")).hasSize(12)
			.containsOnly(0);
	}

	@Test
	void alwaysAnswersTwelveMonthsAlsoForAYearWithoutAnything() {
		for (int year : List.of(2000, 2100)) {
			Response response = year("st-a", year);

			assertThat(response.<Object>path("$.errors")).isNull();
			assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].month"))
				.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
			assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].grossSalesCents")).containsOnly(0);
			assertThat(response.<List<Integer>>path("$.data.salesVsTarget.months[*].weekendGrossSalesCents"))
				.containsOnly(0);
			assertThat(response.<List<Object>>path("$.data.salesVsTarget.months[*].targetCents"))
				.isEqualTo(nulls(12));
			assertThat(response.<List<Object>>path("$.data.salesVsTarget.months[*].attainmentPercent"))
				.isEqualTo(nulls(12));
		}
	}

	@Test
	void neverShowsAnotherTenantsSalesOrTargets() {
		Response other = year("st-b", 2026);

		assertThat(other.<List<Integer>>path("$.data.salesVsTarget.months[*].grossSalesCents"))
			.containsExactly(777777, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		// 777777 / 1 x 100 = 77777700 %; May: target 500 without sales -> 0 %
		assertThat(other.<List<Double>>path("$.data.salesVsTarget.months[*].attainmentPercent"))
			.containsExactly(77777700.0, null, null, null, 0.0, null, null, null, null, null, null, null);
		Response own = year("st-a", 2026);
		assertThat(own.body()).doesNotContain("777777");
		assertThat(own.<Object>path("$.data.salesVsTarget.months[4].targetCents")).isNull();
	}

	@Test
	void rejectsAYearOutside2000To2100NamingTheArgument() {
		for (int year : List.of(1999, 2101)) {
			Response response = year("st-a", year);

			assertThat(response.errorType()).as("year %d", year).isEqualTo("BAD_REQUEST");
			assertThat(response.errorMessage()).as("year %d", year).contains("'year'").contains(String.valueOf(year));
			assertThat(response.<Object>path("$.data")).as("year %d", year).isNull();
		}
	}

	private Response year(String tenant, int year) {
		return graphQl().post(this.issuer.tenantUser(tenant), null, QUERY, Map.of("year", year));
	}

	private static List<Object> nulls(int count) {
		return new ArrayList<>(Collections.nCopies(count, null));
	}

}
