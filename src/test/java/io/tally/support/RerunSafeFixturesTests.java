package io.tally.support;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A fixture survives a rerun: a class inserting plain rows is run twice in one JVM against the
 * same database, as Failsafe reruns a failed test, and the rerun reports the test's own failure,
 * not a duplicate key; the shared fixture helpers leave the same rows however often they run.
 */
class RerunSafeFixturesTests {

	private static final String OWN_FAILURE = "the test's own failure";

	private static volatile boolean launched;

	private static JdbcClient jdbc;

	@BeforeAll
	static void database() {
		TestDatabase database = Migrations.migrated();
		jdbc = JdbcClient.create(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
	}

	@Test
	void aRerunOfAClassWithPlainInsertsReportsTheTestsOwnFailure() {
		Throwable first = runOnce(PlainInsertsThatFail.class, Map.of());
		Throwable rerun = runOnce(PlainInsertsThatFail.class, Map.of());

		assertThat(first).hasMessage(OWN_FAILURE);
		assertThat(rerun).hasMessage(OWN_FAILURE);
		// The rerun started from nothing: the order the first attempt's test added is gone.
		assertThat(count("app.orders", "rerun-a")).isEqualTo(1);
		// Without the extension the same rerun is the failure this is about.
		Throwable unprotected = runOnce(PlainInsertsThatFail.class,
				Map.of("junit.jupiter.extensions.autodetection.enabled", "false"));
		assertThat(unprotected).hasMessageContaining("duplicate key value violates unique constraint \"tenants_pkey\"");
	}

	@Test
	void theSharedFixtureHelpersLeaveTheSameRowsWhenRunTwice() {
		Shops.withOnePaidOrder(jdbc, "2026-05-01T12:00:00Z", Map.of("rerun-shop", 4200));
		Shops.withOnePaidOrder(jdbc, "2026-05-01T12:00:00Z", Map.of("rerun-shop", 4200));

		assertThat(count("app.customers", "rerun-shop")).isEqualTo(1);
		assertThat(jdbc.sql("SELECT total_cents FROM app.orders WHERE tenant_id = 'rerun-shop'").query(Integer.class).list())
			.containsExactly(4200);

		Fixtures.load(jdbc, "job-profit");
		List<Integer> once = List.of(count("app.jobs", "jp-a"), count("app.job_parts", "jp-a"), count("app.providers", "jp-b"));
		Fixtures.load(jdbc, "job-profit");

		assertThat(List.of(count("app.jobs", "jp-a"), count("app.job_parts", "jp-a"), count("app.providers", "jp-b")))
			.isEqualTo(once)
			.allMatch(rows -> rows > 0);
	}

	/** Runs a class in this JVM, as Failsafe does a rerun, and returns its one failure. */
	private static Throwable runOnce(Class<?> testClass, Map<String, String> configuration) {
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		launched = true;
		try {
			LauncherFactory.create()
				.execute(LauncherDiscoveryRequestBuilder.request()
					.selectors(selectClass(testClass))
					.configurationParameters(configuration)
					.build(), listener);
		}
		finally {
			launched = false;
		}
		List<TestExecutionSummary.Failure> failures = listener.getSummary().getFailures();
		assertThat(failures).hasSize(1);
		return failures.get(0).getException();
	}

	private static int count(String table, String tenant) {
		// Table names are this class's own constants.
		return jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id = :tenant").param("tenant", tenant)
			.query(Integer.class)
			.single();
	}

	static boolean launched() {
		return launched;
	}

	/** A class as most test classes are: plain inserts in {@code @BeforeAll}, one more in the test, which fails. */
	@EnabledIf("io.tally.support.RerunSafeFixturesTests#launched")
	static class PlainInsertsThatFail {

		@BeforeAll
		static void fixture() {
			jdbc.sql("""
					INSERT INTO app.tenants (id, name) VALUES ('rerun-a', 'Rerun A');
					INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('rerun-a', 1, 'Ann', 'north');
					""").update();
		}

		@Test
		void addsAnOrderAndFails() {
			jdbc.sql("INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) "
					+ "VALUES ('rerun-a', 1, 1, '2026-05-01 12:00Z', 'paid', 100)").update();
			throw new AssertionError(OWN_FAILURE);
		}

	}

}
