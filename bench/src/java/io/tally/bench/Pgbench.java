package io.tally.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.tally.query.ReportStatements;
import org.HdrHistogram.Histogram;

/**
 * The direct-SQL floor measured by pgbench: one transaction per read holding exactly the
 * statements a cache miss sends ({@link ReportStatements}: the setup's {@code set_config} calls,
 * the selected sections' SQL files and the closing check that the setup held, with the
 * application's own defaults and parameter values), {@code -M prepared} so each statement is
 * parsed once per connection and its values are bound as parameters as Tally binds them, over
 * the server's Unix socket, as many clients as the HTTP measurements. Skipped when pgbench is not
 * on the PATH.
 */
final class Pgbench {

	/** A named parameter left in the SQL: pgbench would bind it as an undefined (NULL) variable. */
	/** pgbench's connections, by which its backends are told from everyone else's. */
	private static final String APPLICATION_NAME = "tally-bench-pgbench";

	private static final Pattern STRAY_VARIABLE = Pattern.compile("(?<!:):[A-Za-z0-9_]");

	private Pgbench() {
	}

	/**
	 * The floor's script and the variables it binds.
	 * @param text {@code BEGIN;}, the batch's statements one per command, {@code COMMIT;}
	 * @param variables {@code name=value} for each {@code -D}: pgbench binds {@code :name} as a parameter
	 */
	record Script(String text, List<String> variables) {
	}

	/**
	 * The batch as a pgbench script. A value becomes a variable, which {@code -M prepared} binds as
	 * a parameter (as Tally's batch binds it, so a generic plan stays generic); a null value is
	 * written as {@code NULL}, as pgbench has no null variable (its planner then sees the constant).
	 */
	static Script script(ReportStatements.Batch batch) {
		// Comments go first: a '?' or ':name' in one is not a placeholder.
		String sql = batch.sql().replaceAll("(?m)--.*$", "");
		if (STRAY_VARIABLE.matcher(sql).find()) {
			throw new IllegalStateException("The batch holds a ':name' pgbench would take for a variable: " + sql);
		}
		String[] pieces = sql.split("\\?", -1);
		if (pieces.length - 1 != batch.values().size()) {
			throw new IllegalStateException("The batch has " + (pieces.length - 1) + " placeholders for "
					+ batch.values().size() + " values");
		}
		StringBuilder body = new StringBuilder();
		List<String> variables = new ArrayList<>();
		for (int i = 0; i < pieces.length; i++) {
			body.append(pieces[i]);
			if (i < batch.values().size()) {
				Object value = batch.values().get(i);
				if (value == null) {
					body.append("NULL");
				}
				else {
					body.append(":p").append(i + 1);
					variables.add("p" + (i + 1) + "=" + value);
				}
			}
		}
		String statements = body.toString()
			.lines()
			.map(String::stripTrailing)
			.filter(line -> !line.isBlank())
			.collect(Collectors.joining("\n"));
		return new Script("BEGIN;\n" + statements + ";\nCOMMIT;\n", List.copyOf(variables));
	}

	/** The command line, with the script's file name; the password stays out of it. */
	static List<String> command(BenchmarkConfig config, Script script, Path file, Duration time, int clients,
			int jobs) {
		URI uri = URI.create(config.jdbcUrl().substring("jdbc:".length()));
		int port = (uri.getPort() > 0) ? uri.getPort() : 5432;
		List<String> command = new ArrayList<>(List.of("pgbench", "-h", host(config, uri.getHost(), port), "-p",
				String.valueOf(port), "-U", config.username(), "-n", "-M", "prepared", "-c", String.valueOf(clients), "-j",
				String.valueOf(jobs), "-T", String.valueOf(Math.max(1, time.toSeconds()))));
		for (String variable : script.variables()) {
			command.add("-D");
			command.add(variable);
		}
		command.addAll(List.of("-f", file.toString(), uri.getPath().substring(1)));
		return command;
	}

	/** The Unix socket directory when the server listens there, else the JDBC URL's host. */
	private static String host(BenchmarkConfig config, String urlHost, int port) {
		String dir = config.pgbenchHost();
		if (dir != null && !dir.isBlank() && Files.exists(Path.of(dir, ".s.PGSQL." + port))) {
			return dir;
		}
		return urlHost;
	}

	/** What a reader needs to check the floor: the command and the script, as run. */
	static String describe(BenchmarkConfig config, ReportStatements.Batch batch, Duration time, int clients,
			int jobs) {
		Script script = script(batch);
		return String.join(" ", command(config, script, Path.of("floor.sql"), time, clients, jobs)) + "\n"
				+ "-- floor.sql --\n" + script.text();
	}

	static Optional<Stats> run(BenchmarkConfig config, Workload.Report report, ReportStatements.Batch batch,
			Duration time) {
		return run(config, report, batch, time, config.threads(), config.threads());
	}

	/** The same with {@code clients} connections over {@code jobs} pgbench threads. */
	static Optional<Stats> run(BenchmarkConfig config, Workload.Report report, ReportStatements.Batch batch,
			Duration time, int clients, int jobs) {
		return measure(config, report, batch, time, clients, jobs).map(Floor::stats);
	}

	/**
	 * A floor's figures and PostgreSQL's CPU per transaction (microseconds, of pgbench's own
	 * backends; null when it could not be read), to set beside a miss's.
	 */
	record Floor(Stats stats, Long postgresMicros) {
	}

	static Optional<Floor> measure(BenchmarkConfig config, Workload.Report report, ReportStatements.Batch batch,
			Duration time, int clients, int jobs) {
		try {
			Script script = script(batch);
			Path dir = Files.createTempDirectory("tally-pgbench");
			Path file = dir.resolve(report.view() + ".sql");
			Files.writeString(file, script.text());
			List<String> command = new ArrayList<>(command(config, script, file, time, clients, jobs));
			// Each transaction's latency, for the percentiles.
			command.addAll(command.size() - 3, List.of("-l", "--log-prefix", dir.resolve("log").toString()));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dir.resolve("out.txt").toFile());
			builder.environment().put("PGPASSWORD", config.password());
			builder.environment().put("PGAPPNAME", APPLICATION_NAME);
			CpuMeter.Sampler cpu = new CpuMeter.Sampler(config, APPLICATION_NAME);
			Process process = builder.start();
			boolean finished = process.waitFor(time.toSeconds() + 60, TimeUnit.SECONDS);
			Long postgresCpu = cpu.stop();
			if (!finished) {
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
			Long perTransaction = (postgresCpu != null && stats.requests() > 0) ? postgresCpu / stats.requests() : null;
			BenchData.log("%-16s %-20s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  PostgreSQL CPU per transaction %s µs",
					report.field(), "sql pgbench c" + clients, stats.throughput(), stats.p50(), stats.p99(), perTransaction);
			return Optional.of(new Floor(stats, perTransaction));
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
