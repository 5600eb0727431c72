package io.tally.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.tally.support.Fixtures;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static io.tally.support.ReportErrors.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * salesVsTarget over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/sales-vs-target.sql}). Tenant st-a
 * is in America/Los_Angeles: orders created early on January 1, February 1, March 2 and 9 and on
 * January 1, 2027 in UTC belong to the local day before, so to another month, year or weekday (one
 * local Saturday is a Sunday in UTC, two local Sundays are Mondays in UTC, and a UTC Saturday is a
 * local Friday). Orders with several lines add each line once; only paid orders count. Targets cover
 * a month with sales, a month with sales and a target of 0, a month with a target and no sales, and a
 * month with sales but no target. Tenant st-b has sales and targets that must never show up for st-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesVsTargetIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "sales-vs-target");
		refreshReport("salesVsTarget");
	}

	@Test
	void sumsEachLineOfPaidOrdersOnceInItsLocalMonthAndWeekend() {
		GraphQlTester.Response response = year("st-a", 2026);

		response.path("salesVsTarget.months[*].month")
			.entityList(Integer.class)
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
		response.path("salesVsTarget.months[*].grossSalesCents")
			.entityList(Integer.class)
			.containsExactly(4500, 300, 3200, 0, 0, 0, 0, 0, 0, 0, 0, 1000);
		response.path("salesVsTarget.months[*].weekendGrossSalesCents")
			.entityList(Integer.class)
			.containsExactly(1000, 0, 2500, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	}

	@Test
	void givesNoAttainmentWithoutATargetOrWithATargetOfZero() {
		GraphQlTester.Response response = year("st-a", 2026);

		response.path("salesVsTarget.months[*].targetCents")
			.entityList(Integer.class)
			.containsExactly(5000, 0, 3000, 1000, null, null, null, null, null, null, null, null);
		response.path("salesVsTarget.months[*].attainmentPercent")
			.entityList(Double.class)
			.containsExactly(90.0, null, 106.67, 0.0, null, null, null, null, null, null, null, null);
	}

	@Test
	void countsAnOrderCreatedOnNewYearsDayInUtcInTheLocalYearBefore() {
		GraphQlTester.Response before = year("st-a", 2025);
		GraphQlTester.Response after = year("st-a", 2027);

		before.path("salesVsTarget.months[*].grossSalesCents")
			.entityList(Integer.class)
			.containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9000);
		before.path("salesVsTarget.months[11]").entity(MAP).isEqualTo(
				Map.of("month", 12, "grossSalesCents", 9000, "weekendGrossSalesCents", 0, "targetCents", 12000,
						"attainmentPercent", 75.0));
		after.path("salesVsTarget.months[*].grossSalesCents")
			.entityList(Integer.class)
			.hasSize(12)
			.satisfies(sales -> assertThat(sales).containsOnly(0));
	}

	@Test
	void alwaysAnswersTwelveMonthsAlsoForAYearWithoutAnything() {
		for (int year : List.of(2000, 2100)) {
			GraphQlTester.Response response = year("st-a", year);

			response.path("salesVsTarget.months[*].month")
				.entityList(Integer.class)
				.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
			response.path("salesVsTarget.months[*].grossSalesCents")
				.entityList(Integer.class)
				.satisfies(sales -> assertThat(sales).containsOnly(0));
			response.path("salesVsTarget.months[*].weekendGrossSalesCents")
				.entityList(Integer.class)
				.satisfies(sales -> assertThat(sales).containsOnly(0));
			response.path("salesVsTarget.months[*].targetCents").entityList(Object.class).isEqualTo(nulls(12));
			response.path("salesVsTarget.months[*].attainmentPercent").entityList(Object.class).isEqualTo(nulls(12));
		}
	}

	@Test
	void neverShowsAnotherTenantsSalesOrTargets() {
		GraphQlTester.Response other = year("st-b", 2026);

		other.path("salesVsTarget.months[*].grossSalesCents")
			.entityList(Integer.class)
			.containsExactly(777777, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		// 777777 / 1 x 100 = 77777700 %; May: target 500 without sales -> 0 %
		other.path("salesVsTarget.months[*].attainmentPercent")
			.entityList(Double.class)
			.containsExactly(77777700.0, null, null, null, 0.0, null, null, null, null, null, null, null);
		GraphQlTester.Response own = year("st-a", 2026);
		assertThat(own.returnResponse().toMap().toString()).doesNotContain("777777");
		own.path("salesVsTarget.months[4].targetCents").valueIsNull();
	}

	@Test
	void rejectsAYearOutside2000To2100NamingTheArgument() {
		for (int year : List.of(1999, 2101)) {
			GraphQlTester.Response response = year("st-a", year);

			assertBadRequest(response, "'year'", String.valueOf(year));
		}
	}

	private GraphQlTester.Response year(String tenant, int year) {
		return salesVsTarget(tenant, Map.of("year", year));
	}

	private static List<Object> nulls(int count) {
		return new ArrayList<>(Collections.nCopies(count, null));
	}

	private GraphQlTester.Response salesVsTarget(String tenant, Map<String, Object> variables) {
		return graphQlTester(this.issuer.tenantUser(tenant)).documentName("salesVsTarget").variables(variables).execute();
	}

}
