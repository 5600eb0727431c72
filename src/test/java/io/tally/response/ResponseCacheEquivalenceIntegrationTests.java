package io.tally.response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TallyInstance;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response cache and compiled queries answer exactly what standard execution answers. Every
 * document of the corpus is sent three times, in the same order, to this instance (response cache
 * and compiled queries on, the defaults), to one without the response cache (so every repeat of a
 * clean document is answered by its compiled query) and to a standard one (no response cache,
 * nothing compiled); the answers are compared field by field and in order, leaving aside only what depends
 * on the second it is sent in (age, when the answer was read, and the age in the description).
 * Documents that answer without errors must come from the response cache and from the compiled
 * query on the repeats; those with errors never do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseCacheEquivalenceIntegrationTests extends IntegrationTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String RANGE = "from: \"2026-03-01\", to: \"2026-03-10\"";

	private static final String TWO_REPORTS = "query ($from: Date!, $year: Int!) { dailyRevenue(from: $from, to: \"2026-03-10\") "
			+ "{ totals { revenueCents } } salesVsTarget(year: $year) { months { month } } }";

	private static final String ALL_FRESHNESS = "freshness { refreshedAt ageSeconds refreshIntervalSeconds nextRefreshAt stale servedFrom cachedAt description }";

	/** Callers with this role may ask for one report field per request, in every instance here. */
	private static final String CAPPED_ROLE = "one-report";

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void cappedRole(DynamicPropertyRegistry registry) {
		registry.add("tally.limits.overrides[0].role", () -> CAPPED_ROLE);
		registry.add("tally.limits.overrides[0].max-report-fields", () -> "1");
	}

	private TallyInstance standard;

	private TallyInstance compiledOnly;

	@BeforeAll
	void fixtureAndStandardInstance() {
		// Once per database: a rerun of this class (failsafe reruns a failed one) finds it there.
		boolean loaded = this.jdbc.sql("SELECT count(*) FROM app.tenants WHERE id = 'eq-a'").query(Integer.class).single() > 0;
		if (!loaded) {
			this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('eq-a', 'Equal A', 'UTC'),
				  ('eq-b', 'Equal B', 'Europe/Berlin');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'eq-a', 'Ann', 'north'), (2, 'eq-a', 'Bob', 'south'), (3, 'eq-a', 'Cy', 'north'),
				  (1, 'eq-b', 'Dora', 'north'), (2, 'eq-b', 'Eli', 'west');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('eq-a', 1, '2026-03-01 10:00Z', 'paid', 1000), ('eq-a', 2, '2026-03-02 10:00Z', 'paid', 2500),
				  ('eq-a', 3, '2026-03-05 23:30Z', 'failed', 700), ('eq-a', 1, '2026-03-08 12:00Z', 'paid', 300),
				  ('eq-b', 1, '2026-03-01 23:30Z', 'paid', 4000), ('eq-b', 2, '2026-03-09 08:00Z', 'paid', 100);
				INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
				  ('eq-a', 2026, 3, 5000), ('eq-b', 2026, 3, 1000);
				""").update();
		}
		// Jobs: decimals, IDs and floats written from rows, and nulls (a job never started, a range with none).
		boolean jobsLoaded = this.jdbc.sql("SELECT count(*) FROM app.providers WHERE tenant_id = 'eq-a'")
			.query(Integer.class).single() > 0;
		if (!jobsLoaded) {
			this.jdbc.sql("""
				INSERT INTO app.providers (tenant_id, id, name) VALUES ('eq-a', 1, 'Fix "it" ltd'), ('eq-a', 2, 'Ølstad');
				INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
				  ('eq-a', 1, 1, 'completed', 100.00, 125.50, '2026-03-01 08:00Z', '2026-03-01 09:00Z', '2026-03-02 10:30Z'),
				  ('eq-a', 2, 1, 'completed', 80.00, 0.00, '2026-03-03 08:00Z', NULL, '2026-03-04 12:00Z'),
				  ('eq-a', 3, 2, 'completed', 50.00, 49.99, '2026-03-05 08:00Z', '2026-03-05 09:15Z', '2026-03-06 09:00Z');
				INSERT INTO app.job_parts (tenant_id, job_id, total_cost) VALUES ('eq-a', 1, 30.25), ('eq-a', 3, 60.10);
				""").update();
		}
		refreshReport("dailyRevenue");
		refreshReport("salesVsTarget");
		refreshReport("customerActivity");
		refreshReport("jobProfit");
		refreshReport("jobDurations");
		// Small pools: these instances only ever serve one request at a time.
		this.standard = TallyInstance.start(Map.of("tally.cache.responses", "false", "tally.query.compiled", "false",
				"spring.datasource.hikari.maximum-pool-size", "2", "tally.limits.overrides[0].role", CAPPED_ROLE,
				"tally.limits.overrides[0].max-report-fields", "1"));
		this.compiledOnly = TallyInstance.start(Map.of("tally.cache.responses", "false",
				"spring.datasource.hikari.maximum-pool-size", "2", "tally.limits.overrides[0].role", CAPPED_ROLE,
				"tally.limits.overrides[0].max-report-fields", "1"));
	}

	@AfterAll
	void stopStandardInstance() {
		if (this.standard != null) {
			this.standard.close();
		}
		if (this.compiledOnly != null) {
			this.compiledOnly.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void answersAsStandardExecutionDoes(Case example) {
		double hitsBefore = hits();
		double compiledBefore = compiledAnswers();
		for (int i = 0; i < 3; i++) {
			String standardAnswer = comparable(send(this.standard.graphQl(), example));
			assertThat(comparable(send(graphQl(), example))).as("response cache, send %d", i + 1)
				.isEqualTo(standardAnswer);
			assertThat(comparable(send(this.compiledOnly.graphQl(), example))).as("compiled query, send %d", i + 1)
				.isEqualTo(standardAnswer);
		}
		assertThat(hits() - hitsBefore).as("answers sent from the response cache").isEqualTo(example.kept() ? 2 : 0);
		if (example.kept()) {
			assertThat(compiledAnswers() - compiledBefore).as("answers written by the compiled query")
				.isGreaterThanOrEqualTo(2);
		}
		else {
			assertThat(compiledAnswers() - compiledBefore).as("answers written by the compiled query").isZero();
		}
	}

	/**
	 * A compiled query whose read fails hands what it read to execution, which answers with the
	 * error as it always does, and nothing is read twice.
	 */
	@Test
	void aFailedReadIsAnsweredByExecutionWithoutReadingAgain() {
		Case failing = new Case("one read failing", TestIssuer.get().tenantUser("eq-a"), null, TWO_REPORTS, null,
				Map.of("from", "2026-03-02", "year", 1999), false);
		send(this.compiledOnly.graphQl(), new Case("compiles", failing.token(), null, TWO_REPORTS, null,
				Map.of("from", "2026-03-01", "year", 2026), true));
		MeterRegistry registry = this.compiledOnly.bean(MeterRegistry.class);
		double reads = dailyRevenueReads(registry);
		double executed = registry.counter("tally.query.compiled", "result", "executed").count();

		String answer = send(this.compiledOnly.graphQl(), failing);

		assertThat(comparable(answer)).isEqualTo(comparable(send(this.standard.graphQl(), failing)));
		// The failed report is non-null, so its null reaches data; the other report was still read.
		assertThat(answer).contains("BAD_REQUEST").contains("\"data\":null");
		assertThat(registry.counter("tally.query.compiled", "result", "executed").count() - executed).isEqualTo(1);
		assertThat(dailyRevenueReads(registry) - reads).as("dailyRevenue reads").isEqualTo(1);
	}

	private static double dailyRevenueReads(MeterRegistry registry) {
		return registry.find("tally.query.duration").tag("report", "dailyRevenue").timers().stream()
			.mapToDouble(timer -> timer.count())
			.sum();
	}

	Stream<Case> corpus() {
		TestIssuer issuer = TestIssuer.get();
		String a = issuer.tenantUser("eq-a");
		String partner = issuer.partner("eq-a", "eq-b");
		// Callers that differ from a only in subject, or only in their field cap.
		String otherUser = issuer.token("other@eq-a", Map.of("tenant_id", "eq-a", "scope", "analytics:read"));
		String capped = issuer.token("capped@eq-a",
				Map.of("tenant_id", "eq-a", "roles", List.of(CAPPED_ROLE), "scope", "analytics:read"));
		String viewer = "{ viewer { subject admin tenants { id } tenant { id } } dailyRevenue(" + RANGE + ") { totals { revenueCents } } }";
		return Stream.of(
				new Case("every freshness field", a, null, "{ dailyRevenue(" + RANGE + ") { days { day ordersCreated paidOrders failedOrders revenueCents rolling7dRevenueCents } totals { ordersCreated paidOrders revenueCents conversionRatePercent } " + ALL_FRESHNESS + " } }", null, Map.of(), true),
				new Case("aliases, the same report twice", a, null, "{ x: dailyRevenue(" + RANGE + ") { t: totals { r: revenueCents } f: freshness { s: servedFrom age: ageSeconds at: cachedAt } } y: dailyRevenue(from: \"2026-03-05\", to: \"2026-03-06\") { totals { paidOrders } freshness { servedFrom stale } } }", null, Map.of(), true),
				new Case("fragments and an operation name", a, null, "query Other { __typename } query Q { dailyRevenue(" + RANGE + ") { ...R } } fragment R on DailyRevenueReport { days { ...D } freshness { ...F } } fragment D on DailyRevenueDay { day ordersCreated } fragment F on Freshness { stale servedFrom refreshedAt }", "Q", Map.of(), true),
				new Case("inline fragments and __typename", a, null, "{ __typename dailyRevenue(" + RANGE + ") { __typename ... on DailyRevenueReport { totals { __typename revenueCents } } freshness { __typename ... on Freshness { servedFrom description } } } }", null, Map.of(), true),
				new Case("variables and defaults", a, null, "query ($from: Date = \"2026-03-01\", $to: Date!, $year: Int = 2026) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } salesVsTarget(year: $year) { months { month grossSalesCents targetCents attainmentPercent } freshness { servedFrom nextRefreshAt } } }", null, Map.of("to", "2026-03-31"), true),
				new Case("variables overriding defaults", a, null, "query ($from: Date = \"2026-03-01\", $to: Date!, $year: Int = 2026) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } salesVsTarget(year: $year) { months { month grossSalesCents } } }", null, Map.of("from", "2026-03-02", "to", "2026-03-03", "year", 2025), true),
				new Case("a partial selection without freshness", a, null, "{ dailyRevenue(" + RANGE + ") { totals { paidOrders } } }", null, Map.of(), true),
				new Case("several reports, one a connection", a, null, "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } freshness { servedFrom } } salesVsTarget(year: 2026) { months { month targetCents } freshness { servedFrom stale } } customerActivity(first: 2) { edges { cursor node { customerId name paidOrders lifetimeRevenueCents lastOrderAt } } pageInfo { hasNextPage endCursor } freshness { servedFrom refreshIntervalSeconds } } }", null, Map.of(), true),
				new Case("@include true", a, null, "query ($days: Boolean!) { dailyRevenue(" + RANGE + ") { days @include(if: $days) { day } totals @skip(if: $days) { revenueCents } freshness @include(if: $days) { servedFrom } } }", null, Map.of("days", true), true),
				new Case("@include false", a, null, "query ($days: Boolean!) { dailyRevenue(" + RANGE + ") { days @include(if: $days) { day } totals @skip(if: $days) { revenueCents } freshness @include(if: $days) { servedFrom } } }", null, Map.of("days", false), true),
				new Case("the default range", a, null, "{ dailyRevenue { totals { ordersCreated } freshness { servedFrom } } }", null, Map.of(), true),
				new Case("an error", a, null, "{ salesVsTarget(year: 1999) { months { month } } }", null, Map.of(), false),
				new Case("an error beside an answer", a, null, "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } } salesVsTarget(year: 1999) { months { month } } }", null, Map.of(), false),
				new Case("a forbidden tenant", a, "eq-b", "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } } }", null, Map.of(), false),
				new Case("a partner on its first tenant", partner, "eq-a", "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } freshness { servedFrom } } }", null, Map.of(), true),
				new Case("a partner switching to its second tenant", partner, "eq-b", "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } freshness { servedFrom } } }", null, Map.of(), true),
				new Case("a partner naming no tenant", partner, null, "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } } }", null, Map.of(), false),
				new Case("no report at all", a, null, "{ __typename }", null, Map.of(), false),
				new Case("a compiled document whose variables fail one read", a, null, "query ($from: Date = \"2026-03-01\", $to: Date!, $year: Int = 2026) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } salesVsTarget(year: $year) { months { month grossSalesCents } } }", null, Map.of("to", "2026-03-31", "year", 1999), false),
				new Case("a compiled document whose variables do not coerce", a, null, "query ($from: Date = \"2026-03-01\", $to: Date!, $year: Int = 2026) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } salesVsTarget(year: $year) { months { month grossSalesCents } } }", null, Map.of("to", "2026-02-30"), false),
				new Case("a compiled document for a forbidden tenant", a, "eq-b", "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } freshness { servedFrom } } }", null, Map.of(), false),
				new Case("a compiled document naming no tenant of several", partner, null, "{ dailyRevenue(" + RANGE + ") { totals { revenueCents } freshness { servedFrom } } }", null, Map.of(), false),
				new Case("the same fields twice, merged, and a skipped fragment", a, null, "query ($no: Boolean = true) { dailyRevenue(" + RANGE + ") { days { day } days { revenueCents day } ...Skipped @skip(if: $no) totals { paidOrders } } } fragment Skipped on DailyRevenueReport { freshness { stale } }", null, Map.of(), true),
				new Case("the viewer beside a report: it names the caller", a, null, viewer, null, Map.of(), false),
				new Case("the same, from another user of the same tenant", otherUser, null, viewer, null, Map.of(), false),
				new Case("a caller capped at one report field, after others kept the document", capped, null, "query ($from: Date = \"2026-03-01\", $to: Date!, $year: Int = 2026) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } salesVsTarget(year: $year) { months { month grossSalesCents targetCents attainmentPercent } freshness { servedFrom nextRefreshAt } } }", null, Map.of("to", "2026-03-31"), false),
				new Case("a capped caller within its cap", capped, null, "{ only: dailyRevenue(" + RANGE + ") { totals { revenueCents } } }", null, Map.of(), true),
				new Case("decimals, IDs, floats and a null float, written from the rows", a, null, "{ jobProfit(from: \"2026-03-01\", to: \"2026-03-10\") { totals { completedJobs finalValue partsCost profit marginPercent } } jobDurations(from: \"2026-03-01\", to: \"2026-03-10\") { byProvider { __typename providerId providerName completedJobs avgHours p50Hours p90Hours } overall { completedJobs avgHours p90Hours } freshness { servedFrom } } }", null, Map.of(), true),
				new Case("ranges with no rows: zero decimals, null floats, an empty list", a, null, "{ jobProfit(from: \"2026-02-01\", to: \"2026-02-10\") { totals { completedJobs finalValue profit marginPercent } } jobDurations(from: \"2026-02-01\", to: \"2026-02-10\") { byProvider { providerId } overall { completedJobs avgHours p50Hours } } }", null, Map.of(), true),
				new Case("a section selected twice under two aliases", a, null, "{ dailyRevenue(" + RANGE + ") { a: days { day } b: days { revenueCents } t: totals { revenueCents } } }", null, Map.of(), true),
				new Case("a connection page after a cursor", a, null, "query ($after: String) { customerActivity(first: 1, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage startCursor } } }", null, Map.of(), true));
	}

	private static String send(GraphQlHttp http, Case example) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", example.document());
		if (example.operationName() != null) {
			body.put("operationName", example.operationName());
		}
		body.put("variables", example.variables());
		GraphQlHttp.Response response = http.postRaw(example.token(), example.header(), JSON.writeValueAsString(body));
		return response.status() + " " + response.body();
	}

	/** The answer, fields in the order sent, without what depends on the second it was sent in. */
	private static String comparable(String statusAndAnswer) {
		int space = statusAndAnswer.indexOf(' ');
		JsonNode tree = JSON.readTree(statusAndAnswer.substring(space + 1));
		strip(tree);
		return statusAndAnswer.substring(0, space) + " " + tree;
	}

	private static void strip(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (String field : Stream.of("ageSeconds", "age", "cachedAt", "at").toList()) {
				if (object.has(field)) {
					object.put(field, "(time)");
				}
			}
			if (object.has("description")) {
				// The parts are named only while their ages differ in words, which a second boundary decides.
				object.put("description", object.get("description")
					.asString()
					.replaceAll("\\d+ \\w+ ago|just now", "(time) ago")
					.replace(" · recent days updated (time) ago, older days (time) ago", ""));
			}
		}
		node.forEach(ResponseCacheEquivalenceIntegrationTests::strip);
	}

	private double compiledAnswers() {
		return this.compiledOnly.bean(MeterRegistry.class).counter("tally.query.compiled", "result", "answered").count();
	}

	private double hits() {
		return this.meters.counter("tally.cache.responses", "result", "hit").count();
	}

	/**
	 * One document of the corpus.
	 * @param kept whether its answer has no errors and reads a report, so the repeat is a hit
	 */
	record Case(String name, String token, String header, String document, String operationName,
			Map<String, Object> variables, boolean kept) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
