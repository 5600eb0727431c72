package io.tally.reports;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.tally.support.Fixtures;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static io.tally.support.ReportErrors.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * dailyRevenue over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/daily-revenue.sql}). Tenant dr-ny is in America/New_York: two orders sit on a
 * different local day than in UTC, and an order a week before {@code from} must reach the rolling
 * window. Tenant dr-utc has orders on the same dates that must never show up for dr-ny.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DailyRevenueIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "daily-revenue");
		refreshReport("dailyRevenue");
	}

	@Test
	void countsEachOrderOnItsTenantLocalDayWithGapDaysAndARollingWindowReachingBeforeFrom() {
		GraphQlTester.Response response = dailyRevenue("dr-ny", Map.of("from", "2026-03-01", "to", "2026-03-10"));

		response.path("dailyRevenue.days[*].day")
			.entityList(String.class)
			.containsExactly("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06",
					"2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10");
		response.path("dailyRevenue.days[*].ordersCreated")
			.entityList(Integer.class)
			.containsExactly(2, 0, 1, 1, 0, 0, 0, 0, 0, 2);
		response.path("dailyRevenue.days[*].paidOrders")
			.entityList(Integer.class)
			.containsExactly(1, 0, 0, 1, 0, 0, 0, 0, 0, 1);
		response.path("dailyRevenue.days[*].failedOrders")
			.entityList(Integer.class)
			.containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		response.path("dailyRevenue.days[*].revenueCents")
			.entityList(Long.class)
			.containsExactly(2000L, 0L, 0L, 3000L, 0L, 0L, 0L, 0L, 0L, 4000L);
		response.path("dailyRevenue.days[*].rolling7dRevenueCents")
			.entityList(Long.class)
			.containsExactly(13000L, 13000L, 3000L, 6000L, 6000L, 6000L, 5000L, 3000L, 3000L, 7000L);
		response.path("dailyRevenue.totals")
			.entity(MAP)
			.isEqualTo(Map.of("ordersCreated", 6, "paidOrders", 3, "revenueCents", 9000, "conversionRatePercent", 50.0));
	}

	@Test
	void keepsOnlyOrdersOfCustomersInTheRequestedRegion() {
		GraphQlTester.Response response = dailyRevenue("dr-ny",
				Map.of("from", "2026-03-01", "to", "2026-03-10", "region", "north"));

		response.path("dailyRevenue.days[*].ordersCreated")
			.entityList(Integer.class)
			.containsExactly(1, 0, 1, 0, 0, 0, 0, 0, 0, 2);
		response.path("dailyRevenue.days[*].rolling7dRevenueCents")
			.entityList(Long.class)
			.containsExactly(1000L, 1000L, 1000L, 1000L, 1000L, 1000L, 0L, 0L, 0L, 4000L);
		response.path("dailyRevenue.totals")
			.entity(MAP)
			.isEqualTo(Map.of("ordersCreated", 4, "paidOrders", 1, "revenueCents", 4000, "conversionRatePercent", 25.0));
	}

	@Test
	void answersZerosNotAnErrorForAnUnknownRegion() {
		GraphQlTester.Response response = dailyRevenue("dr-ny",
				Map.of("from", "2026-03-01", "to", "2026-03-10", "region", "atlantis"));

		response.path("dailyRevenue.days[*].revenueCents")
			.entityList(Long.class)
			.hasSize(10)
			.satisfies(revenue -> assertThat(revenue).containsOnly(0L));
		response.path("dailyRevenue.totals")
			.entity(MAP)
			.isEqualTo(Map.of("ordersCreated", 0, "paidOrders", 0, "revenueCents", 0, "conversionRatePercent", 0.0));
	}

	@Test
	void roundsConversionToTwoPlacesAndNeverShowsAnotherTenantsOrders() {
		GraphQlTester.Response response = dailyRevenue("dr-utc", Map.of("from", "2026-03-01", "to", "2026-03-01"));

		response.path("dailyRevenue.days[*].ordersCreated").entityList(Integer.class).containsExactly(3);
		response.path("dailyRevenue.days[*].rolling7dRevenueCents").entityList(Long.class).containsExactly(111L);
		response.path("dailyRevenue.totals.conversionRatePercent").entity(Double.class).isEqualTo(33.33);
	}

	@Test
	void defaultsToTheLastNinetyDaysEndingTodayInTheTenantsZone() {
		LocalDate before = LocalDate.now(ZoneId.of("America/New_York"));
		GraphQlTester.Response response = dailyRevenue("dr-ny", Map.of());
		LocalDate after = LocalDate.now(ZoneId.of("America/New_York"));

		List<String> days = response.path("dailyRevenue.days[*].day").entityList(String.class).hasSize(90).get();
		assertThat(LocalDate.parse(days.get(89))).isBetween(before, after);
		assertThat(LocalDate.parse(days.get(0))).isEqualTo(LocalDate.parse(days.get(89)).minusDays(89));
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		assertBadRequest(dailyRevenue("dr-ny", Map.of("from", "2026-03-10", "to", "2026-03-01")),
				"'from'", "2026-03-10");
	}

	@Test
	void rejectsARangeOfMoreThan366Days() {
		dailyRevenue("dr-ny", Map.of("from", "2025-03-01", "to", "2026-03-01")).path("dailyRevenue.days")
			.entityList(Object.class)
			.hasSize(366);
		assertBadRequest(dailyRevenue("dr-ny", Map.of("from", "2025-02-28", "to", "2026-03-01")),
				"'from'", "367 days");
	}

	@Test
	void rejectsAYearOutside2000To2100() {
		assertBadRequest(dailyRevenue("dr-ny", Map.of("from", "1999-12-31", "to", "2000-01-02")),
				"'from'", "1999");
	}

	/** Raw HTTP: a request error is about the status code and the body, which a GraphQL tester hides. */
	@Test
	void rejectsADateThatIsNotADate() {
		Response response = graphQl().post(this.issuer.tenantUser("dr-ny"), null,
				"query($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } }",
				Map.of("from", "2026-02-30", "to", "2026-03-01"));

		assertThat(response.status()).as("a request error, per GraphQL over HTTP").isEqualTo(400);
		assertThat(response.errorMessage()).contains("'from'").contains("2026-02-30");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.tally");
	}

	private GraphQlTester.Response dailyRevenue(String tenant, Map<String, Object> variables) {
		return graphQlTester(this.issuer.tenantUser(tenant)).documentName("dailyRevenue").variables(variables).execute();
	}

}
