package io.tally.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 11's abuse pattern against the limits as shipped (their defaults, cache on): one tenant
 * runs 32 closed loops of distinct, so uncacheable, dailyRevenue queries and 16 loops of one
 * request with 48 aliased dailyRevenue fields, while another tenant's uncached reads are timed,
 * with the server idle, under that flood, and idle again, in the same run. What counts is the
 * victim's p50 under the flood over its idle p50 (the mean of before and after); next to it, what the abuser got (answers, 429s,
 * requests refused before any SQL, database reads).
 */
final class Abuse {

	/** The tenant whose reads are timed (2 loops): the biggest, whose uncached reads cost the most. */
	static final String VICTIM = Workload.BIG_TENANT;

	static final String ABUSER = "bench-002";

	static final int DISTINCT_LOOPS = 32;

	static final int ALIAS_LOOPS = 16;

	static final int ALIASES = 48;

	static final int VICTIM_LOOPS = 2;

	private static final long VICTIM_THINK_MILLIS = 50;

	private static final List<String> REGIONS = List.of("north", "south", "east", "west");

	private static final String REVENUE = """
			query($from: Date, $to: Date, $region: String) { dailyRevenue(from: $from, to: $to, region: $region) {
			  days { day revenueCents } totals { paidOrders revenueCents } } }""";

	private final BenchmarkConfig config;

	private final Function<String, String> tokens;

	private final LocalDate today;

	/** Victim requests are numbered so that no two ask the same thing, in either phase. */
	private final AtomicLong victimRequests = new AtomicLong();

	Abuse(BenchmarkConfig config, Function<String, String> tokens, LocalDate today) {
		this.config = config;
		this.tokens = tokens;
		this.today = today;
	}

	/** What the run measured: the victim's two rows, the abuser's row and the figures for the targets. */
	record Result(List<Benchmark.Row> rows, Map<String, Object> facts) {
	}

	Result run(ConfigurableApplicationContext app, String base) {
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		List<Benchmark.Row> rows = new ArrayList<>();
		// Each side has its own connections, as separate clients would.
		HttpClient victimClient = client(2);
		HttpClient abuserClient = client(4);
		String victimToken = this.tokens.apply(VICTIM);
		String abuserToken = this.tokens.apply(ABUSER);
		Function<SplittableRandom, LoadRunner.BooleanSupplierWithCache> victim = random -> {
			thinkTime();
			HttpRequest request = Benchmark.graphQl(base, victimToken, null, victimBody(), "abuse:victim").build();
			return () -> Benchmark.outcome(Benchmark.send(victimClient, request));
		};

		LoadRunner.Result idle = victim(victim, "abuse:victim");
		Stats idleServer = Stats.of(ServerTiming.take("abuse:victim"), 0, idle.seconds());
		rows.add(new Benchmark.Row("dailyRevenue", "abuse: victim idle", idle.stats(), idleServer,
				"tenant " + VICTIM + ", distinct 30-day windows (every read misses the cache)"));

		Map<String, Double> rejectedBefore = rejections(meters);
		double readsBefore = reads(meters);
		long victimBefore = this.victimRequests.get();
		Flood flood = new Flood(base, abuserClient, abuserToken);
		LoadRunner.Result during;
		try {
			flood.start();
			during = victim(victim, "abuse:victim");
		}
		finally {
			flood.stop();
		}
		Stats duringServer = Stats.of(ServerTiming.take("abuse:victim"), 0, during.seconds());
		rows.add(new Benchmark.Row("dailyRevenue", "abuse: victim flooded", during.stats(), duringServer,
				"the same, while " + ABUSER + " floods"));
		rows.add(new Benchmark.Row("dailyRevenue", "abuse: abuser", Stats.of(flood.micros, 0, flood.seconds()), null,
				DISTINCT_LOOPS + " loops of distinct queries, " + ALIAS_LOOPS + " loops of " + ALIASES + " aliases"));

		Map<String, Double> rejectedAfter = rejections(meters);
		long reads = Math.round(reads(meters) - readsBefore);
		long victimDuring = this.victimRequests.get() - victimBefore;

		// Idle again once the held 429s are out: the machine's own load drifts, so the baseline is
		// the mean of before and after.
		pause(Duration.ofSeconds(2));
		LoadRunner.Result after = victim(victim, "abuse:victim");
		Stats afterServer = Stats.of(ServerTiming.take("abuse:victim"), 0, after.seconds());
		rows.add(new Benchmark.Row("dailyRevenue", "abuse: victim idle after", after.stats(), afterServer,
				"the same, once the flood has stopped"));
		double idleP50 = (idle.stats().p50() + after.stats().p50()) / 2;
		double idleP99 = (idle.stats().p99() + after.stats().p99()) / 2;
		double idleServerP50 = (idleServer.p50() + afterServer.p50()) / 2;

		Map<String, Object> facts = new LinkedHashMap<>();
		facts.put("victim", VICTIM);
		facts.put("abuser", ABUSER);
		facts.put("victimIdleBeforeP50Ms", Stats.round(idle.stats().p50()));
		facts.put("victimIdleAfterP50Ms", Stats.round(after.stats().p50()));
		facts.put("victimIdleP50Ms", Stats.round(idleP50));
		facts.put("victimFloodedP50Ms", Stats.round(during.stats().p50()));
		facts.put("victimIdleP99Ms", Stats.round(idleP99));
		facts.put("victimFloodedP99Ms", Stats.round(during.stats().p99()));
		facts.put("victimP50Ratio", Stats.round(during.stats().p50() / Math.max(1e-9, idleP50)));
		facts.put("victimP99Ratio", Stats.round(during.stats().p99() / Math.max(1e-9, idleP99)));
		facts.put("victimServerP50Ratio", Stats.round(duringServer.p50() / Math.max(1e-9, idleServerP50)));
		facts.put("victimErrorsFlooded", during.errors());
		facts.put("abuserSeconds", Stats.round(flood.seconds()));
		facts.put("abuserAnswers", flood.answers());
		Map<String, Object> rejected = new LinkedHashMap<>();
		rejectedAfter.forEach((reason, count) -> rejected.put(reason,
				Math.round(count - rejectedBefore.getOrDefault(reason, 0.0))));
		facts.put("rejectionsByReason", rejected);
		// Each victim request read the database once at most (distinct arguments); the rest are the abuser's.
		facts.put("databaseReadsDuringFlood", reads);
		facts.put("abuserDatabaseReadsAtLeast", Math.max(0, reads - victimDuring));
		BenchData.log("abuse: victim p50 %.2f -> %.2f ms (x%.2f), p99 %.2f -> %.2f ms; abuser %s; rejected %s; reads %s",
				idleP50, during.stats().p50(), facts.get("victimP50Ratio"), idleP99,
				during.stats().p99(), flood.answers(), rejected, facts.get("databaseReadsDuringFlood"));
		return new Result(rows, facts);
	}

	private LoadRunner.Result victim(Function<SplittableRandom, LoadRunner.BooleanSupplierWithCache> next, String key) {
		try (LoadRunner runner = new LoadRunner(VICTIM_LOOPS)) {
			return runner.run(next, this.config.warmup().toMillis(), this.config.measure().toMillis(),
					this.config.maxRequests(), () -> false, () -> ServerTiming.take(key));
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A pause before each of the victim's requests (not timed), so that its loops stay below its own
	 * request rate (20 a second each): it is timed as a user is served, not as it is limited.
	 */
	private static void thinkTime() {
		pause(Duration.ofMillis(VICTIM_THINK_MILLIS));
	}

	/** A 30-day window ending on a different day (or in a different region) for every request. */
	private String victimBody() {
		long n = this.victimRequests.getAndIncrement();
		LocalDate to = this.today.minusDays((n / (REGIONS.size() + 1)) % 700);
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("from", to.minusDays(29).toString());
		variables.put("to", to.toString());
		int region = (int) (n % (REGIONS.size() + 1));
		if (region < REGIONS.size()) {
			variables.put("region", REGIONS.get(region));
		}
		return Benchmark.body(REVENUE, variables);
	}

	/** Any range of the last two years, any region: practically never the same twice. */
	private String distinctBody(SplittableRandom random) {
		LocalDate from = this.today.minusDays(random.nextInt(730));
		LocalDate to = from.plusDays(random.nextInt(60));
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("from", from.toString());
		variables.put("to", to.toString());
		variables.put("region", REGIONS.get(random.nextInt(REGIONS.size())));
		return Benchmark.body(REVENUE, variables);
	}

	static String aliasedBody() {
		String fields = IntStream.range(0, ALIASES)
			.mapToObj(i -> "r" + i + ": dailyRevenue { totals { revenueCents } }")
			.collect(Collectors.joining(" "));
		return Benchmark.body("{ " + fields + " }", Map.of());
	}

	/** The abuser's loops, running until stopped; each answer is counted by what it was. */
	private final class Flood {

		private final String base;

		private final HttpClient client;

		private final String token;

		private final ExecutorService pool = Executors.newFixedThreadPool(DISTINCT_LOOPS + ALIAS_LOOPS, runnable -> {
			Thread thread = new Thread(runnable, "bench-abuser");
			thread.setDaemon(true);
			return thread;
		});

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

		private final Histogram micros = new ConcurrentHistogram(3);

		private long started;

		private long stopped;

		Flood(String base, HttpClient client, String token) {
			this.base = base;
			this.client = client;
			this.token = token;
		}

		void start() {
			this.started = System.nanoTime();
			String aliased = aliasedBody();
			for (int loop = 0; loop < DISTINCT_LOOPS + ALIAS_LOOPS; loop++) {
				SplittableRandom random = new SplittableRandom(7919L * loop);
				boolean aliases = loop >= DISTINCT_LOOPS;
				this.pool.submit(() -> {
					while (this.running.get()) {
						String body = aliases ? aliased : distinctBody(random);
						long sent = System.nanoTime();
						String answer;
						try {
							answer = classify(Benchmark.send(this.client, Benchmark.graphQl(this.base, this.token, null, body, null).build()));
						}
						catch (RuntimeException ex) {
							answer = "failed";
						}
						this.micros.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
						this.answers.computeIfAbsent((aliases ? "aliases " : "distinct ") + answer, k -> new LongAdder())
							.increment();
					}
				});
			}
		}

		void stop() {
			this.running.set(false);
			this.stopped = System.nanoTime();
			this.pool.shutdown();
			try {
				this.pool.awaitTermination(70, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		double seconds() {
			return (this.stopped - this.started) / 1e9;
		}

		Map<String, Long> answers() {
			Map<String, Long> sorted = new TreeMap<>();
			this.answers.forEach((k, v) -> sorted.put(k, v.sum()));
			return sorted;
		}

	}

	/** 200 with data, 429, refused by the report-field cap, or anything else by status. */
	private static String classify(HttpResponse<String> response) {
		String body = response.body();
		if (response.statusCode() == 429) {
			return "429";
		}
		if (body.contains("tally.graphql.max-report-fields")) {
			return "refused (fields) " + response.statusCode();
		}
		if (response.statusCode() == 200 && body.startsWith("{\"data\"") && !body.contains("\"errors\"")) {
			return "200";
		}
		return "other " + response.statusCode();
	}

	private static Map<String, Double> rejections(MeterRegistry meters) {
		Map<String, Double> counts = new TreeMap<>();
		meters.find("tally.limits.rejections")
			.counters()
			.forEach(counter -> counts.merge(counter.getId().getTag("reason"), counter.count(), Double::sum));
		return counts;
	}

	private static double reads(MeterRegistry meters) {
		return meters.find("tally.replica.reads").counters().stream().mapToDouble(c -> c.count()).sum();
	}

	private static HttpClient client(int threads) {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.executor(Executors.newFixedThreadPool(threads, runnable -> {
				Thread thread = new Thread(runnable, "bench-abuse-http");
				thread.setDaemon(true);
				return thread;
			}))
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

}
