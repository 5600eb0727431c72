package io.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import tools.jackson.databind.json.JsonMapper;

/**
 * The soak ({@code bench/soak.sh}): the benchmark's Zipf mix across tenants for a long time (30
 * minutes by default) with a refresh of every view each minute, sampling each minute the heap
 * after a full GC, the live threads, the open database connections (pg_stat_activity) and the
 * minute's latency. A leak shows as a slope: the least-squares slope of each column over the
 * minutes after the first (the warm-up) is printed with the table and written to the JSON.
 * Tally and the client share this JVM, as in the benchmark; the client keeps no state across
 * minutes beyond one table row and the refresh timings, a few hundred bytes a minute.
 */
final class Soak {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final BenchmarkConfig config;

	private final Duration length;

	private final Duration interval;

	private final Path output;

	private final List<Sample> samples = new ArrayList<>();

	/**
	 * One minute of the soak.
	 * @param minute its number, from 1
	 * @param load the minute's requests as the client saw them
	 * @param cachedPercent share of answers served from the cache
	 * @param heapAfterGcMb heap used after a full GC at the minute's end
	 * @param threads live threads in the JVM
	 * @param dbConnections connections to the bench database, from pg_stat_activity (the sampler's own not counted)
	 * @param refreshSeconds the refresh of every view started this minute, or -1 when the last one still ran
	 */
	record Sample(int minute, Stats load, double cachedPercent, double heapAfterGcMb, int threads, int dbConnections,
			double refreshSeconds) {
	}

	Soak(BenchmarkConfig config) {
		this.config = config;
		this.length = Duration.ofSeconds((long) (setting("BENCH_SOAK_MINUTES", 30) * 60));
		this.interval = Duration.ofSeconds((long) setting("BENCH_SOAK_SAMPLE_SECONDS", 60));
		String output = System.getenv("BENCH_SOAK_OUTPUT");
		this.output = Path.of((output != null && !output.isBlank()) ? output : "bench/soak.json");
	}

	/** Whether this run is the soak ({@code -Dbench.only=soak}). */
	static boolean requested() {
		return "soak".equals(System.getProperty("bench.only"));
	}

	/**
	 * @param refreshAll refreshes every view once
	 * @param mix runs the mix until the given condition holds
	 */
	void run(Runnable refreshAll, Function<BooleanSupplier, LoadRunner.Result> mix) {
		int minutes = (int) Math.max(1, this.length.toSeconds() / this.interval.toSeconds());
		BenchData.log("soak: %d samples, one every %d s, a refresh of every view at each", minutes,
				this.interval.toSeconds());
		ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
			Thread thread = new Thread(runnable, "soak-refresh");
			thread.setDaemon(true);
			return thread;
		});
		Future<Double> refreshing = null;
		try {
			long started = System.nanoTime();
			for (int minute = 1; minute <= minutes; minute++) {
				double refreshSeconds = -1;
				if (refreshing == null || refreshing.isDone()) {
					refreshing = refresher.submit(() -> {
						long one = System.nanoTime();
						refreshAll.run();
						return (System.nanoTime() - one) / 1e9;
					});
				}
				Future<Double> thisMinutes = refreshing;
				long end = started + minute * this.interval.toNanos();
				LoadRunner.Result load = mix.apply(() -> System.nanoTime() >= end);
				if (thisMinutes.isDone()) {
					refreshSeconds = thisMinutes.get();
				}
				Stats stats = load.stats();
				Sample sample = new Sample(minute, stats,
						(stats.requests() > 0) ? 100.0 * load.cached() / stats.requests() : 0, heapAfterGcMb(),
						ManagementFactory.getThreadMXBean().getThreadCount(), dbConnections(), refreshSeconds);
				this.samples.add(sample);
				BenchData.log("soak %s", row(sample));
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("The soak stopped: " + ex.getMessage(), ex);
		}
		finally {
			refresher.shutdownNow();
		}
		try {
			// A refresh still running writes the benchmark's refresh timings: let it end first.
			refresher.awaitTermination(5, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		write();
	}

	List<Sample> samples() {
		return List.copyOf(this.samples);
	}

	private static double heapAfterGcMb() {
		// System.gc() is a full collection with the default G1: what is left is what is held.
		for (int i = 0; i < 2; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
	}

	private int dbConnections() {
		try (Connection connection = BenchData.connect(this.config);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
						+ "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The minutes the slopes are taken over: after the first (the warm-up), unless that leaves one. */
	private List<Sample> steady() {
		return (this.samples.size() > 2) ? this.samples.subList(1, this.samples.size()) : this.samples;
	}

	/** Least-squares slope per hour of one column over the steady minutes. */
	private double slopePerHour(ToDoubleFunction<Sample> column) {
		List<Sample> steady = steady();
		int n = steady.size();
		if (n < 2) {
			return 0;
		}
		double meanX = steady.stream().mapToDouble(Sample::minute).average().orElse(0);
		double meanY = steady.stream().mapToDouble(column).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (Sample sample : steady) {
			covariance += (sample.minute() - meanX) * (column.applyAsDouble(sample) - meanY);
			variance += (sample.minute() - meanX) * (sample.minute() - meanX);
		}
		double perSample = (variance > 0) ? covariance / variance : 0;
		return perSample * Duration.ofHours(1).toSeconds() / this.interval.toSeconds();
	}

	private Map<String, Object> slopes() {
		Map<String, Object> slopes = new LinkedHashMap<>();
		slopes.put("heapAfterGcMbPerHour", Stats.round(slopePerHour(Sample::heapAfterGcMb)));
		slopes.put("threadsPerHour", Stats.round(slopePerHour(Sample::threads)));
		slopes.put("dbConnectionsPerHour", Stats.round(slopePerHour(Sample::dbConnections)));
		slopes.put("p99MsPerHour", Stats.round(slopePerHour(sample -> sample.load().p99())));
		slopes.put("requestsPerSecondPerHour", Stats.round(slopePerHour(sample -> sample.load().throughput())));
		return slopes;
	}

	private static final String HEADER = String.format(Locale.ROOT, "%6s %9s %8s %8s %6s %7s %10s %7s %6s %9s",
			"minute", "req/s", "p50 ms", "p99 ms", "errors", "cached", "heap MB", "threads", "db", "refresh s");

	private static String row(Sample sample) {
		return String.format(Locale.ROOT, "%6d %9.0f %8.2f %8.2f %6d %6.1f%% %10.1f %7d %6d %9s", sample.minute(),
				sample.load().throughput(), sample.load().p50(), sample.load().p99(), sample.load().errors(),
				sample.cachedPercent(), sample.heapAfterGcMb(), sample.threads(), sample.dbConnections(),
				(sample.refreshSeconds() >= 0) ? String.format(Locale.ROOT, "%.1f", sample.refreshSeconds()) : "running");
	}

	private String table() {
		StringBuilder table = new StringBuilder(HEADER).append('\n');
		this.samples.forEach(sample -> table.append(row(sample)).append('\n'));
		List<Sample> steady = steady();
		if (!steady.isEmpty()) {
			table.append("slopes over minutes ").append(steady.get(0).minute()).append("..")
				.append(steady.get(steady.size() - 1).minute()).append(" (per hour): ");
		}
		slopes().forEach((name, value) -> table.append(name).append(' ').append(value).append("  "));
		return table.append('\n').toString();
	}

	private void write() {
		String table = table();
		System.out.println(table);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("generatedAt", Instant.now().toString());
		document.put("command", "bench/soak.sh");
		Map<String, Object> facts = new LinkedHashMap<>();
		facts.put("minutes", this.length.toSeconds() / 60.0);
		facts.put("sampleSeconds", this.interval.toSeconds());
		facts.put("orders", this.config.orders());
		facts.put("tenants", this.config.tenants());
		facts.put("clientThreads", this.config.threads());
		facts.put("heapMaxMb", Stats.round(Runtime.getRuntime().maxMemory() / 1048576.0));
		facts.put("cpus", Runtime.getRuntime().availableProcessors());
		facts.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
		document.put("facts", facts);
		document.put("slopesOverMinutes", steady().stream().map(Sample::minute).toList());
		document.put("slopes", slopes());
		document.put("samples", this.samples.stream().map(sample -> {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("minute", sample.minute());
			map.put("load", sample.load().toJson());
			map.put("cachedPercent", Stats.round(sample.cachedPercent()));
			map.put("heapAfterGcMb", Stats.round(sample.heapAfterGcMb()));
			map.put("threads", sample.threads());
			map.put("dbConnections", sample.dbConnections());
			map.put("refreshSeconds", (sample.refreshSeconds() >= 0) ? Stats.round(sample.refreshSeconds()) : null);
			return map;
		}).toList());
		try {
			Files.createDirectories(this.output.toAbsolutePath().getParent());
			Files.writeString(this.output, json.writerWithDefaultPrettyPrinter().writeValueAsString(document));
			String name = this.output.getFileName().toString().replaceFirst("\\.json$", "");
			Files.writeString(this.output.resolveSibling(name + ".txt"), table);
			BenchData.log("wrote %s and %s.txt", this.output, name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static double setting(String name, double fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? Double.parseDouble(value) : fallback;
	}

}
