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
 * jobDurations over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/job-durations.sql}). Tenant jd-a is
 * in Asia/Kolkata (UTC+5:30): a 10-hour job completed on May 31 in UTC belongs to local June 1, a
 * 100-hour job completed on June 30 in UTC to local July 1. Percentiles are continuous (interpolated
 * between durations) and every figure is rounded to two places. Jobs without a start, without a
 * completion, or not completed never count. Tenant jd-ny (America/New_York) has a job across the
 * March DST change, which takes its elapsed time, not its wall-clock difference. Tenant jd-b has a
 * 1000-hour job that must never show up for the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobDurationsIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "job-durations");
		refreshReport("jobDurations");
	}

	@Test
	void givesContinuousPercentilesRoundedToTwoPlacesPerProviderOfTheLocalRange() {
		GraphQlTester.Response response = june();

		response.path("jobDurations.byProvider").entityList(MAP).containsExactly(
				Map.of("providerId", "1", "providerName", "Fast", "completedJobs", 4, "avgHours", 4.25, "p50Hours",
						3.0, "p90Hours", 8.2),
				Map.of("providerId", "2", "providerName", "Slow", "completedJobs", 3, "avgHours", 2.06, "p50Hours",
						0.83, "p90Hours", 4.17));
	}

	@Test
	void givesTheSameOverAllProvidersTogether() {
		GraphQlTester.Response response = june();

		response.path("jobDurations.overall").entity(MAP).isEqualTo(
				Map.of("completedJobs", 7, "avgHours", 3.31, "p50Hours", 2.0, "p90Hours", 7.0));
	}

	@Test
	void countsEachJobOnTheLocalDateOfItsCompletion() {
		// Local July 1 holds job 9 only (completed June 30 in UTC); local June 1 holds job 4 only.
		GraphQlTester.Response july = jobDurations("jd-a", Map.of("from", "2026-07-01", "to", "2026-07-31"));
		GraphQlTester.Response firstOfJune = jobDurations("jd-a", Map.of("from", "2026-06-01", "to", "2026-06-01"));

		july.path("jobDurations.overall").entity(MAP).isEqualTo(
				Map.of("completedJobs", 1, "avgHours", 100.0, "p50Hours", 100.0, "p90Hours", 100.0));
		july.path("jobDurations.byProvider[*].providerName").entityList(String.class).containsExactly("Fast");
		firstOfJune.path("jobDurations.overall").entity(MAP).isEqualTo(
				Map.of("completedJobs", 1, "avgHours", 10.0, "p50Hours", 10.0, "p90Hours", 10.0));
	}

	@Test
	void measuresElapsedTimeAcrossADaylightSavingChange() {
		GraphQlTester.Response response = jobDurations("jd-ny", Map.of("from", "2026-03-08", "to", "2026-03-08"));

		response.path("jobDurations.overall").entity(MAP).isEqualTo(
				Map.of("completedJobs", 1, "avgHours", 2.0, "p50Hours", 2.0, "p90Hours", 2.0));
	}

	@Test
	void answersNoProvidersAndNullHoursNotZerosForARangeWithoutTimedJobs() {
		GraphQlTester.Response response = jobDurations("jd-a", Map.of("from", "2026-08-01", "to", "2026-08-31"));

		response.path("jobDurations.byProvider").entityList(Object.class).hasSize(0);
		response.path("jobDurations.overall").entity(MAP).satisfies(overall -> assertThat(overall)
			.containsEntry("completedJobs", 0)
			.containsEntry("avgHours", null)
			.containsEntry("p50Hours", null)
			.containsEntry("p90Hours", null));
	}

	@Test
	void neverShowsAnotherTenantsJobs() {
		GraphQlTester.Response other = jobDurations("jd-b", Map.of("from", "2026-06-01", "to", "2026-06-30"));

		other.path("jobDurations.byProvider").entityList(MAP).containsExactly(
				Map.of("providerId", "1", "providerName", "Other tenant provider", "completedJobs", 1, "avgHours",
						1000.0, "p50Hours", 1000.0, "p90Hours", 1000.0));
		assertThat(june().returnResponse().toMap().toString()).doesNotContain("1000")
			.doesNotContain("Other tenant provider");
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		GraphQlTester.Response response = jobDurations("jd-a", Map.of("from", "2026-06-30", "to", "2026-06-01"));

		assertBadRequest(response, "'from'", "2026-06-30");
	}

	@Test
	void rejectsAYearOutside2000To2100() {
		GraphQlTester.Response response = jobDurations("jd-a", Map.of("from", "2100-12-31", "to", "2101-01-01"));

		assertBadRequest(response, "'to'", "2101");
	}

	@Test
	void rejectsARangeOfMoreThan366Days() {
		GraphQlTester.Response response = jobDurations("jd-a", Map.of("from", "2025-06-29", "to", "2026-06-30"));

		assertBadRequest(response, "'from'", "367 days");
	}

	private GraphQlTester.Response june() {
		return jobDurations("jd-a", Map.of("from", "2026-06-01", "to", "2026-06-30"));
	}

	private GraphQlTester.Response jobDurations(String tenant, Map<String, Object> variables) {
		return graphQlTester(this.issuer.tenantUser(tenant)).documentName("jobDurations").variables(variables).execute();
	}

}
