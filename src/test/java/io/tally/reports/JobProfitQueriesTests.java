package io.tally.reports;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tally.support.Migrations;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jobProfit report's own queries ({@code sql/reports/job_profit/edges.sql} and
 * {@code totals.sql}), run as the query role over the kept tables, answer exactly as a plain
 * newest-first computation over the old definition ({@code mv.job_profit_definition}): every page
 * after many cursors, with and without a provider, and every range's totals, after the full rebuild
 * and again after late writes and a routine refresh. One transaction, rolled back, so the shared
 * test database is left as it was.
 */
class JobProfitQueriesTests {

	private static final String EXPECTED_PAGE = """
			SELECT job_id, provider_id, completed_at, final_value, parts_cost, profit, margin_percent::float8,
			       list_position::text AS cursor
			FROM (SELECT d.*, CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END AS list_position
			      FROM mv.job_profit_definition d
			      WHERE tenant_id = :tenant AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = :provider_id)) x
			WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
			  AND (CAST(:after AS bigint) IS NULL
			       OR (list_position > :after AND list_position <= CAST(:after AS numeric) + :limit))
			ORDER BY list_position
			LIMIT :limit
			""";

	private static final String EXPECTED_TOTALS = """
			SELECT count(*)::int AS completed_jobs, coalesce(sum(final_value), 0) AS final_value,
			       coalesce(sum(parts_cost), 0) AS parts_cost, coalesce(sum(final_value - parts_cost), 0) AS profit,
			       CASE WHEN coalesce(sum(final_value), 0) = 0 THEN NULL
			            ELSE round(sum(final_value - parts_cost) * 100 / sum(final_value), 2) END::float8 AS margin_percent
			FROM mv.job_profit_definition
			WHERE tenant_id = :tenant AND completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
			  AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = :provider_id)
			""";

	private static final String[][] RANGES = { { "2024-01-01", "2024-03-31" }, { "2024-01-31", "2024-02-01" },
			{ "2024-02-29", "2024-03-01" }, { "2024-03-10", "2024-03-10" }, { "2023-12-31", "2024-01-03" },
			{ "2000-01-01", "2000-12-31" }, { "2100-01-01", "2100-12-31" }, { "2025-01-01", "2025-06-30" } };

	private static final Long[] AFTER = { null, -2L, 0L, 2L, 7L, 40L, 139L, Long.MAX_VALUE };

	private static final Long[] PROVIDERS = { null, 1L, 2L, 3L };

	@Test
	void pagesAndTotalsAreThoseOfTheDefinitionOverManyRangesCursorsAndProviders() throws Exception {
		try (Connection connection = Migrations.migrated().connect()) {
			connection.setAutoCommit(false);
			try {
				NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(
						new SingleConnectionDataSource(connection, true));
				JdbcTemplate plain = jdbc.getJdbcTemplate();
				plain.execute(resource("fixtures/job-profit-queries.sql"));
				plain.queryForObject("SELECT tally.refresh_view('job_profit', false, true)", Long.class);
				assertThat(mismatches(jdbc)).as("after the full rebuild").isEmpty();
				plain.execute(resource("fixtures/job-profit-queries-late.sql"));
				plain.queryForObject("SELECT tally.refresh_view('job_profit', false, false)", Long.class);
				assertThat(mismatches(jdbc)).as("after late writes and a routine refresh").isEmpty();
			}
			finally {
				connection.rollback();
			}
		}
	}

	private static List<String> mismatches(NamedParameterJdbcTemplate jdbc) throws IOException {
		String edges = Files.readString(Path.of("sql/reports/job_profit/edges.sql"));
		String totals = Files.readString(Path.of("sql/reports/job_profit/totals.sql"));
		List<String> mismatches = new ArrayList<>();
		int compared = 0;
		for (String tenant : List.of("t-jpq-e", "t-jpq-w", "t-jpq-u")) {
			for (String[] range : RANGES) {
				for (Long provider : PROVIDERS) {
					MapSqlParameterSource totalsParameters = parameters(tenant, range, provider, null, 50);
					compared += compare(jdbc, tenant, totals, EXPECTED_TOTALS, totalsParameters, mismatches);
					for (Long after : AFTER) {
						for (int limit : new int[] { 1, 3, 50 }) {
							compared += compare(jdbc, tenant, edges, EXPECTED_PAGE,
									parameters(tenant, range, provider, after, limit), mismatches);
						}
					}
				}
			}
		}
		assertThat(compared).as("answers compared").isGreaterThan(2000);
		return mismatches;
	}

	private static int compare(NamedParameterJdbcTemplate jdbc, String tenant, String report, String expected,
			MapSqlParameterSource parameters, List<String> mismatches) {
		JdbcTemplate plain = jdbc.getJdbcTemplate();
		plain.queryForObject("SELECT set_config('app.tenant_id', ?, true)", String.class, tenant);
		plain.execute("SET LOCAL ROLE tally_reader");
		List<String> actual = normalized(jdbc.queryForList(report, parameters));
		plain.execute("RESET ROLE");
		List<String> wanted = normalized(jdbc.queryForList(expected, parameters));
		if (!actual.equals(wanted)) {
			mismatches.add(parameters.getValues() + ": " + actual + " instead of " + wanted);
		}
		return 1;
	}

	private static MapSqlParameterSource parameters(String tenant, String[] range, Long provider, Long after,
			int limit) {
		return new MapSqlParameterSource().addValue("tenant", tenant)
			.addValue("from", Date.valueOf(range[0]))
			.addValue("to", Date.valueOf(range[1]))
			.addValue("provider_id", provider, Types.BIGINT)
			.addValue("after", after, Types.BIGINT)
			.addValue("limit", limit);
	}

	/** Rows as text, numbers by value: 0 and 0.00 are the same amount (the API prints both as 0.00). */
	private static List<String> normalized(List<Map<String, Object>> rows) {
		return rows.stream()
			.map(row -> row.entrySet()
				.stream()
				.map(column -> column.getKey() + "=" + ((column.getValue() instanceof BigDecimal decimal)
						? decimal.stripTrailingZeros().toPlainString() : String.valueOf(column.getValue())))
				.collect(Collectors.joining(",")))
			.toList();
	}

	private static String resource(String name) throws IOException {
		return new ClassPathResource(name).getContentAsString(StandardCharsets.UTF_8);
	}

}
