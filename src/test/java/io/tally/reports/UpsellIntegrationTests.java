package io.tally.reports;

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
 * upsell over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/upsell.sql}). Tenant up-a is in
 * Asia/Tokyo (UTC+9): one job completed on March 31 in UTC belongs to local April 1, one completed
 * on April 30 in UTC to local May 1. Missing estimated and final values count as 0; a provider whose
 * estimates add up to 0 has a rate of 0; jobs that are not completed, or have no completion time,
 * never count. Tenant up-b reuses the same ids with amounts that must never show up for up-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpsellIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "upsell");
		refreshReport("upsell");
	}

	@Test
	void sumsCompletedJobsOfTheLocalRangeCountingMissingValuesAsZero() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-04-01", "to", "2026-04-30"));

		response.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 6, "totalEstimated", "350.00", "totalFinal", "340.00", "upsellValue", "-10.00",
						"upsellRatePercent", -2.86));
	}

	@Test
	void listsProvidersByUpsellDescendingWithARateOfZeroWhereNothingWasEstimated() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-04-01", "to", "2026-04-30"));

		response.path("upsell.byProvider").entityList(MAP).containsExactly(
				Map.of("providerId", "3", "providerName", "Gamma", "completedJobs", 2, "totalEstimated", "0.00",
						"totalFinal", "70.00", "upsellValue", "70.00", "upsellRatePercent", 0.0),
				Map.of("providerId", "2", "providerName", "Beta", "completedJobs", 1, "totalEstimated", "50.00",
						"totalFinal", "40.00", "upsellValue", "-10.00", "upsellRatePercent", -20.0),
				Map.of("providerId", "1", "providerName", "Alpha", "completedJobs", 3, "totalEstimated", "300.00",
						"totalFinal", "230.00", "upsellValue", "-70.00", "upsellRatePercent", -23.33));
	}

	@Test
	void answersARateOfZeroNotAnErrorWhenTheWholeRangeHasNothingEstimated() {
		// Local April 20..21: jobs 8 (estimated 0.00) and 9 (no values at all), both Gamma.
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-04-20", "to", "2026-04-21"));

		response.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 2, "totalEstimated", "0.00", "totalFinal", "70.00", "upsellValue", "70.00",
						"upsellRatePercent", 0.0));
	}

	@Test
	void countsEachJobOnTheLocalDateOfItsCompletion() {
		// Local May 1 holds job 4 only (completed April 30 in UTC): 300.00 -> 330.00, +30 / 300 = 10 %.
		GraphQlTester.Response may = upsell("up-a", Map.of("from", "2026-05-01", "to", "2026-05-31"));
		// Local March 31 holds job 10 only; job 2, completed March 31 in UTC, is local April 1.
		GraphQlTester.Response march = upsell("up-a", Map.of("from", "2026-03-31", "to", "2026-03-31"));

		may.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 1, "totalEstimated", "300.00", "totalFinal", "330.00", "upsellValue", "30.00",
						"upsellRatePercent", 10.0));
		may.path("upsell.byProvider[*].providerId").entityList(String.class).containsExactly("2");
		march.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 1, "totalEstimated", "30.00", "totalFinal", "30.00", "upsellValue", "0.00",
						"upsellRatePercent", 0.0));
	}

	@Test
	void keepsOnlyTheRequestedProvider() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-04-01", "to", "2026-04-30", "providerId", "1"));

		response.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 3, "totalEstimated", "300.00", "totalFinal", "230.00", "upsellValue", "-70.00",
						"upsellRatePercent", -23.33));
		response.path("upsell.byProvider[*].providerName").entityList(String.class).containsExactly("Alpha");
	}

	@Test
	void answersZerosAndNoProvidersForARangeWithoutCompletedJobs() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-06-01", "to", "2026-06-30"));

		response.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 0, "totalEstimated", "0.00", "totalFinal", "0.00", "upsellValue", "0.00",
						"upsellRatePercent", 0.0));
		response.path("upsell.byProvider").entityList(Object.class).hasSize(0);
	}

	@Test
	void neverShowsAnotherTenantsJobs() {
		GraphQlTester.Response other = upsell("up-b", Map.of("from", "2026-04-01", "to", "2026-04-30"));
		GraphQlTester.Response own = upsell("up-a", Map.of("from", "2026-04-01", "to", "2026-04-30", "providerId", "1"));

		// up-b: one job, 1.00 -> 1000.00, +999 / 1 = 99900 %.
		other.path("upsell.totals").entity(MAP).isEqualTo(
				Map.of("completedJobs", 1, "totalEstimated", "1.00", "totalFinal", "1000.00", "upsellValue", "999.00",
						"upsellRatePercent", 99900.0));
		other.path("upsell.byProvider[*].providerName").entityList(String.class).containsExactly("Other tenant provider");
		assertThat(own.returnResponse().toMap().toString()).doesNotContain("1000.00").doesNotContain("Other tenant provider");
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-04-30", "to", "2026-04-01"));

		assertBadRequest(response, "'from'", "2026-04-30");
	}

	@Test
	void rejectsAProviderIdThatIsNotANumber() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "2026-04-01", "to", "2026-04-30", "providerId", "alpha"));

		assertBadRequest(response, "'providerId'", "alpha");
		assertThat(response.returnResponse().toMap().toString()).doesNotContain("Exception");
	}

	@Test
	void rejectsAYearOutside2000To2100() {
		GraphQlTester.Response response = upsell("up-a", Map.of("from", "1999-12-31", "to", "2000-01-02"));

		assertBadRequest(response, "'from'", "1999");
	}

	private GraphQlTester.Response upsell(String tenant, Map<String, Object> variables) {
		return graphQlTester(this.issuer.tenantUser(tenant)).documentName("upsell").variables(variables).execute();
	}

}
