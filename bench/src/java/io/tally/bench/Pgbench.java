package io.tally.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.tally.query.ReportStatements;
import org.HdrHistogram.Histogram;

/**
 * The direct-SQL floor measured by pgbench: one transaction per report running the statement
 * batch Tally itself sends ({@link ReportStatements}: settings, SQL files, defaults and
 * parameters from the application, written in as literals), prepared statements, as many clients
 * as the HTTP measurements. Skipped when pgbench is not on the PATH.
 */
final class Pgbench {

	private Pgbench() {
	}

	static Optional<Stats> run(BenchmarkConfig config, Workload.Report report, ReportStatements.Batch batch,
			Duration time) {
		return run(config, report, batch, time, config.threads(), config.threads());
	}

	/** The same with {@code clients} connections over {@code jobs} pgbench threads. */
	static Optional<Stats> run(BenchmarkConfig config, Workload.Report report, ReportStatements.Batch batch,
			Duration time, int clients, int jobs) {
		URI uri = URI.create(config.jdbcUrl().substring("jdbc:".length()));
		String database = uri.getPath().substring(1);
		StringBuilder script = new StringBuilder("BEGIN READ ONLY;\n");
		// Comments go first: a '?' in one is not a placeholder.
		String[] pieces = batch.sql().replaceAll("(?m)--.*$", "").split("\\?", -1);
		for (int i = 0; i < pieces.length; i++) {
			script.append(pieces[i]);
			if (i < batch.values().size()) {
				Object value = batch.values().get(i);
				script.append((value == null) ? "NULL" : "'" + value.toString().replace("'", "''") + "'");
			}
		}
		script.append(";\nCOMMIT;\n");
		try {
			Path dir = Files.createTempDirectory("tally-pgbench");
			Path file = dir.resolve(report.view() + ".sql");
			Files.writeString(file, script);
			ProcessBuilder builder = new ProcessBuilder(List.of("pgbench", "-h", uri.getHost(),
					"-p", String.valueOf(uri.getPort() > 0 ? uri.getPort() : 5432), "-U", config.username(), "-n",
					"-M", "prepared", "-c", String.valueOf(clients), "-j", String.valueOf(jobs),
					"-T", String.valueOf(Math.max(1, time.toSeconds())), "-l", "--log-prefix", dir.resolve("log").toString(),
					"-f", file.toString(), database))
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("out.txt").toFile());
			builder.environment().put("PGPASSWORD", config.password());
			Process process = builder.start();
			if (!process.waitFor(time.toSeconds() + 60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return Optional.empty();
			}
			String output = Files.readString(dir.resolve("out.txt"));
			if (process.exitValue() != 0) {
				BenchData.log("pgbench %s failed: %s", report.view(), output);
				return Optional.empty();
			}
			Histogram micros = new Histogram(3);
			long[] errors = { 0 };
			try (Stream<Path> logs = Files.list(dir)) {
				for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log")).toList()) {
					for (String line : Files.readAllLines(log)) {
						String[] fields = line.split(" ");
						if (fields.length >= 3 && fields[2].matches("\\d+")) {
							micros.recordValue(Math.max(1, Long.parseLong(fields[2])));
						}
						else {
							errors[0]++;
						}
					}
				}
			}
			Stats stats = Stats.of(micros, errors[0], time.toSeconds());
			BenchData.log("%-16s %-20s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms", report.field(), "sql pgbench",
					stats.throughput(), stats.p50(), stats.p99());
			return Optional.of(stats);
		}
		catch (IOException ex) {
			BenchData.log("pgbench not run: %s", ex.getMessage());
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

}
