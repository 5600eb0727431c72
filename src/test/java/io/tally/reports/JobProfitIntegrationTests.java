package io.tally.reports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * jobProfit over HTTP on a hand-made fixture whose answers were worked out by hand. Tenant jp-a is
 * in America/New_York (UTC-5 in January): job 5, completed on February 1 in UTC, is a local January
 * job, and the jobs right before (6) and after (8) the local January range are completed on January 1
 * and February 1 in UTC, so pages must stop exactly at the range's ends. Jobs with several parts count
 * their final value once; a job without a final value counts 0 and has no margin; two pairs of jobs
 * share a completion time and are ordered by job id descending. Tenant jp-b reuses the same ids with
 * amounts that must never show up for jp-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobProfitIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($from: Date, $to: Date, $providerId: ID, $first: Int, $after: String) {
			  jobProfit(from: $from, to: $to, providerId: $providerId, first: $first, after: $after) {
			    edges { cursor node { jobId providerId completedAt finalValue partsCost profit marginPercent } }
			    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
			    totals { completedJobs finalValue partsCost profit marginPercent }
			  }
			}""";

	/** Local January 2026, newest completion first, then job id descending. */
	private static final List<String> JANUARY = List.of("5", "12", "11", "4", "3", "2", "1", "7");

	private static final Map<String, Object> JANUARY_TOTALS = Map.of("completedJobs", 8, "finalValue", "813.33",
			"partsCost", "477.11", "profit", "336.22", "marginPercent", 41.34);

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('jp-a', 'New York services', 'America/New_York'), ('jp-b', 'UTC services', 'UTC');
				INSERT INTO app.providers (id, tenant_id, name) VALUES
				  (1, 'jp-a', 'North'), (2, 'jp-a', 'South'), (1, 'jp-b', 'Other tenant provider');
				INSERT INTO app.jobs (id, tenant_id, provider_id, status, estimated_value, final_value, created_at, completed_at) VALUES
				  (1,  'jp-a', 1, 'completed',   90.00, 100.00, '2025-12-01Z', '2026-01-05 15:00Z'),
				  (2,  'jp-a', 2, 'completed',    NULL, 250.00, '2025-12-01Z', '2026-01-10 12:00Z'),
				  (3,  'jp-a', 1, 'completed',   50.00,   NULL, '2025-12-01Z', '2026-01-10 12:00Z'), -- same time as 2: 3 first
				  (4,  'jp-a', 2, 'completed',    NULL,   0.00, '2025-12-01Z', '2026-01-12 09:00Z'),
				  (5,  'jp-a', 1, 'completed',  280.00, 300.00, '2025-12-01Z', '2026-02-01 04:00Z'), -- local Jan 31 23:00
				  (6,  'jp-a', 2, 'completed',    NULL,  90.00, '2025-12-01Z', '2026-01-01 04:59Z'), -- local Dec 31 23:59: out
				  (7,  'jp-a', 1, 'completed',    NULL, 120.00, '2025-12-01Z', '2026-01-01 05:00Z'), -- local Jan 1 00:00: in
				  (8,  'jp-a', 2, 'completed',    NULL,  75.00, '2025-12-01Z', '2026-02-01 05:00Z'), -- local Feb 1 00:00: out
				  (9,  'jp-a', 1, 'in_progress',  NULL, 500.00, '2025-12-01Z', NULL),
				  (10, 'jp-a', 2, 'cancelled',    NULL, 400.00, '2025-12-01Z', '2026-01-15 12:00Z'),
				  (11, 'jp-a', 2, 'completed',    NULL,  33.33, '2025-12-01Z', '2026-01-20 17:00Z'),
				  (12, 'jp-a', 1, 'completed',    NULL,  10.00, '2025-12-01Z', '2026-01-20 17:00Z'), -- same time as 11: 12 first
				  (13, 'jp-a', 1, 'completed',    NULL,  60.00, '2025-12-01Z', '2026-02-10 12:00Z'), -- February: out
				  (5,  'jp-b', 1, 'completed',    NULL, 99999.00, '2025-12-01Z', '2026-01-10 12:00Z');
				INSERT INTO app.job_parts (tenant_id, job_id, total_cost) VALUES
				  ('jp-a', 1, 30.00), ('jp-a', 1, 20.00), ('jp-a', 1, 10.00),
				  ('jp-a', 3, 15.00),
				  ('jp-a', 5, 100.00), ('jp-a', 5, 200.00), ('jp-a', 5, 50.00),
				  ('jp-a', 7, 40.00),
				  ('jp-a', 8, 5.00),
				  ('jp-a', 11, 11.11),
				  ('jp-a', 12, 1.00),
				  ('jp-b', 5, 77777.00);
				-- job  final   parts                 profit   margin
				--  5   300.00  100+200+50 = 350.00   -50.00   -50 / 300  = -16.667 -> -16.67
				-- 12    10.00    1.00                  9.00     9 / 10    =  90.00
				-- 11    33.33   11.11                 22.22  22.22 / 33.33 = 66.667 -> 66.67
				--  4     0.00    0.00 (no parts)       0.00   null (final 0)
				--  3     0.00   15.00 (final NULL)   -15.00   null (final 0)
				--  2   250.00    0.00 (no parts)     250.00   100.00
				--  1   100.00  30+20+10 = 60.00       40.00    40.00
				--  7   120.00   40.00                 80.00    80 / 120  = 66.667 -> 66.67
				-- January: 8 jobs, final 813.33 (job 5 once, not 3 x 300), parts 477.11, profit 336.22,
				--          margin 336.22 / 813.33 = 41.339 -> 41.34
				-- North (1): 5, 12, 3, 1, 7: final 530.00, parts 466.00, profit 64.00, 64 / 530 = 12.075 -> 12.08
				-- South (2): 11, 4, 2: final 283.33, parts 11.11, profit 272.22, 272.22 / 283.33 = 96.079 -> 96.08
				""").update();
		refreshReport("jobProfit");
	}

	@Test
	void listsEachCompletedJobOfTheLocalRangeOnceNewestFirstWithItsPartsSummed() {
		Response response = january(Map.of("first", 500));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.jobId")).isEqualTo(JANUARY);
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.providerId"))
			.containsExactly("1", "1", "2", "2", "1", "2", "1", "1");
		assertThat(response.<List<String>>path("$.data.jobProfit.edges[*].node.completedAt").stream()
			.map(at -> OffsetDateTime.parse(at).toInstant())
			.toList()).containsExactly(Instant.parse("2026-02-01T04:00:00Z"), Instant.parse("2026-01-20T17:00:00Z"),
					Instant.parse("2026-01-20T17:00:00Z"), Instant.parse("2026-01-12T09:00:00Z"),
					Instant.parse("2026-01-10T12:00:00Z"), Instant.parse("2026-01-10T12:00:00Z"),
					Instant.parse("2026-01-05T15:00:00Z"), Instant.parse("2026-01-01T05:00:00Z"));
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.finalValue"))
			.containsExactly("300.00", "10.00", "33.33", "0.00", "0.00", "250.00", "100.00", "120.00");
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.partsCost"))
			.containsExactly("350.00", "1.00", "11.11", "0.00", "15.00", "0.00", "60.00", "40.00");
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.profit"))
			.containsExactly("-50.00", "9.00", "22.22", "0.00", "-15.00", "250.00", "40.00", "80.00");
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges[*].node.marginPercent"))
			.containsExactly(-16.67, 90.0, 66.67, null, null, 100.0, 40.0, 66.67);
		assertThat(response.<Boolean>path("$.data.jobProfit.pageInfo.hasNextPage")).isFalse();
	}

	@Test
	void totalsTheWholeRangeCountingEachJobsFinalValueOnce() {
		Response response = january(Map.of("first", 500));

		assertThat(response.<Map<String, Object>>path("$.data.jobProfit.totals"))
			.containsExactlyInAnyOrderEntriesOf(JANUARY_TOTALS);
	}

	@Test
	void walksTheRangeInSmallPagesWithoutGapsOrRepeatsAndTotalsTheWholeRangeOnEveryPage() {
		List<Map<String, Object>> all = january(Map.of("first", 500)).path("$.data.jobProfit.edges[*].node");

		for (int first = 1; first <= 3; first++) {
			Pages pages = walk(Map.of("from", "2026-01-01", "to", "2026-01-31"), first);

			assertThat(pages.nodes()).as("first: %d", first).isEqualTo(all);
			assertThat(pages.nodes()).extracting(node -> node.get("jobId")).isEqualTo(JANUARY);
			assertThat(pages.count()).as("first: %d", first).isEqualTo((JANUARY.size() + first - 1) / first);
			assertThat(pages.totals()).as("first: %d", first).allSatisfy(
					totals -> assertThat(totals).containsExactlyInAnyOrderEntriesOf(JANUARY_TOTALS));
		}
	}

	@Test
	void walksOneProvidersJobsInSmallPagesWithThatProvidersTotals() {
		Pages north = walk(Map.of("from", "2026-01-01", "to", "2026-01-31", "providerId", "1"), 2);
		Pages south = walk(Map.of("from", "2026-01-01", "to", "2026-01-31", "providerId", "2"), 2);

		assertThat(north.nodes()).extracting(node -> node.get("jobId")).containsExactly("5", "12", "3", "1", "7");
		assertThat(north.nodes()).extracting(node -> node.get("providerId")).containsOnly("1");
		assertThat(north.count()).isEqualTo(3);
		assertThat(north.totals()).allSatisfy(totals -> assertThat(totals).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 5, "finalValue", "530.00", "partsCost", "466.00", "profit", "64.00",
						"marginPercent", 12.08)));
		assertThat(south.nodes()).extracting(node -> node.get("jobId")).containsExactly("11", "4", "2");
		assertThat(south.nodes()).extracting(node -> node.get("profit")).containsExactly("22.22", "0.00", "250.00");
		assertThat(south.count()).isEqualTo(2);
		assertThat(south.totals()).allSatisfy(totals -> assertThat(totals).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 3, "finalValue", "283.33", "partsCost", "11.11", "profit", "272.22",
						"marginPercent", 96.08)));
	}

	@Test
	void answersNoEdgesAndZeroTotalsWithoutAMarginForARangeWithoutCompletedJobs() {
		Response response = graphQl().post(this.issuer.tenantUser("jp-a"), null, QUERY,
				Map.of("from", "2026-03-01", "to", "2026-03-31"));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Object>>path("$.data.jobProfit.edges")).isEmpty();
		assertThat(response.<Boolean>path("$.data.jobProfit.pageInfo.hasNextPage")).isFalse();
		assertThat(response.<Object>path("$.data.jobProfit.pageInfo.endCursor")).isNull();
		Map<String, Object> totals = response.path("$.data.jobProfit.totals");
		assertThat(totals).containsEntry("completedJobs", 0)
			.containsEntry("finalValue", "0.00")
			.containsEntry("partsCost", "0.00")
			.containsEntry("profit", "0.00")
			.containsEntry("marginPercent", null);
	}

	@Test
	void neverShowsAnotherTenantsJobsOrParts() {
		Response other = graphQl().post(this.issuer.tenantUser("jp-b"), null, QUERY,
				Map.of("from", "2026-01-01", "to", "2026-01-31"));
		Response own = january(Map.of("first", 500));

		assertThat(other.<List<Object>>path("$.data.jobProfit.edges[*].node.jobId")).containsExactly("5");
		assertThat(other.<Map<String, Object>>path("$.data.jobProfit.totals")).containsExactlyInAnyOrderEntriesOf(
				Map.of("completedJobs", 1, "finalValue", "99999.00", "partsCost", "77777.00", "profit", "22222.00",
						"marginPercent", 22.22));
		assertThat(own.body()).doesNotContain("99999").doesNotContain("77777").doesNotContain("22222");
	}

	@Test
	void acceptsFirst500AndRejectsFirst501NamingTheArgument() {
		Response ok = january(Map.of("first", 500));
		Response tooMany = january(Map.of("first", 501));

		assertThat(ok.<Object>path("$.errors")).isNull();
		assertThat(ok.<List<Object>>path("$.data.jobProfit.edges")).hasSize(8);
		tooMany.assertBadRequest("'first'", "501");
	}

	@Test
	void rejectsACursorThisConnectionDidNotReturn() {
		String forged = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("tally:abc".getBytes(StandardCharsets.UTF_8));

		for (String after : List.of("abc", forged)) {
			Response response = january(Map.of("first", 2, "after", after));

			assertThat(response.errorType()).as(after).isEqualTo("BAD_REQUEST");
			assertThat(response.errorMessage()).as(after).contains("'after'");
			assertThat(response.<Object>path("$.data")).as(after).isNull();
			assertThat(response.body()).as(after).doesNotContain("Exception");
		}
	}

	@Test
	void rejectsAProviderIdThatIsNotANumber() {
		Response response = january(Map.of("providerId", "north"));

		response.assertBadRequest("'providerId'", "north");
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		Response response = graphQl().post(this.issuer.tenantUser("jp-a"), null, QUERY,
				Map.of("from", "2026-01-31", "to", "2026-01-01"));

		response.assertBadRequest("'from'", "2026-01-31");
	}

	private Response january(Map<String, Object> arguments) {
		Map<String, Object> variables = new HashMap<>(arguments);
		variables.put("from", "2026-01-01");
		variables.put("to", "2026-01-31");
		return graphQl().post(this.issuer.tenantUser("jp-a"), null, QUERY, variables);
	}

	/** Follows endCursor while hasNextPage, collecting every page's nodes and totals. */
	private Pages walk(Map<String, Object> arguments, int first) {
		List<Map<String, Object>> nodes = new ArrayList<>();
		List<Map<String, Object>> totals = new ArrayList<>();
		String after = null;
		int count = 0;
		boolean hasNextPage;
		do {
			Map<String, Object> variables = new HashMap<>(arguments);
			variables.put("first", first);
			variables.put("after", after);
			Response page = graphQl().post(this.issuer.tenantUser("jp-a"), null, QUERY, variables);
			assertThat(page.<Object>path("$.errors")).as(page.body()).isNull();
			List<Map<String, Object>> pageNodes = page.path("$.data.jobProfit.edges[*].node");
			assertThat(pageNodes).hasSizeBetween(1, first);
			assertThat(page.<Boolean>path("$.data.jobProfit.pageInfo.hasPreviousPage")).isEqualTo(after != null);
			nodes.addAll(pageNodes);
			totals.add(page.path("$.data.jobProfit.totals"));
			hasNextPage = page.path("$.data.jobProfit.pageInfo.hasNextPage");
			after = page.path("$.data.jobProfit.pageInfo.endCursor");
			count++;
		}
		while (hasNextPage && count < 50);
		return new Pages(nodes, totals, count);
	}

	private record Pages(List<Map<String, Object>> nodes, List<Map<String, Object>> totals, int count) {
	}

}
