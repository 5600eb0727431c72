package io.tally.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tally.support.Migrations;
import io.tally.support.TestDatabase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every pgTAP file in {@code sql/tests} against this run's migrated database, one JUnit test
 * per file, so the SQL proofs are part of {@code ./mvnw verify}. The pgTAP extension must be
 * installable on the server (Debian: postgresql-15-pgtap).
 */
class PgTapTests {

	private static final Pattern PLAN = Pattern.compile("^1\\.\\.(\\d+)");

	private static final Pattern RESULT = Pattern.compile("^(not )?ok (\\d+)");

	@TestFactory
	Stream<DynamicTest> everyPgTapFilePasses() throws IOException {
		TestDatabase database = Migrations.migrated();
		createExtension(database);
		List<Path> files;
		try (Stream<Path> listing = Files.list(Path.of("sql/tests"))) {
			files = listing.filter(path -> path.toString().endsWith(".sql")).sorted().toList();
		}
		assertThat(files).as("pgTAP files in sql/tests").isNotEmpty();
		return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(database, file)));
	}

	private static void createExtension(TestDatabase database) {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS pgtap");
		}
		catch (SQLException ex) {
			fail("pgTAP is not installed on the test server (Debian: apt-get install postgresql-15-pgtap): "
					+ ex.getMessage());
		}
	}

	private static void run(TestDatabase database, Path file) throws Exception {
		List<String> tap = new ArrayList<>();
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			boolean hasResults = statement.execute(Files.readString(file));
			while (true) {
				if (hasResults) {
					try (ResultSet results = statement.getResultSet()) {
						while (results.next()) {
							String line = results.getString(1);
							if (line != null) {
								tap.addAll(List.of(line.split("\n")));
							}
						}
					}
				}
				else if (statement.getUpdateCount() == -1) {
					break;
				}
				hasResults = statement.getMoreResults();
			}
		}
		assertPassed(file, tap);
	}

	private static void assertPassed(Path file, List<String> tap) {
		int planned = -1;
		int ran = 0;
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < tap.size(); i++) {
			String line = tap.get(i);
			Matcher plan = PLAN.matcher(line);
			Matcher result = RESULT.matcher(line);
			if (plan.find()) {
				planned = Integer.parseInt(plan.group(1));
			}
			else if (result.find()) {
				ran++;
				if (result.group(1) != null) {
					StringBuilder failure = new StringBuilder(line);
					for (int j = i + 1; j < tap.size() && tap.get(j).startsWith("#"); j++) {
						failure.append('\n').append(tap.get(j));
					}
					failures.add(failure.toString());
				}
			}
			else if (line.startsWith("# Looks like")) {
				failures.add(line);
			}
		}
		assertThat(failures).as("%s failed:\n%s", file, String.join("\n", failures)).isEmpty();
		assertThat(planned).as("%s declares a plan", file).isPositive();
		assertThat(ran).as("%s ran as many tests as it planned", file).isEqualTo(planned);
	}

}
