package io.tally.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import io.tally.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark harness in its smoke mode, so it keeps working: a few thousand generated orders in
 * a database of its own on this run's PostgreSQL server (the generator empties schema app, so never
 * the shared test database), a few requests per report and measurement. Asserts that every report
 * got its rows with requests and no errors, not how fast they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchmarkSmokeIntegrationTests {

	private String adminUrl;

	private String url;

	@TempDir
	Path output;

	@BeforeAll
	void database() throws Exception {
		TestDatabase shared = TestDatabase.get();
		String name = "tally_bench_smoke_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		String base = shared.jdbcUrl();
		int query = base.indexOf('?');
		String params = (query >= 0) ? base.substring(query) : "";
		String withoutParams = (query >= 0) ? base.substring(0, query) : base;
		String server = withoutParams.substring(0, withoutParams.lastIndexOf('/') + 1);
		this.adminUrl = base;
		this.url = server + name + params;
		admin("CREATE DATABASE " + name);
	}

	@AfterAll
	void dropDatabase() throws Exception {
		String name = this.url.substring(this.url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
		admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
	}

	@Test
	@Timeout(180)
	void producesARowPerReportAndMeasurementWithRequestsAndNoErrors() throws Exception {
		TestDatabase shared = TestDatabase.get();
		Path json = this.output.resolve("results.json");
		Benchmark.Result result = new Benchmark(
				BenchmarkConfig.smoke(this.url, shared.username(), shared.password(), json)).run();

		List<String> reports = List.of("dailyRevenue", "planUsage", "upsell", "jobProfit", "jobDurations",
				"salesVsTarget", "customerActivity");
		for (String report : reports) {
			for (String measurement : List.of("cache hit", "cache off", "sql jdbc")) {
				assertThat(Targets.find(result.rows(), report, measurement))
					.as("%s / %s", report, measurement)
					.hasValueSatisfying(row -> {
						assertThat(row.client().requests()).isPositive();
						assertThat(row.client().errors()).isZero();
					});
			}
			assertThat(Targets.find(result.rows(), report, "cache hit").orElseThrow().server().requests()).isPositive();
		}
		for (String measurement : List.of("http floor", "mix (cache on)", "readers idle")) {
			assertThat(result.rows()).filteredOn(row -> row.measurement().equals(measurement))
				.singleElement()
				.satisfies(row -> assertThat(row.client().requests()).isPositive());
		}
		assertThat(result.rows()).filteredOn(row -> row.measurement().equals("readers during refresh"))
			.singleElement()
			.satisfies(row -> assertThat(row.client().errors()).isZero());
		assertThat(result.refreshes()).filteredOn(r -> "all".equals(r.get("report"))).hasSize(2);
		assertThat(result.targets()).containsKeys("cacheHitServerP50Ms", "uncachedP99Ms", "uncachedServerOverSqlP50",
				"fullRefreshSeconds", "heapMb");
		assertThat(Files.readString(json)).contains("\"rows\"", "\"targets\"", "dailyRevenue");
	}

	private void admin(String sql) throws Exception {
		TestDatabase shared = TestDatabase.get();
		try (Connection connection = DriverManager.getConnection(this.adminUrl, shared.username(), shared.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
