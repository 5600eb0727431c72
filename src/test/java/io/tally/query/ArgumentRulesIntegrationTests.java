package io.tally.query;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Argument rules come from the SDL, not from argument names: the test-only report
 * {@code windowProbe} ({@code src/test/resources/test-schema/window-probe.graphqls}) has a date
 * range called {@code since}/{@code until} of 7 days by default and 31 at most, a {@code fiscalYear}
 * in 2024..2026, pages of 2 (at most 3), and a {@code year} without any rule. It echoes the
 * arguments as Tally resolved them. The tenant is in America/Coyhaique, a zone PostgreSQL knows
 * and this JDK's zone rules may not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "spring.graphql.schema.locations=classpath:schema/,classpath:test-schema/",
		"tally.query.statement-timeout=300ms", "tally.cache.enabled=false", "spring.datasource.hikari.maximum-pool-size=2" })
class ArgumentRulesIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($since: Date, $until: Date, $fiscalYear: Int, $year: Int, $label: String, $first: Int, $after: String) {
			  windowProbe(since: $since, until: $until, fiscalYear: $fiscalYear, year: $year, label: $label,
			              first: $first, after: $after) {
			    edges { cursor node { day } }
			    pageInfo { hasNextPage endCursor }
			    window { since until fiscalYear year label }
			  }
			}""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name, time_zone) VALUES ('ar-a', 'Coyhaique', 'America/Coyhaique')")
			.update();
	}

	@Test
	void defaultsTheRangeToTheDirectivesDaysEndingOnTheTenantsTodayFromPostgreSql() {
		LocalDate before = today();
		Response response = ask(Map.of());
		LocalDate after = today();

		assertThat(response.<Object>path("$.errors")).as(response.body()).isNull();
		LocalDate until = LocalDate.parse(response.path("$.data.windowProbe.window.until"));
		assertThat(until).isIn(before, after);
		assertThat(LocalDate.parse(response.<String>path("$.data.windowProbe.window.since"))).isEqualTo(until.minusDays(6));
	}

	@Test
	void checksTheRangeUnderTheNamesTheSchemaGaveIt() {
		ask(Map.of("since", "2025-02-01", "until", "2025-01-31")).assertBadRequest("'since' (2025-02-01) is after 'until' (2025-01-31)");
		ask(Map.of("since", "2025-01-01", "until", "2025-02-01")).assertBadRequest("'since'", "32 days", "at most 31 days");
		assertThat(ask(Map.of("since", "2025-01-01", "until", "2025-01-31")).<Object>path("$.errors")).isNull();
	}

	@Test
	void checksYearsOnlyWhereTheSchemaPutsThemWhateverTheArgumentIsCalled() {
		ask(Map.of("since", "2019-12-30", "until", "2020-01-02")).assertBadRequest("'since'", "2020 to 2030", "2019");
		ask(Map.of("since", "2025-01-01", "until", "2025-01-02", "fiscalYear", 2023)).assertBadRequest("'fiscalYear'", "2024 to 2026", "2023");
		Response unruled = ask(Map.of("since", "2030-12-31", "until", "2031-01-02", "year", 1999, "fiscalYear", 2026));

		assertThat(unruled.<Object>path("$.errors")).as(unruled.body()).isNull();
		assertThat(unruled.<Map<String, Object>>path("$.data.windowProbe.window")).containsEntry("until", "2031-01-02")
			.containsEntry("year", 1999)
			.containsEntry("fiscalYear", 2026);
	}

	@Test
	void pagesByTheDirectivesSizes() {
		Response first = ask(Map.of("since", "2025-01-01", "until", "2025-01-05"));
		Response second = ask(Map.of("since", "2025-01-01", "until", "2025-01-05", "first", 3, "after",
				first.path("$.data.windowProbe.pageInfo.endCursor")));

		assertThat(first.<List<String>>path("$.data.windowProbe.edges[*].node.day")).containsExactly("2025-01-01", "2025-01-02");
		assertThat(second.<List<String>>path("$.data.windowProbe.edges[*].node.day"))
			.containsExactly("2025-01-03", "2025-01-04", "2025-01-05");
		ask(Map.of("first", 4)).assertBadRequest("'first'", "between 1 and 3", "4");
	}

	@Test
	void refusesStringsPostgreSqlCannotTakeNamingTheArgument() {
		ask(Map.of("label", "a\u0000b")).assertBadRequest("'label'", "NUL");
		ask(Map.of("label", "x".repeat(1001))).assertBadRequest("'label'", "1001 characters", "at most 1000");
		graphQl().postRaw(this.issuer.tenantUser("ar-a"), null,
				"{\"query\": \"query($l: String) { windowProbe(label: $l) { window { label } } }\", "
						+ "\"variables\": {\"l\": \"a\\ud800b\"}}")
			.assertBadRequest("'label'", "lone surrogate");
		assertThat(ask(Map.of("label", "x".repeat(1000))).<Object>path("$.errors")).isNull();
		assertThat(ask(Map.of("label", "\uD83D\uDE00 naïve 'quote'")).<String>path("$.data.windowProbe.window.label"))
			.isEqualTo("\uD83D\uDE00 naïve 'quote'");
	}

	private Response ask(Map<String, Object> variables) {
		return graphQl().post(this.issuer.tenantUser("ar-a"), null, QUERY, variables);
	}

	private LocalDate today() {
		return this.jdbc.sql("SELECT (now() AT TIME ZONE 'America/Coyhaique')::date").query(LocalDate.class).single();
	}

}
