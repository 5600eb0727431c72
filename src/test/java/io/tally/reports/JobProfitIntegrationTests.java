package io.tally.reports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tally.support.ConnectionPages;
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
 * jobProfit over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/job-profit.sql}). Tenant jp-a is in America/New_York (UTC-5 in January): job 5,
 * completed on February 1 in UTC, is a local January job, and the jobs right before (6) and after
 * (8) the local January range are completed on January 1 and February 1 in UTC, so pages must stop
 * exactly at the range's ends. Jobs with several parts count their final value once; a job without
 * a final value counts 0 and has no margin; two pairs of jobs share a completion time and are
 * ordered by job id descending. Tenant jp-b reuses the same ids with amounts that must never show
 * up for jp-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobProfitIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	/** Local January 2026, newest completion first, then job id descending. */
	private static final List<String> JANUARY = List.of("5", "12", "11", "4", "3", "2", "1", "7");

	private static final Map<String, Object> JANUARY_TOTALS = Map.of("completedJobs", 8, "finalValue", "813.33",
			"partsCost", "477.11", "profit", "336.22", "marginPercent", 41.34);

	private static final Map<String, Object> JANUARY_RANGE = Map.of("from", "2026-01-01", "to", "2026-01-31");

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "job-profit");
		refreshReport("jobProfit");
	}

	@Test
	void listsEachCompletedJobOfTheLocalRangeOnceNewestFirstWithItsPartsSummed() {
		GraphQlTester.Response response = january(Map.of("first", 500));

		response.path("jobProfit.edges[*].node.jobId").entityList(String.class).isEqualTo(JANUARY);
		response.path("jobProfit.edges[*].node.providerId")
			.entityList(String.class)
			.containsExactly("1", "1", "2", "2", "1", "2", "1", "1");
		assertThat(response.path("jobProfit.edges[*].node.completedAt")
			.entityList(String.class)
			.get()
			.stream()
			.map(at -> OffsetDateTime.parse(at).toInstant())
			.toList()).containsExactly(Instant.parse("2026-02-01T04:00:00Z"), Instant.parse("2026-01-20T17:00:00Z"),
					Instant.parse("2026-01-20T17:00:00Z"), Instant.parse("2026-01-12T09:00:00Z"),
					Instant.parse("2026-01-10T12:00:00Z"), Instant.parse("2026-01-10T12:00:00Z"),
					Instant.parse("2026-01-05T15:00:00Z"), Instant.parse("2026-01-01T05:00:00Z"));
		response.path("jobProfit.edges[*].node.finalValue")
			.entityList(String.class)
			.containsExactly("300.00", "10.00", "33.33", "0.00", "0.00", "250.00", "100.00", "120.00");
		response.path("jobProfit.edges[*].node.partsCost")
			.entityList(String.class)
			.containsExactly("350.00", "1.00", "11.11", "0.00", "15.00", "0.00", "60.00", "40.00");
		response.path("jobProfit.edges[*].node.profit")
			.entityList(String.class)
			.containsExactly("-50.00", "9.00", "22.22", "0.00", "-15.00", "250.00", "40.00", "80.00");
		response.path("jobProfit.edges[*].node.marginPercent")
			.entityList(Double.class)
			.containsExactly(-16.67, 90.0, 66.67, null, null, 100.0, 40.0, 66.67);
		response.path("jobProfit.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
	}

	@Test
	void totalsTheWholeRangeCountingEachJobsFinalValueOnce() {
		january(Map.of("first", 500)).path("jobProfit.totals").entity(MAP).isEqualTo(JANUARY_TOTALS);
	}

	@Test
	void walksTheRangeInSmallPagesWithoutGapsOrRepeatsAndTotalsTheWholeRangeOnEveryPage() {
		List<Map<String, Object>> all = january(Map.of("first", 500)).path("jobProfit.edges[*].node")
			.entityList(MAP)
			.get();

		for (int first = 1; first <= 3; first++) {
			ConnectionPages pages = walk(JANUARY_RANGE, first);

			assertThat(pages.nodes()).as("first: %d", first).isEqualTo(all);
			assertThat(pages.nodes()).extracting(node -> node.get("jobId")).isEqualTo(JANUARY);
			assertThat(pages.count()).as("first: %d", first).isEqualTo((JANUARY.size() + first - 1) / first);
			assertThat(pages.totals()).as("first: %d", first)
				.hasSize(pages.count())
				.allSatisfy(totals -> assertThat(totals).containsExactlyInAnyOrderEntriesOf(JANUARY_TOTALS));
		}
	}

	@Test
	void walksOneProvidersJobsInSmallPagesWithThatProvidersTotals() {
		ConnectionPages north = walk(Map.of("from", "2026-01-01", "to", "2026-01-31", "providerId", "1"), 2);
		ConnectionPages south = walk(Map.of("from", "2026-01-01", "to", "2026-01-31", "providerId", "2"), 2);

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
		GraphQlTester.Response response = jobProfit("jp-a", Map.of("from", "2026-03-01", "to", "2026-03-31"));

		response.path("jobProfit.edges").entityList(Object.class).hasSize(0);
		response.path("jobProfit.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
		response.path("jobProfit.pageInfo.endCursor").valueIsNull();
		response.path("jobProfit.totals").entity(MAP).satisfies(totals -> assertThat(totals)
			.containsEntry("completedJobs", 0)
			.containsEntry("finalValue", "0.00")
			.containsEntry("partsCost", "0.00")
			.containsEntry("profit", "0.00")
			.containsEntry("marginPercent", null));
	}

	@Test
	void neverShowsAnotherTenantsJobsOrParts() {
		GraphQlTester.Response other = jobProfit("jp-b", JANUARY_RANGE);
		GraphQlTester.Response own = january(Map.of("first", 500));

		other.path("jobProfit.edges[*].node.jobId").entityList(String.class).containsExactly("5");
		other.path("jobProfit.totals")
			.entity(MAP)
			.isEqualTo(Map.of("completedJobs", 1, "finalValue", "99999.00", "partsCost", "77777.00", "profit",
					"22222.00", "marginPercent", 22.22));
		assertThat(own.returnResponse().toMap().toString()).doesNotContain("99999")
			.doesNotContain("77777")
			.doesNotContain("22222");
	}

	@Test
	void acceptsFirst500AndRejectsFirst501NamingTheArgument() {
		january(Map.of("first", 500)).path("jobProfit.edges").entityList(Object.class).hasSize(8);
		assertBadRequest(january(Map.of("first", 501)), "'first'", "501");
	}

	@Test
	void rejectsACursorThisConnectionDidNotReturn() {
		String forged = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("tally:abc".getBytes(StandardCharsets.UTF_8));

		for (String after : List.of("abc", forged)) {
			GraphQlTester.Response response = january(Map.of("first", 2, "after", after));

			assertBadRequest(response, "'after'");
			assertThat(response.returnResponse().toMap().toString()).as(after).doesNotContain("Exception");
		}
	}

	@Test
	void rejectsAProviderIdThatIsNotANumber() {
		assertBadRequest(january(Map.of("providerId", "north")), "'providerId'", "north");
	}

	@Test
	void rejectsFromAfterToNamingTheArgument() {
		assertBadRequest(jobProfit("jp-a", Map.of("from", "2026-01-31", "to", "2026-01-01")), "'from'", "2026-01-31");
	}

	private GraphQlTester.Response january(Map<String, Object> arguments) {
		Map<String, Object> variables = new HashMap<>(arguments);
		variables.putAll(JANUARY_RANGE);
		return jobProfit("jp-a", variables);
	}

	private ConnectionPages walk(Map<String, Object> arguments, int first) {
		return ConnectionPages.walk(variables -> jobProfit("jp-a", variables), "jobProfit", arguments, first);
	}

	private GraphQlTester.Response jobProfit(String tenant, Map<String, Object> variables) {
		return graphQlTester(this.issuer.tenantUser(tenant)).documentName("jobProfit").variables(variables).execute();
	}

}
