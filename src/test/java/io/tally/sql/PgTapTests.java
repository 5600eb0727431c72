package io.tally.sql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every pgTAP file in {@code sql/tests} against this run's migrated database, one JUnit test
 * per file, so the SQL proofs are part of {@code ./mvnw verify}. pgTAP comes from the server's
 * extension when it has one (Debian: postgresql-15-pgtap); otherwise the test loads the vendored
 * install script ({@code src/test/resources/pgtap}) into the test database itself and says so in
 * the log, so a fresh machine needs nothing installed by hand. {@code -Dtally.test.pgtap=vendored}
 * takes the vendored path even where the extension exists, to prove that path in a run.
 */
class PgTapTests {

	private static final Logger logger = LoggerFactory.getLogger(PgTapTests.class);

	private static final String VENDORED = "pgtap/pgtap--1.2.0.sql";

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

	private static void createExtension(TestDatabase database) throws IOException {
		boolean forceVendored = "vendored".equals(System.getProperty("tally.test.pgtap"));
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			if (loaded(statement)) {
				return;
			}
			if (!forceVendored) {
				try {
					statement.execute("CREATE EXTENSION IF NOT EXISTS pgtap");
					logger.info("pgTAP: created the server's pgtap extension in {}", database.jdbcUrl());
					return;
				}
				catch (SQLException ex) {
					logger.warn("pgTAP: the server has no pgtap extension ({}); loading the vendored copy instead",
							ex.getMessage());
				}
			}
			loadVendored(connection, statement);
			logger.warn("pgTAP: loaded the vendored pgTAP 1.2.0 (src/test/resources/{}) into schema public of the "
					+ "test database {}{}", VENDORED, database.jdbcUrl(),
					forceVendored ? ", as -Dtally.test.pgtap=vendored asked" : "");
		}
		catch (SQLException ex) {
			fail("pgTAP could neither be created as an extension nor loaded from src/test/resources/" + VENDORED
					+ ": " + ex.getMessage());
		}
	}

	/** Loaded earlier in this run's database, as the extension or from the vendored script. */
	private static boolean loaded(Statement statement) throws SQLException {
		try (ResultSet result = statement.executeQuery("SELECT to_regprocedure('public.plan(integer)') IS NOT NULL")) {
			return result.next() && result.getBoolean(1);
		}
	}

	/** All or nothing, so a failed load leaves no half of pgTAP behind for the next run to trip on. */
	private static void loadVendored(Connection connection, Statement statement) throws IOException, SQLException {
		String script = new ClassPathResource(VENDORED).getContentAsString(StandardCharsets.UTF_8);
		connection.setAutoCommit(false);
		try {
			statement.execute("SET LOCAL search_path TO public");
			statement.execute(script);
			connection.commit();
		}
		catch (SQLException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
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
