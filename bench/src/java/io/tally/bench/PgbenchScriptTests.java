package io.tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import io.tally.query.ReportStatements;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The pgbench floor's script is the batch a miss sends, statement for statement, in one
 * transaction: values bound as parameters, nulls as NULL, comments (and the ':name' in them) gone.
 */
class PgbenchScriptTests {

	private static final ReportStatements.Batch BATCH = new ReportStatements.Batch("""
			SELECT set_config('role', ?, true),
			       set_config('app.tenant_id', ?, true);
			-- One row per day of [:from, :to]; what '?' means here is no placeholder.
			SELECT d::date AS day FROM generate_series(CAST(? AS date), CAST(? AS date), interval '1 day') AS d
			WHERE (CAST(? AS text) IS NULL OR 'x' = CAST(? AS text));
			SELECT current_setting('app.tenant_id', true) IS NOT DISTINCT FROM ?""",
			Arrays.asList("tally_query", "bench-001", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31), null, null,
					"bench-001"));

	@Test
	void wrapsTheBatchInOneTransactionWithEveryValueAVariableAndEveryNullANull() {
		Pgbench.Script script = Pgbench.script(BATCH);

		assertThat(script.text()).isEqualTo("""
				BEGIN;
				SELECT set_config('role', :p1, true),
				       set_config('app.tenant_id', :p2, true);
				SELECT d::date AS day FROM generate_series(CAST(:p3 AS date), CAST(:p4 AS date), interval '1 day') AS d
				WHERE (CAST(NULL AS text) IS NULL OR 'x' = CAST(NULL AS text));
				SELECT current_setting('app.tenant_id', true) IS NOT DISTINCT FROM :p7;
				COMMIT;
				""");
		assertThat(script.variables()).containsExactly("p1=tally_query", "p2=bench-001", "p3=2026-01-01",
				"p4=2026-03-31", "p7=bench-001");
	}

	@Test
	void runsPreparedOverTheUnixSocketWhenTheServerListensThere() {
		Path socketDir = Path.of("/var/run/postgresql");
		BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
		List<String> command = Pgbench.command(config, Pgbench.script(BATCH), Path.of("floor.sql"),
				Duration.ofSeconds(10), 8, 2);

		assertThat(String.join(" ", command)).contains("-M prepared -c 8 -j 2 -T 10")
			.contains("-D p3=2026-01-01")
			.endsWith("-f floor.sql tally_bench");
		if (socketDir.resolve(".s.PGSQL.5432").toFile().exists()) {
			assertThat(command).containsSequence("-h", "/var/run/postgresql");
		}
	}

	@Test
	void refusesABatchWhosePlaceholdersAndValuesDoNotPair() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Pgbench.script(new ReportStatements.Batch("SELECT ?, ?", List.of("one"))))
			.withMessageContaining("2 placeholders for 1 values");
	}

}
