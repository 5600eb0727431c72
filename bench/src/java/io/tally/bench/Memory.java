package io.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 21's memory benchmark ({@code bench/memory.sh}, {@code -Dbench.only=memory}): N tenants each
 * asking {@code dailyRevenue} for M distinct date ranges (30 to 329 days, with every day's row) over
 * HTTP from several clients, in a JVM with a 256 MB heap, with the cache bounded by its byte budget
 * as shipped ({@code tally.cache.max-bytes}: a quarter of the heap). Between two distinct ranges
 * each tenant asks one of a few hot ranges again. Every answer's totals are checked against the
 * database (one query per tenant over {@code report.daily_revenue}, summed per range here); the heap
 * is sampled after a full GC every few seconds and at the end, next to the budget's own count
 * ({@code tally_cache_budget_used_bytes}); the hot ranges' hit rate says whether the budget keeps
 * what is asked again while a flood of distinct ranges goes by. Tally and this client share the
 * JVM, as in the benchmark: the client keeps per tenant one total per day of data and per request a
 * latency, well under a megabyte at 20 × 1,000, so the heap measured is Tally's.
 */
final class Memory {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String DOCUMENT = """
			query($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) {
			  days { day ordersCreated paidOrders failedOrders revenueCents rolling7dRevenueCents }
			  totals { ordersCreated paidOrders revenueCents }
			  freshness { refreshedAt servedFrom } } }""";

	/**
	 * Distinct ranges are 30 to 329 days long; hot ones 340 days and more (a range covers at most
	 * 366 days), so the two never coincide.
	 */
	private static final int SHORTEST = 30;

	private static final int LENGTHS = 300;

	private static final int HOT_SHORTEST = 340;

	private final BenchmarkConfig config;

	private final Function<String, String> token;

	private final LocalDate dataEnd;

	private final int tenantCount = intSetting("bench.memory.tenants", 20);

	private final int ranges = intSetting("bench.memory.ranges", 1000);

	private final int hot = Math.min(366 - HOT_SHORTEST, intSetting("bench.memory.hot", 10));

	private final int clients = intSetting("bench.memory.clients", 8);

	private final Duration sampleEvery = Duration.ofSeconds(intSetting("bench.memory.sample-seconds", 10));

	private final Path output = Path.of(System.getProperty("bench.memory.output", "bench/results-memory.json"));

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** One heap sample after a full GC, with what the cache budget counted at that moment. */
	record Sample(double seconds, long answers, double heapAfterGcMb, double budgetUsedMb, double cacheEntries) {
	}

	/** What one tenant's orders total over a range: the three totals the answers are checked on. */
	record Totals(long ordersCreated, long paidOrders, long revenueCents) {

		Totals plus(Totals other) {
			return new Totals(this.ordersCreated + other.ordersCreated, this.paidOrders + other.paidOrders,
					this.revenueCents + other.revenueCents);
		}

		Totals minus(Totals other) {
			return new Totals(this.ordersCreated - other.ordersCreated, this.paidOrders - other.paidOrders,
					this.revenueCents - other.revenueCents);
		}

	}

	/** One request to make: a tenant's distinct range i, or its hot range i. */
	private record Ask(String tenant, boolean hot, int index, LocalDate from, LocalDate to) {
	}

	Memory(BenchmarkConfig config, Function<String, String> token, LocalDate dataEnd) {
		this.config = config;
		this.token = token;
		this.dataEnd = dataEnd;
	}

	/** Whether this run is the memory benchmark ({@code -Dbench.only=memory}). */
	static boolean requested() {
		return "memory".equals(System.getProperty("bench.only"));
	}

	void run(ConfigurableApplicationContext app, String base, List<String> allTenants) {
		List<String> tenants = allTenants.subList(0, Math.min(this.tenantCount, allTenants.size()));
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		Map<String, TreeMap<LocalDate, Totals>> cumulative = new HashMap<>();
		for (String tenant : tenants) {
			cumulative.put(tenant, cumulative(tenant));
		}
		List<Ask> asks = asks(tenants);
		BenchData.log("memory: %d tenants × %d distinct ranges (+ one of %d hot ranges after each), %d clients, "
				+ "heap max %.0f MB, cache budget %.0f MB", tenants.size(), this.ranges, this.hot, this.clients,
				Runtime.getRuntime().maxMemory() / 1048576.0, gauge(meters, "tally.cache.budget.max") / 1048576.0);

		AtomicInteger next = new AtomicInteger();
		AtomicLong answers = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicLong wrong = new AtomicLong();
		AtomicLong hotAsked = new AtomicLong();
		AtomicLong hotCached = new AtomicLong();
		AtomicLong distinctCached = new AtomicLong();
		Queue<String> firstProblems = new ConcurrentLinkedQueue<>();
		long[] latencies = new long[asks.size()];
		List<Sample> samples = new ArrayList<>();
		AtomicBoolean done = new AtomicBoolean();
		long started = System.nanoTime();
		ExecutorService pool = Executors.newFixedThreadPool(this.clients);
		for (int c = 0; c < this.clients; c++) {
			pool.execute(() -> {
				for (int i = next.getAndIncrement(); i < asks.size(); i = next.getAndIncrement()) {
					Ask ask = asks.get(i);
					long one = System.nanoTime();
					String problem;
					boolean cached = false;
					try {
						HttpResponse<String> response = Benchmark.send(this.http, Benchmark
							.graphQl(base, token(ask.tenant()), null, Benchmark.body(DOCUMENT,
									Map.of("from", ask.from().toString(), "to", ask.to().toString())), null)
							.build());
						JsonNode answer = json.readTree(response.body());
						JsonNode report = answer.path("data").path("dailyRevenue");
						if (response.statusCode() != 200 || answer.has("errors") || report.isMissingNode()) {
							errors.incrementAndGet();
							problem = response.statusCode() + " " + abbreviate(response.body());
						}
						else {
							cached = "CACHE".equals(report.path("freshness").path("servedFrom").asString());
							Totals expected = expected(cumulative.get(ask.tenant()), ask.from(), ask.to());
							JsonNode totals = report.path("totals");
							Totals got = new Totals(totals.path("ordersCreated").asLong(),
									totals.path("paidOrders").asLong(), totals.path("revenueCents").asLong());
							int days = report.path("days").size();
							long expectedDays = ask.to().toEpochDay() - ask.from().toEpochDay() + 1;
							problem = (got.equals(expected) && days == expectedDays) ? null
									: ask + ": expected " + expected + " over " + expectedDays + " days, got " + got
											+ " over " + days;
							if (problem != null) {
								wrong.incrementAndGet();
							}
						}
					}
					catch (RuntimeException ex) {
						errors.incrementAndGet();
						problem = ask + ": " + ex;
					}
					latencies[i] = System.nanoTime() - one;
					answers.incrementAndGet();
					if (problem != null && firstProblems.size() < 5) {
						firstProblems.add(problem);
					}
					if (ask.hot() && ask.index() >= this.hot) {
						// Each hot range's first ask is a miss by nature; later ones show what the budget kept.
						hotAsked.incrementAndGet();
						if (cached) {
							hotCached.incrementAndGet();
						}
					}
					else if (!ask.hot() && cached) {
						distinctCached.incrementAndGet();
					}
				}
			});
		}
		pool.shutdown();
		try {
			long nextSample = System.nanoTime() + this.sampleEvery.toNanos();
			while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
				if (System.nanoTime() >= nextSample) {
					samples.add(sample(meters, started, answers.get()));
					BenchData.log("memory %s", row(samples.get(samples.size() - 1)));
					nextSample = System.nanoTime() + this.sampleEvery.toNanos();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		done.set(true);
		double seconds = (System.nanoTime() - started) / 1e9;
		Sample last = sample(meters, started, answers.get());
		samples.add(last);

		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("tenants", tenants.size());
		result.put("distinctRangesPerTenant", this.ranges);
		result.put("hotRangesPerTenant", this.hot);
		result.put("clients", this.clients);
		result.put("heapMaxMb", Stats.round(Runtime.getRuntime().maxMemory() / 1048576.0));
		result.put("cacheBudgetMb", Stats.round(gauge(meters, "tally.cache.budget.max") / 1048576.0));
		result.put("answers", answers.get());
		result.put("errors", errors.get());
		result.put("wrongTotals", wrong.get());
		result.put("seconds", Stats.round(seconds));
		result.put("answersPerSecond", Stats.round(answers.get() / seconds));
		result.put("p50Ms", Stats.round(percentile(sorted, 0.50) / 1e6));
		result.put("p99Ms", Stats.round(percentile(sorted, 0.99) / 1e6));
		result.put("hotAsksAfterFirst", hotAsked.get());
		result.put("hotHitRatePercent", Stats.round(100.0 * hotCached.get() / Math.max(1, hotAsked.get())));
		result.put("distinctAnswersFromCache", distinctCached.get());
		result.put("maxHeapAfterGcMb", Stats.round(samples.stream().mapToDouble(Sample::heapAfterGcMb).max().orElse(0)));
		result.put("finalHeapAfterGcMb", Stats.round(last.heapAfterGcMb()));
		result.put("maxBudgetUsedMb", Stats.round(samples.stream().mapToDouble(Sample::budgetUsedMb).max().orElse(0)));
		result.put("finalBudgetUsedMb", Stats.round(last.budgetUsedMb()));
		result.put("finalCacheEntries", last.cacheEntries());
		result.put("budgetEvictions", evictions(meters));
		result.put("oversizeNotKept", counterSum(meters, "tally.cache.budget.oversize"));
		result.put("firstProblems", List.copyOf(firstProblems));
		write(result, samples);
		if (errors.get() > 0 || wrong.get() > 0) {
			throw new IllegalStateException("The memory benchmark saw " + errors.get() + " errors and " + wrong.get()
					+ " wrong answers: " + firstProblems);
		}
	}

	/** The benchmark's tokens are minted anew every few minutes, in a map not made for many threads. */
	private synchronized String token(String tenant) {
		return this.token.apply(tenant);
	}

	/** Every tenant's distinct ranges, one tenant after another, each followed by one of its hot ranges. */
	private List<Ask> asks(List<String> tenants) {
		List<Ask> asks = new ArrayList<>(tenants.size() * this.ranges * 2);
		for (int i = 0; i < this.ranges; i++) {
			int length = SHORTEST + i % LENGTHS;
			LocalDate to = this.dataEnd.minusDays(i / LENGTHS);
			int h = i % this.hot;
			LocalDate hotTo = this.dataEnd.minusDays(h);
			for (String tenant : tenants) {
				asks.add(new Ask(tenant, false, i, to.minusDays(length - 1), to));
				asks.add(new Ask(tenant, true, i, hotTo.minusDays(HOT_SHORTEST + h - 1), hotTo));
			}
		}
		return asks;
	}

	/**
	 * One query per tenant: its totals per day over everything the view holds, summed from the
	 * first day on, so a range's totals are a difference of two of them.
	 */
	private TreeMap<LocalDate, Totals> cumulative(String tenant) {
		TreeMap<LocalDate, Totals> cumulative = new TreeMap<>();
		try (Connection connection = BenchData.connect(this.config)) {
			connection.setAutoCommit(false);
			try (PreparedStatement scope = connection.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
				scope.setString(1, tenant);
				scope.execute();
			}
			try (PreparedStatement statement = connection.prepareStatement("""
					SELECT day, sum(orders_created)::bigint, sum(paid_orders)::bigint, sum(revenue_cents)::bigint
					FROM report.daily_revenue GROUP BY day ORDER BY day""");
					ResultSet rs = statement.executeQuery()) {
				Totals running = new Totals(0, 0, 0);
				while (rs.next()) {
					running = running.plus(new Totals(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
					cumulative.put(rs.getObject(1, LocalDate.class), running);
				}
			}
			connection.rollback();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return cumulative;
	}

	private static Totals expected(TreeMap<LocalDate, Totals> cumulative, LocalDate from, LocalDate to) {
		Totals zero = new Totals(0, 0, 0);
		Map.Entry<LocalDate, Totals> upTo = cumulative.floorEntry(to);
		Map.Entry<LocalDate, Totals> before = cumulative.floorEntry(from.minusDays(1));
		return ((upTo != null) ? upTo.getValue() : zero).minus((before != null) ? before.getValue() : zero);
	}

	private static Sample sample(MeterRegistry meters, long started, long answers) {
		// System.gc() is a full collection with the default G1: what is left is what is held.
		for (int i = 0; i < 2; i++) {
			System.gc();
		}
		double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
		return new Sample((System.nanoTime() - started) / 1e9, answers, heap,
				gauge(meters, "tally.cache.budget.used") / 1048576.0, gaugeSum(meters, "tally.cache.entries"));
	}

	private static double gauge(MeterRegistry meters, String name) {
		Gauge gauge = meters.find(name).gauge();
		return (gauge != null) ? gauge.value() : Double.NaN;
	}

	private static double gaugeSum(MeterRegistry meters, String name) {
		return meters.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
	}

	private static double counterSum(MeterRegistry meters, String name) {
		return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	private static Map<String, Double> evictions(MeterRegistry meters) {
		Map<String, Double> byCause = new TreeMap<>();
		for (Counter counter : meters.find("tally.cache.budget.evictions").counters()) {
			byCause.merge(String.valueOf(counter.getId().getTag("cause")), counter.count(), Double::sum);
		}
		return byCause;
	}

	private static long percentile(long[] sorted, double p) {
		return (sorted.length == 0) ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
	}

	private static String abbreviate(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "…" : body;
	}

	private static final String HEADER = String.format(Locale.ROOT, "%9s %9s %14s %15s %13s", "seconds", "answers",
			"heap after GC", "budget counted", "cache entries");

	private static String row(Sample sample) {
		return String.format(Locale.ROOT, "%9.1f %9d %11.1f MB %12.1f MB %13.0f", sample.seconds(), sample.answers(),
				sample.heapAfterGcMb(), sample.budgetUsedMb(), sample.cacheEntries());
	}

	private String table(Map<String, Object> result, List<Sample> samples) {
		StringBuilder table = new StringBuilder();
		table.append(String.format(Locale.ROOT, "%d tenants × %d distinct dailyRevenue ranges (30-329 days, every day's "
				+ "row) + %d hot ranges each, %d clients, heap max %s MB, cache budget %s MB%n", result.get("tenants"),
				this.ranges, this.hot, this.clients, result.get("heapMaxMb"), result.get("cacheBudgetMb")));
		String[][] lines = { { "answers", String.valueOf(result.get("answers")) },
				{ "errors (non-200, GraphQL errors, failed requests)", String.valueOf(result.get("errors")) },
				{ "answers whose totals or days differ from the database", String.valueOf(result.get("wrongTotals")) },
				{ "answers per second / p50 / p99", result.get("answersPerSecond") + " / " + result.get("p50Ms")
						+ " ms / " + result.get("p99Ms") + " ms" },
				{ "hot ranges asked again / served from the cache", result.get("hotAsksAfterFirst") + " / "
						+ result.get("hotHitRatePercent") + " %" },
				{ "heap after full GC: max of samples / at the end", result.get("maxHeapAfterGcMb") + " MB / "
						+ result.get("finalHeapAfterGcMb") + " MB" },
				{ "cache budget counted: max of samples / at the end", result.get("maxBudgetUsedMb") + " MB / "
						+ result.get("finalBudgetUsedMb") + " MB" },
				{ "budget evictions by cause", String.valueOf(result.get("budgetEvictions")) },
				{ "answers too large to keep (sent, not kept)", String.valueOf(result.get("oversizeNotKept")) } };
		for (String[] line : lines) {
			table.append(String.format(Locale.ROOT, "  %-55s %s%n", line[0], line[1]));
		}
		table.append('\n').append(HEADER).append('\n');
		samples.forEach(sample -> table.append(row(sample)).append('\n'));
		return table.toString();
	}

	private void write(Map<String, Object> result, List<Sample> samples) {
		String table = table(result, samples);
		System.out.println(table);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("generatedAt", Instant.now().toString());
		document.put("command", "bench/memory.sh");
		Map<String, Object> facts = new LinkedHashMap<>();
		facts.put("orders", this.config.orders());
		facts.put("cpus", Runtime.getRuntime().availableProcessors());
		facts.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
		facts.put("sharedJvm", "Tally and the client run in one JVM; the client holds well under 1 MB");
		document.put("facts", facts);
		document.put("result", result);
		document.put("samples", samples.stream().map(sample -> {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("seconds", Stats.round(sample.seconds()));
			map.put("answers", sample.answers());
			map.put("heapAfterGcMb", Stats.round(sample.heapAfterGcMb()));
			map.put("budgetUsedMb", Stats.round(sample.budgetUsedMb()));
			map.put("cacheEntries", sample.cacheEntries());
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

	private static int intSetting(String name, int fallback) {
		String value = System.getProperty(name);
		return (value != null && !value.isBlank()) ? Integer.parseInt(value) : fallback;
	}

}
