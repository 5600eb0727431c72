package io.tally.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one benchmark run does: which database, how much data, how long each measurement may run.
 * Every measurement is bounded twice, by a request count and by a time, whichever comes first.
 *
 * @param jdbcUrl the bench database (created if missing on that server)
 * @param username database user (a superuser or the database owner: it migrates and loads)
 * @param password its password
 * @param orders orders to generate (the other tables follow in proportion)
 * @param tenants tenants to generate
 * @param seed generator seed
 * @param reload load again even when the database already holds data of this size and seed
 * @param threads client threads (closed loop: each sends its next request when the last answered)
 * @param warmup how long each measurement warms up first
 * @param measure how long each measurement may run
 * @param maxRequests how many requests each measurement may send
 * @param refreshUnderLoad whether to refresh every view while readers run (and time it)
 * @param pgbench whether to run the direct-SQL floor with pgbench too, when it is on the PATH
 * @param output where the JSON goes (null: nowhere)
 * @param smoke the tiny mode run by {@code ./mvnw verify}
 * @param throughput whether to run the wrk throughput table (needs wrk and pgbench on the PATH)
 * @param onlyThroughput run the throughput table alone, skipping every other measurement
 * @param throughputWarmup each wrk run's warm-up
 * @param throughputDuration each wrk and pgbench run's fixed duration
 * @param abuse whether to run issue 11's abuse pattern (one tenant floods, another is timed)
 * @param onlyAbuse run the abuse measurement alone ({@code -Dbench.only=abuse}), on no bench data
 * @param throughputRounds how many alternating rounds the two compared pairs of the throughput
 * table get on top of their rows (cache hit and {@code { __typename }}; cache off and pgbench)
 * @param pgbenchHost where pgbench connects: the Unix socket directory of the bench server (so the
 * floor pays no TCP), or empty for the JDBC URL's host
 * @param nginx whether the throughput table measures nginx serving the cache hit's answer bytes as
 * a static file (the HTTP floor), when nginx is installed
 * @param jfr whether the {@code { __typename }} and cache-miss rows run under a JFR recording
 * ({@code profile} settings), summarised into {@code jfrOutput}
 * @param jfrOutput where the JFR summary goes
 * @param postGraphile whether the throughput table measures PostGraphile 5 serving the same rows
 * to the same token (issue 20's generic server), when node and {@code bench/postgraphile}'s
 * packages are installed
 */
public record BenchmarkConfig(String jdbcUrl, String username, String password, long orders, int tenants, long seed,
		boolean reload, int threads, Duration warmup, Duration measure, int maxRequests, boolean refreshUnderLoad,
		boolean pgbench, Path output, boolean smoke, boolean throughput, boolean onlyThroughput,
		Duration throughputWarmup, Duration throughputDuration, boolean abuse, boolean onlyAbuse,
		int throughputRounds, String pgbenchHost, boolean nginx, boolean jfr, Path jfrOutput, boolean postGraphile) {

	/** The full run, from {@code -Dbench.*} system properties. */
	public static BenchmarkConfig fromSystemProperties() {
		return new BenchmarkConfig(
				property("bench.url", "jdbc:postgresql://127.0.0.1:5432/tally_bench"),
				property("bench.user", "postgres"),
				property("bench.password", ""),
				Long.parseLong(property("bench.orders", "10000000")),
				Integer.parseInt(property("bench.tenants", "100")),
				Long.parseLong(property("bench.seed", "42")),
				Boolean.parseBoolean(property("bench.reload", "false")),
				Integer.parseInt(property("bench.threads", "2")),
				Duration.ofMillis((long) (Double.parseDouble(property("bench.warmup-seconds", "2")) * 1000)),
				Duration.ofMillis((long) (Double.parseDouble(property("bench.seconds", "5")) * 1000)),
				Integer.parseInt(property("bench.max-requests", "20000")),
				Boolean.parseBoolean(property("bench.refresh", "true")),
				Boolean.parseBoolean(property("bench.pgbench", "true")),
				Path.of(property("bench.output", "bench/results.json")),
				false,
				Boolean.parseBoolean(property("bench.throughput", "true")),
				Boolean.parseBoolean(property("bench.only-throughput", "false")),
				Duration.ofSeconds(Long.parseLong(property("bench.throughput-warmup-seconds", "3"))),
				Duration.ofSeconds(Long.parseLong(property("bench.throughput-seconds", "10"))),
				Boolean.parseBoolean(property("bench.abuse", "true")), "abuse".equals(property("bench.only", "")),
				Integer.parseInt(property("bench.throughput-rounds", "3")),
				property("bench.pgbench-host", "/var/run/postgresql"),
				Boolean.parseBoolean(property("bench.nginx", "true")),
				Boolean.parseBoolean(property("bench.jfr", "false")),
				Path.of(property("bench.jfr-output", "bench/results-jfr.txt")),
				Boolean.parseBoolean(property("bench.postgraphile", "true")));
	}

	/** A few requests per report on a few thousand orders: proves the harness works, not speed. */
	public static BenchmarkConfig smoke(String jdbcUrl, String username, String password, Path output) {
		return new BenchmarkConfig(jdbcUrl, username, password, 3000, 5, 42, true, 2, Duration.ofMillis(50),
				Duration.ofMillis(300), 8, true, false, output, true, false, false, Duration.ZERO, Duration.ZERO, false,
				false, 0, "", false, false, null, false);
	}

	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
