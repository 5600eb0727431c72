package io.tally.reports;

import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * upsell over HTTP on a hand-made fixture whose answers were worked out by hand. Tenant up-a is in
 * Asia/Tokyo (UTC+9): one job completed on March 31 in UTC belongs to local April 1, one completed
 * on April 30 in UTC to local May 1. Missing estimated and final values count as 0; a provider whose
 * estimates add up to 0 has a rate of 0; jobs that are not completed, or have no completion time,
 * never count. Tenant up-b reuses the same ids with amounts that must never show up for up-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpsellIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($from: Date, $to: Date, $providerId: ID) {
			  upsell(from: $from, to: $to, providerId: $providerId) {
			    totals { completedJobs totalEstimated totalFinal upsellValue upsellRatePercent }
			    byProvider { providerId providerName completedJobs totalEstimated totalFinal upsellValue upsellRatePercent }
			  }
			}""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('up-a', 'Tokyo services', 'Asia/Tokyo'), ('up-b', 'UTC services', 'UTC');
				INSERT INTO app.providers (id, tenant_id, name) VALUES
				  (1, 'up-a', 'Alpha'), (2, 'up-a', 'Beta'), (3, 'up-a', 'Gamma'), (1, 'up-b', 'Other tenant provider');
				INSERT INTO app.jobs (id, tenant_id, provider_id, status, estimated_value, final_value, created_at, completed_at) VALUES
				  (1,  'up-a', 1, 'completed',   100.00,  150.00, '2026-03-01Z', '2026-04-10 03:00Z'), -- local Apr 10
				  (2,  'up-a', 1, 'completed',     NULL,   80.00, '2026-03-01Z', '2026-03-31 16:00Z'), -- local Apr 1 01:00, not Mar 31
				  (3,  'up-a', 1, 'completed',   200.00,    NULL, '2026-03-01Z', '2026-04-30 14:59Z'), -- local Apr 30 23:59
				  (4,  'up-a', 2, 'completed',   300.00,  330.00, '2026-03-01Z', '2026-04-30 15:00Z'), -- local May 1 00:00, not Apr 30
				  (5,  'up-a', 2, 'completed',    50.00,   40.00, '2026-03-01Z', '2026-04-15 00:00Z'),
				  (6,  'up-a', 2, 'in_progress', 1000.00, 2000.00, '2026-03-01Z', NULL),
				  (7,  'up-a', 2, 'cancelled',   500.00,  900.00, '2026-03-01Z', '2026-04-12 00:00Z'),
				  (8,  'up-a', 3, 'completed',     0.00,   70.00, '2026-03-01Z', '2026-04-20 00:00Z'),
				  (9,  'up-a', 3, 'completed',     NULL,    NULL, '2026-03-01Z', '2026-04-21 00:00Z'),
				  (10, 'up-a', 2, 'completed',    30.00,   30.00, '2026-03-01Z', '2026-03-31 14:00Z'), -- local Mar 31 23:00
				  (11, 'up-a', 1, 'completed',    10.00,   20.00, '2026-03-01Z', NULL),                  -- no completion time
				  (1,  'up-b', 1, 'completed',     1.00, 1000.00, '2026-03-01Z', '2026-04-10 00:00Z');
				-- up-a, local April 1..30: jobs 1, 2, 3 (Alpha), 5 (Beta), 8, 9 (Gamma); not 4 (May 1), 6, 7, 10 (Mar 31), 11
				-- Alpha: 3 jobs, estimated 100 + 0 + 200 = 300.00, final 150 + 80 + 0 = 230.00, upsell -70.00,
				--        rate -70 / 300 x 100 = -23.333 -> -23.33
				-- Beta:  1 job, 50.00, 40.00, -10.00, -10 / 50 x 100 = -20.00
				-- Gamma: 2 jobs, 0 + 0 = 0.00, 70 + 0 = 70.00, 70.00, rate 0 (nothing estimated)
				-- Totals: 6 jobs, 350.00, 340.00, -10.00, -10 / 350 x 100 = -2.857 -> -2.86
				-- By upsell descending: Gamma 70, Beta -10, Alpha -70
				""").update();
		refreshReport("upsell");
	}

	@Test
	void sumsCompletedJobsOfTheLocalRangeCountingMissingValuesAsZero() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-01", "to", "2026-04-30"));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 6, "totalEstimated", "350.00", "totalFinal", "340.00", "upsellValue", "-10.00",
						"upsellRatePercent", -2.86));
	}

	@Test
	void listsProvidersByUpsellDescendingWithARateOfZeroWhereNothingWasEstimated() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-01", "to", "2026-04-30"));

		assertThat(response.<List<Map<String, Object>>>path("$.data.upsell.byProvider")).containsExactly(
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
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-20", "to", "2026-04-21"));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 2, "totalEstimated", "0.00", "totalFinal", "70.00", "upsellValue", "70.00",
						"upsellRatePercent", 0.0));
	}

	@Test
	void countsEachJobOnTheLocalDateOfItsCompletion() {
		// Local May 1 holds job 4 only (completed April 30 in UTC): 300.00 -> 330.00, +30 / 300 = 10 %.
		Response may = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-05-01", "to", "2026-05-31"));
		// Local March 31 holds job 10 only; job 2, completed March 31 in UTC, is local April 1.
		Response march = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-03-31", "to", "2026-03-31"));

		assertThat(may.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 1, "totalEstimated", "300.00", "totalFinal", "330.00", "upsellValue", "30.00",
						"upsellRatePercent", 10.0));
		assertThat(may.<List<Object>>path("$.data.upsell.byProvider[*].providerId")).containsExactly("2");
		assertThat(march.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 1, "totalEstimated", "30.00", "totalFinal", "30.00", "upsellValue", "0.00",
						"upsellRatePercent", 0.0));
	}

	@Test
	void keepsOnlyTheRequestedProvider() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-01", "to", "2026-04-30", "providerId", "1"));

		assertThat(response.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 3, "totalEstimated", "300.00", "totalFinal", "230.00", "upsellValue", "-70.00",
						"upsellRatePercent", -23.33));
		assertThat(response.<List<Object>>path("$.data.upsell.byProvider[*].providerName")).containsExactly("Alpha");
	}

	@Test
	void answersZerosAndNoProvidersForARangeWithoutCompletedJobs() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-06-01", "to", "2026-06-30"));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 0, "totalEstimated", "0.00", "totalFinal", "0.00", "upsellValue", "0.00",
						"upsellRatePercent", 0.0));
		assertThat(response.<List<Object>>path("$.data.upsell.byProvider")).isEmpty();
	}

	@Test
	void neverShowsAnotherTenantsJobs() {
		Response other = graphQl().post(this.issuer.tenantUser("up-b"), null, QUERY,
				Map.of("from", "2026-04-01", "to", "2026-04-30"));
		Response own = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-01", "to", "2026-04-30", "providerId", "1"));

		// up-b: one job, 1.00 -> 1000.00, +999 / 1 = 99900 %.
		assertThat(other.<Map<String, Object>>path("$.data.upsell.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 1, "totalEstimated", "1.00", "totalFinal", "1000.00", "upsellValue", "999.00",
						"upsellRatePercent", 99900.0));
		assertThat(other.<List<Object>>path("$.data.upsell.byProvider[*].providerName"))
			.containsExactly("Other tenant provider");
		assertThat(own.body()).doesNotContain("1000.00").doesNotContain("Other tenant provider");
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-30", "to", "2026-04-01"));

		response.assertBadRequest("'from'", "2026-04-30");
	}

	@Test
	void rejectsAProviderIdThatIsNotANumber() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "2026-04-01", "to", "2026-04-30", "providerId", "alpha"));

		response.assertBadRequest("'providerId'", "alpha");
		assertThat(response.body()).doesNotContain("Exception");
	}

	@Test
	void rejectsAYearOutside2000To2100() {
		Response response = graphQl().post(this.issuer.tenantUser("up-a"), null, QUERY,
				Map.of("from", "1999-12-31", "to", "2000-01-02"));

		response.assertBadRequest("'from'", "1999");
	}

}
