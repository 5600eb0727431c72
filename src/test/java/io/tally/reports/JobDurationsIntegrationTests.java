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
 * jobDurations over HTTP on a hand-made fixture whose answers were worked out by hand. Tenant jd-a is
 * in Asia/Kolkata (UTC+5:30): a 10-hour job completed on May 31 in UTC belongs to local June 1, a
 * 100-hour job completed on June 30 in UTC to local July 1. Percentiles are continuous (interpolated
 * between durations) and every figure is rounded to two places. Jobs without a start, without a
 * completion, or not completed never count. Tenant jd-ny (America/New_York) has a job across the
 * March DST change, which takes its elapsed time, not its wall-clock difference. Tenant jd-b has a
 * 1000-hour job that must never show up for the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobDurationsIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($from: Date, $to: Date) {
			  jobDurations(from: $from, to: $to) {
			    byProvider { providerId providerName completedJobs avgHours p50Hours p90Hours }
			    overall { completedJobs avgHours p50Hours p90Hours }
			  }
			}""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('jd-a', 'Kolkata services', 'Asia/Kolkata'), ('jd-ny', 'New York services', 'America/New_York'),
				  ('jd-b', 'UTC services', 'UTC');
				INSERT INTO app.providers (id, tenant_id, name) VALUES
				  (1, 'jd-a', 'Fast'), (2, 'jd-a', 'Slow'), (3, 'jd-a', 'Untimed'),
				  (1, 'jd-ny', 'Night shift'), (1, 'jd-b', 'Other tenant provider');
				INSERT INTO app.jobs (id, tenant_id, provider_id, status, created_at, started_at, completed_at) VALUES
				  (1,  'jd-a', 1, 'completed',   '2026-05-01Z', '2026-06-02 00:00Z', '2026-06-02 01:00Z'), --  1 h
				  (2,  'jd-a', 1, 'completed',   '2026-05-01Z', '2026-06-03 00:00Z', '2026-06-03 02:00Z'), --  2 h
				  (3,  'jd-a', 1, 'completed',   '2026-05-01Z', '2026-06-04 00:00Z', '2026-06-04 04:00Z'), --  4 h
				  (4,  'jd-a', 1, 'completed',   '2026-05-01Z', '2026-05-31 09:00Z', '2026-05-31 19:00Z'), -- 10 h, local Jun 1 00:30
				  (5,  'jd-a', 2, 'completed',   '2026-05-01Z', '2026-06-10 10:00Z', '2026-06-10 10:20Z'), -- 1/3 h
				  (6,  'jd-a', 2, 'completed',   '2026-05-01Z', '2026-06-11 10:00Z', '2026-06-11 10:50Z'), -- 5/6 h
				  (7,  'jd-a', 2, 'completed',   '2026-05-01Z', '2026-06-12 00:00Z', '2026-06-12 05:00Z'), --  5 h
				  (8,  'jd-a', 3, 'completed',   '2026-05-01Z', NULL,                '2026-06-15 00:00Z'), -- no start
				  (9,  'jd-a', 1, 'completed',   '2026-05-01Z', '2026-06-26 15:00Z', '2026-06-30 19:00Z'), -- 100 h, local Jul 1 00:30
				  (10, 'jd-a', 2, 'cancelled',   '2026-05-01Z', '2026-06-05 00:00Z', '2026-06-06 00:00Z'),
				  (11, 'jd-a', 2, 'in_progress', '2026-05-01Z', '2026-06-05 00:00Z', NULL),
				  (12, 'jd-a', 1, 'completed',   '2026-05-01Z', '2026-06-20 00:00Z', NULL),                -- no completion
				  (1,  'jd-ny', 1, 'completed',  '2026-03-01Z', '2026-03-08 06:30Z', '2026-03-08 08:30Z'), -- 01:30 EST -> 04:30 EDT: 2 h
				  (1,  'jd-b', 1, 'completed',   '2026-04-01Z', '2026-05-01 00:00Z', '2026-06-11 16:00Z'); -- 41 d 16 h = 1000 h
				-- jd-a, local June: Fast 1, 2, 4, 10 h; Slow 1/3, 5/6, 5 h; Untimed none (no start)
				-- Fast:    avg 17 / 4 = 4.25; p50 between 2 and 4 = 3.00;
				--          p90 at rank 0.9 x 3 = 2.7: 4 + 0.7 x (10 - 4) = 8.20
				-- Slow:    avg (1/3 + 5/6 + 5) / 3 = 2.0556 -> 2.06; p50 = 5/6 = 0.8333 -> 0.83;
				--          p90 at rank 0.9 x 2 = 1.8: 5/6 + 0.8 x (5 - 5/6) = 4.1667 -> 4.17
				-- Overall: 1/3, 5/6, 1, 2, 4, 5, 10: avg 23.1667 / 7 = 3.3095 -> 3.31; p50 = 2.00;
				--          p90 at rank 0.9 x 6 = 5.4: 5 + 0.4 x (10 - 5) = 7.00
				""").update();
		refreshReport("jobDurations");
	}

	@Test
	void givesContinuousPercentilesRoundedToTwoPlacesPerProviderOfTheLocalRange() {
		Response response = june();

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Map<String, Object>>>path("$.data.jobDurations.byProvider")).containsExactly(
				Map.of("providerId", "1", "providerName", "Fast", "completedJobs", 4, "avgHours", 4.25, "p50Hours",
						3.0, "p90Hours", 8.2),
				Map.of("providerId", "2", "providerName", "Slow", "completedJobs", 3, "avgHours", 2.06, "p50Hours",
						0.83, "p90Hours", 4.17));
	}

	@Test
	void givesTheSameOverAllProvidersTogether() {
		Response response = june();

		assertThat(response.<Map<String, Object>>path("$.data.jobDurations.overall")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 7, "avgHours", 3.31, "p50Hours", 2.0, "p90Hours", 7.0));
	}

	@Test
	void countsEachJobOnTheLocalDateOfItsCompletion() {
		// Local July 1 holds job 9 only (completed June 30 in UTC); local June 1 holds job 4 only.
		Response july = graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY,
				Map.of("from", "2026-07-01", "to", "2026-07-31"));
		Response firstOfJune = graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY,
				Map.of("from", "2026-06-01", "to", "2026-06-01"));

		assertThat(july.<Map<String, Object>>path("$.data.jobDurations.overall")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 1, "avgHours", 100.0, "p50Hours", 100.0, "p90Hours", 100.0));
		assertThat(july.<List<Object>>path("$.data.jobDurations.byProvider[*].providerName")).containsExactly("Fast");
		assertThat(firstOfJune.<Map<String, Object>>path("$.data.jobDurations.overall"))
			.containsExactlyInAnyOrderEntriesOf(
					Map.of("completedJobs", 1, "avgHours", 10.0, "p50Hours", 10.0, "p90Hours", 10.0));
	}

	@Test
	void measuresElapsedTimeAcrossADaylightSavingChange() {
		Response response = graphQl().post(this.issuer.tenantUser("jd-ny"), null, QUERY,
				Map.of("from", "2026-03-08", "to", "2026-03-08"));

		assertThat(response.<Map<String, Object>>path("$.data.jobDurations.overall")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 1, "avgHours", 2.0, "p50Hours", 2.0, "p90Hours", 2.0));
	}

	@Test
	void answersNoProvidersAndNullHoursNotZerosForARangeWithoutTimedJobs() {
		Response response = graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY,
				Map.of("from", "2026-08-01", "to", "2026-08-31"));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Object>>path("$.data.jobDurations.byProvider")).isEmpty();
		Map<String, Object> overall = response.path("$.data.jobDurations.overall");
		assertThat(overall).containsEntry("completedJobs", 0)
			.containsEntry("avgHours", null)
			.containsEntry("p50Hours", null)
			.containsEntry("p90Hours", null);
	}

	@Test
	void neverShowsAnotherTenantsJobs() {
		Response other = graphQl().post(this.issuer.tenantUser("jd-b"), null, QUERY,
				Map.of("from", "2026-06-01", "to", "2026-06-30"));

		assertThat(other.<List<Map<String, Object>>>path("$.data.jobDurations.byProvider")).containsExactly(
				Map.of("providerId", "1", "providerName", "Other tenant provider", "completedJobs", 1, "avgHours",
						1000.0, "p50Hours", 1000.0, "p90Hours", 1000.0));
		assertThat(june().body()).doesNotContain("1000").doesNotContain("Other tenant provider");
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		Response response = graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY,
				Map.of("from", "2026-06-30", "to", "2026-06-01"));

		response.assertBadRequest("'from'", "2026-06-30");
	}

	@Test
	void rejectsAYearOutside2000To2100() {
		Response response = graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY,
				Map.of("from", "2100-12-31", "to", "2101-01-01"));

		response.assertBadRequest("'to'", "2101");
	}

	@Test
	void rejectsARangeOfMoreThan366Days() {
		Response response = graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY,
				Map.of("from", "2025-06-29", "to", "2026-06-30"));

		response.assertBadRequest("'from'", "367 days");
	}

	private Response june() {
		return graphQl().post(this.issuer.tenantUser("jd-a"), null, QUERY, Map.of("from", "2026-06-01", "to", "2026-06-30"));
	}

}
