package io.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.TallyApplication;
import io.tally.catalog.CatalogProperties;
import io.tally.query.ReportStatements;
import io.tally.support.TestIssuer;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tally's benchmark: prepares the bench database, starts the application in-process on a loopback
 * port (its own context, scheduler off, real RS256 tokens whose JWKS a loopback issuer serves),
 * measures every report over HTTP with the cache on (hits) and off, a realistic mix of tenants
 * and arguments, a full refresh of every view and readers during it, next to the floors of the
 * same run: the same SQL over JDBC (and pgbench when on the PATH) and a trivial endpoint of the
 * same server. Prints one table and writes it as JSON.
 *
 * <p>Run: {@code bench/run.sh} (or {@code ./mvnw -Pbench -DskipTests verify}); options are
 * {@code -Dbench.*} system properties, see {@link BenchmarkConfig}.
 */
public final class Benchmark {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** An override that keeps the per-tenant limits at their defaults instead of lifting them. */
	private static final String SHIPPED_LIMITS = "bench.shipped-limits";

	private final BenchmarkConfig config;

	private final TestIssuer issuer = TestIssuer.get();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.executor(Executors.newFixedThreadPool(2, Benchmark::daemon))
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<Row> rows = new ArrayList<>();

	private final List<Map<String, Object>> refreshes = new ArrayList<>();

	private final Map<String, Object> facts = new LinkedHashMap<>();

	private final Map<String, Long> firstProvider = new HashMap<>();

	/** Tokens minted per tenant, and when: the test issuer's live 10 minutes, a scale run for hours. */
	private final Map<String, MintedToken> tenantTokens = new HashMap<>();

	private List<String> tenants = List.of();

	private double[] tenantWeights = new double[0];

	/** PostGraphile 5 with its checked query, from the cache-on context's rounds to the cache-off context's rows. */
	private PostGraphile.Asked postGraphile;

	/** One line of the table: a report (or "-") under one kind of measurement. */
	public record Row(String report, String measurement, Stats client, Stats server, String note) {

		Map<String, Object> toJson() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("report", this.report);
			map.put("measurement", this.measurement);
			map.put("client", this.client.toJson());
			if (this.server != null) {
				map.put("server", this.server.toJson());
			}
			if (this.note != null) {
				map.put("note", this.note);
			}
			return map;
		}

	}

	/** What a run produced. */
	public record Result(List<Row> rows, List<Map<String, Object>> refreshes, Map<String, Object> facts,
			Map<String, Object> targets) {
	}

	public Benchmark(BenchmarkConfig config) {
		this.config = config;
	}

	public static void main(String[] args) {
		try {
			Result result = new Benchmark(BenchmarkConfig.fromSystemProperties()).run();
			boolean failed = result.rows().stream().anyMatch(r -> r.client().requests() == 0);
			System.exit(failed ? 1 : 0);
		}
		catch (RuntimeException | Error ex) {
			// Stops by itself on failure too: no thread may keep the JVM alive.
			ex.printStackTrace();
			System.exit(2);
		}
	}

	private static Thread daemon(Runnable runnable) {
		Thread thread = new Thread(runnable, "bench");
		thread.setDaemon(true);
		return thread;
	}

	public Result run() {
		Instant started = Instant.now();
		BenchData.Load load = BenchData.prepare(this.config);
		this.facts.put("orders", load.orders());
		this.facts.put("tenants", this.config.tenants());
		this.facts.put("dataEndDate", String.valueOf(load.endDate()));
		this.facts.put("generatorSeconds", Stats.round(load.seconds()));
		this.facts.put("generatedThisRun", load.loadedNow());
		if ("prepare".equals(System.getProperty("bench.only"))) {
			// -Dbench.only=prepare: the database created, migrated and loaded, nothing measured
			// (bench/scale.sh's SCALE_BENCH=off, before timing the refreshes on their own).
			return new Result(List.of(), List.of(), this.facts, Map.of());
		}
		machineFacts();
		readTenants();
		List<Workload.Report> reports = Workload.reports(Workload.utcToday());

		Workload.Report revenue = reports.get(0);
		String revenueBody = body(revenue.document(), revenue.variables());
		String typename = body("{ __typename }", Map.of());
		Throughput throughput = new Throughput(this.config, this.rows);
		boolean wrk = this.config.throughput() && !this.config.smoke() && Wrk.available();
		boolean rest = !this.config.onlyThroughput();
		// -Dbench.only=miss: the cache-off rows alone, e.g. to profile a change to the miss.
		boolean missOnly = "miss".equals(System.getProperty("bench.only"));
		if (Soak.requested()) {
			soak(reports);
			return new Result(List.copyOf(this.rows), List.copyOf(this.refreshes), this.facts, Map.of());
		}
		if (Memory.requested()) {
			memory(load.endDate());
			return new Result(List.copyOf(this.rows), List.copyOf(this.refreshes), this.facts, Map.of());
		}
		if ("compare".equals(System.getProperty("bench.only"))) {
			compare(throughput, reports, Map.of("__typename", typename, "cache hit", revenueBody));
			this.facts.put("throughputRatios", throughput.ratios());
			return finish(started, reports);
		}
		// The cache hit's exact answer bytes, which nginx serves as the HTTP floor.
		byte[] hitAnswer = null;
		if (this.config.onlyAbuse() || (rest && this.config.abuse() && !this.config.smoke())) {
			abuse(reports, load.endDate());
		}
		if (this.config.onlyAbuse()) {
			return finish(started, reports);
		}

		// 1. Cache on: populate and time a full refresh, the HTTP floor, cache hits, the mix, the heap.
		if (!missOnly) {
			String queryRole;
			try (ConfigurableApplicationContext app = start(true, Map.of())) {
				String base = baseUrl(app);
				populate(base, reports);
				queryRole = app.getBean(CatalogProperties.class).queryRole();
				if (rest && (this.config.refreshUnderLoad() || this.config.smoke())) {
					refreshAll(base, reports, "refresh (idle)");
				}
				if (rest) {
					// The mix first: it also warms every code path (JIT) before the single-report rows.
					mix(base, reports, "mix (cache on)", null);
					httpFloor(base);
					for (Workload.Report report : reports) {
						cacheHits(base, report, "cache hit");
					}
					heap();
				}
				if (wrk && this.config.refreshUnderLoad()) {
					afterRefresh(app, base, reports, "warm-up on");
				}
			}
			if (wrk && this.config.refreshUnderLoad()) {
				try (ConfigurableApplicationContext app = start(true, Map.of("tally.cache.warm-up-keys", "0"))) {
					afterRefresh(app, baseUrl(app), reports, "warm-up off");
				}
			}
			if (wrk) {
				// The throughput rows: Tally alone in a JVM of its own, as deployed.
				try (TallyProcess server = serve("cache on", true, Map.of())) {
					String base = server.base();
					throughput.warmUp(base, token(Workload.BIG_TENANT), revenueBody);
					throughput.warmUp(base, token(Workload.BIG_TENANT), typename);
					throughput.http(server, token(Workload.BIG_TENANT), revenue.field(), "cache hit", revenueBody,
							Throughput.CONNECTIONS);
					throughput.http(server, token(Workload.BIG_TENANT), "-", "__typename", typename,
							Throughput.CONNECTIONS);
					throughput.alternateWithTypename(base, token(Workload.BIG_TENANT), "cache hit", revenueBody, typename);
					hitAnswer = answerBytes(base, token(Workload.BIG_TENANT), revenueBody);
					if (this.config.postGraphile()) {
						this.postGraphile = startPostGraphile(queryRole, base, revenueBody);
						if (this.postGraphile != null) {
							throughput.alternateWithPostGraphile("Tally hit", base, token(Workload.BIG_TENANT),
									revenueBody, this.postGraphile);
						}
					}
				}
			}
			if (wrk && this.config.nginx() && hitAnswer != null) {
				throughput.nginx(token(Workload.BIG_TENANT), hitAnswer);
			}
			if (wrk) {
				// What each cache bought: the same cache hit with one of them off.
				comparison(throughput, "report cache only", true, Map.of("tally.cache.responses", "false"), revenue,
						revenueBody);
				comparison(throughput, "tokens checked each time", true, Map.of("tally.tenancy.remembered-tokens", "0"),
						revenue, revenueBody);
			}
		}
		// 2. Cache off: every request reads the view; next to it, the same SQL over JDBC.
		Map<String, ReportStatements.Batch> batches = new LinkedHashMap<>();
		try (ConfigurableApplicationContext app = start(false, Map.of());
				HikariDataSource dataSource = dataSource()) {
			String base = baseUrl(app);
			populate(base, reports);
			if (missOnly && !this.config.throughput()) {
				// -Dbench.only=miss -Dbench.throughput=false: CPU and heap per miss, from the JVM's own thread counters.
				MissCost.measure(base, token(Workload.BIG_TENANT), revenueBody, 1500, 1000);
			}
			// What Tally sends for the fixed measurements, taken from the application, not copied.
			ReportStatements statements = app.getBean(ReportStatements.class);
			for (Workload.Report report : reports) {
				// The sections the document selects, as a miss reads them: the floor sends no more, no less.
				batches.put(report.field(), statements.batch(report.field(), Workload.BIG_TENANT, report.variables(),
						Workload.selectedFields(report)));
			}
			if (rest) {
				// This context's miss path has not run yet (the first one served hits): warm it on
				// every report first, or the first report measured pays the JIT for all of them.
				for (Workload.Report report : reports) {
					warmMiss(base, report);
				}
				for (Workload.Report report : reports) {
					uncached(base, report);
					sqlFloor(dataSource, report, batches.get(report.field()));
				}
				if (this.config.refreshUnderLoad()) {
					readersDuringRefresh(base, reports);
				}
			}
		}
		if (wrk) {
			try (TallyProcess server = serve("cache off", false, Map.of())) {
				String base = server.base();
				throughput.warmUp(base, token(Workload.BIG_TENANT), revenueBody);
				throughput.http(server, token(Workload.BIG_TENANT), revenue.field(), "cache off", revenueBody,
						Throughput.CONNECTIONS);
				if (this.config.pgbench()) {
					throughput.alternateWithPgbench(base, token(Workload.BIG_TENANT), "cache off", revenueBody, revenue,
							batches.get(revenue.field()));
				}
				if (this.postGraphile != null) {
					// Its rows while this server idles, then rounds alternating with the miss.
					throughput.postGraphile(this.postGraphile, token(Workload.BIG_TENANT));
					throughput.alternateWithPostGraphile("Tally miss", base, token(Workload.BIG_TENANT), revenueBody,
							this.postGraphile);
					this.postGraphile.close();
					this.postGraphile = null;
				}
			}
		}
		if (wrk && !missOnly) {
			// What generic plans buy: the same misses with every statement planned for each read.
			comparison(throughput, "cache off, custom plans", false, Map.of("tally.query.generic-plans", ""), revenue,
					revenueBody);
		}
		if (rest && this.config.pgbench() && !this.config.smoke()) {
			for (Workload.Report report : reports) {
				Pgbench.run(this.config, report, batches.get(report.field()), this.config.measure())
					.ifPresent(stats -> this.rows.add(new Row(report.field(), "sql pgbench", stats, null,
							"same SQL, pgbench -M prepared, tenant " + Workload.BIG_TENANT)));
			}
		}
		if (wrk && this.config.pgbench() && batches.containsKey(revenue.field())) {
			this.facts.put("pgbenchFloor", Pgbench.describe(this.config, batches.get(revenue.field()),
					this.config.throughputDuration(), 8, 2));
		}
		if (wrk) {
			throughput.pgbench(revenue, batches.get(revenue.field()));
			this.facts.put("throughputRatios", throughput.ratios());
		}
		return finish(started, reports);
	}

	private Result finish(Instant started, List<Workload.Report> reports) {
		if (this.postGraphile != null) {
			this.postGraphile.close();
		}
		this.facts.put("benchSeconds", Duration.between(started, Instant.now()).toSeconds());
		Map<String, Object> targets = Targets.evaluate(this.rows, this.refreshes, this.facts, reports);
		Result result = new Result(List.copyOf(this.rows), List.copyOf(this.refreshes), this.facts, targets);
		Report.print(result);
		if (this.config.output() != null) {
			write(result);
		}
		return result;
	}

	/** The soak ({@code bench/soak.sh}): the mix with a refresh of every view each minute, sampled; see {@link Soak}. */
	private void soak(List<Workload.Report> reports) {
		try (ConfigurableApplicationContext app = start(true, Map.of())) {
			String base = baseUrl(app);
			populate(base, reports);
			new Soak(this.config).run(() -> refreshAll(base, reports, "soak"), stop -> mix(base, reports, "soak", stop));
		}
	}

	/**
	 * Issue 21's memory benchmark ({@code bench/memory.sh}): many tenants × many distinct ranges
	 * against the cache budget as shipped; see {@link Memory}. The views are populated first.
	 */
	private void memory(LocalDate dataEnd) {
		try (ConfigurableApplicationContext app = start(true, Map.of())) {
			String base = baseUrl(app);
			populate(base, Workload.reports(Workload.utcToday()));
			new Memory(this.config, this::token, dataEnd).run(app, base, this.tenants);
		}
	}

	/** Issue 11's abuse pattern, against the limits as shipped: see {@link Abuse}. */
	private void abuse(List<Workload.Report> reports, LocalDate dataEnd) {
		try (ConfigurableApplicationContext app = start(true, Map.of(SHIPPED_LIMITS, "true"))) {
			String base = baseUrl(app);
			populate(base, reports);
			Abuse.Result result = new Abuse(this.config, this::token, dataEnd).run(app, base);
			this.rows.addAll(result.rows());
			this.facts.put("abuse", result.facts());
		}
	}

	/**
	 * Issue 20's generic GraphQL-over-PostgreSQL server: PostGraphile 5 asked for the days and
	 * totals of Tally's answer with the same token, kept (for this context's hit rounds and the
	 * cache-off context's rows and miss rounds) only once its answer is checked equal to Tally's;
	 * null when it is not installed, did not start or answered differently. See {@link PostGraphile}.
	 */
	private PostGraphile.Asked startPostGraphile(String role, String base, String revenueBody) {
		String token = token(Workload.BIG_TENANT);
		String tallyAnswer = send(graphQl(base, token, null, revenueBody, null).build()).body();
		PostGraphile server = PostGraphile.start(this.config, this.issuer, role).orElse(null);
		if (server == null) {
			return null;
		}
		List<String> range = SameRows.range(tallyAnswer);
		String body = body(PostGraphile.DOCUMENT, Map.of("from", range.get(0), "to", range.get(1)));
		String answer = send(HttpRequest.newBuilder(URI.create(server.url()))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build()).body();
		try {
			String checked = SameRows.check(tallyAnswer, answer);
			BenchData.log("PostGraphile's answer checked: %s", checked);
			this.facts.put("postGraphileAnswer", checked);
			return new PostGraphile.Asked(server, body, checked);
		}
		catch (RuntimeException ex) {
			server.close();
			BenchData.log("PostGraphile rows skipped: %s", ex.getMessage());
			this.facts.put("postGraphileAnswer", ex.getMessage());
			return null;
		}
	}

	// ---- the application ------------------------------------------------------------------------

	private ConfigurableApplicationContext start(boolean cache, Map<String, String> overrides) {
		ServerTiming.clear();
		BenchData.log("starting Tally (cache %s) %s", cache ? "on" : "off", overrides);
		return new SpringApplicationBuilder(TallyApplication.class).properties(properties(cache, overrides))
			.initializers(ServerTiming.initializer())
			// Default properties lose to application.yaml's management port (8081, maybe taken by
			// another run): an argument wins and puts the actuator back on the server's port.
			.run("--management.server.port=");
	}

	/** Tally in a process of its own (the throughput rows), with the same properties as {@link #start}. */
	private TallyProcess serve(String label, boolean cache, Map<String, String> overrides) {
		BenchData.log("starting Tally as its own process (cache %s) %s", cache ? "on" : "off", overrides);
		return TallyProcess.start(this.config, label, processProperties(cache, overrides), TallyProcess.jar());
	}

	/** The same properties for a {@link TallyProcess}, which chooses the ports itself. */
	private Map<String, Object> processProperties(boolean cache, Map<String, String> overrides) {
		Map<String, Object> properties = properties(cache, overrides);
		properties.remove("server.port");
		properties.remove("management.server.port");
		return properties;
	}

	/**
	 * {@code -Dbench.only=compare}: what a change bought. This build's jar and another server (another
	 * build's jar, {@code -Dbench.compare-jar}, and/or other JVM flags,
	 * {@code -Dbench.compare-jvm-options}), each in a process of its own with the same properties
	 * and both warmed until settled, answer each request in alternating rounds (this one, then the
	 * other): load from elsewhere on the machine falls on both, and the rounds' median ratio is the
	 * change's effect.
	 */
	private void compare(Throughput throughput, List<Workload.Report> reports, Map<String, String> bodies) {
		String otherJar = System.getProperty("bench.compare-jar", "");
		Path other = otherJar.isBlank() ? TallyProcess.jar() : Path.of(otherJar);
		if (!Files.isRegularFile(other)) {
			throw new IllegalStateException("-Dbench.compare-jar must name another build's jar, not '" + other + "'");
		}
		String otherOptions = System.getProperty("bench.compare-jvm-options", "");
		otherOptions = otherOptions.isBlank() ? TallyProcess.jvmOptions() : otherOptions.trim();
		String name = other.getFileName() + " (" + otherOptions + ")";
		try (ConfigurableApplicationContext app = start(true, Map.of())) {
			populate(baseUrl(app), reports);
		}
		Map<String, Object> properties = processProperties(true, Map.of());
		try (TallyProcess current = TallyProcess.start(this.config, "this build", properties, TallyProcess.jar());
				TallyProcess earlier = TallyProcess.start(this.config, "other", properties, other, otherOptions)) {
			String token = token(Workload.BIG_TENANT);
			for (String body : bodies.values()) {
				throughput.warmUp(current.base(), token, body);
				throughput.warmUp(earlier.base(), token, body);
			}
			bodies.forEach((label, body) -> throughput.alternate(label + ", this build / " + name, current, earlier,
					token, body));
		}
	}

	/** One comparison row at 8 connections, on a server of its own with one setting changed. */
	private void comparison(Throughput throughput, String label, boolean cache, Map<String, String> overrides,
			Workload.Report report, String body) {
		try (TallyProcess server = serve(label, cache, overrides)) {
			throughput.warmUp(server.base(), token(Workload.BIG_TENANT), body);
			throughput.http(server, token(Workload.BIG_TENANT), report.field(), label, body, List.of(8));
		}
	}

	private Map<String, Object> properties(boolean cache, Map<String, String> overrides) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		// The HTTP floor is the health endpoint on the API's own connector, as before the actuator
		// had a port of its own: empty puts it back on the server's port.
		properties.put("management.server.port", "");
		properties.put("spring.datasource.url", this.config.jdbcUrl());
		properties.put("spring.datasource.username", this.config.username());
		properties.put("spring.datasource.password", this.config.password());
		properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", this.issuer.jwksUri());
		properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer.ISSUER);
		properties.put("spring.security.oauth2.resourceserver.jwt.audiences", TestIssuer.AUDIENCE);
		properties.put("tally.freshness.scheduler-enabled", "false");
		if (!overrides.containsKey(SHIPPED_LIMITS)) {
			// One tenant's throughput is what is measured; the per-tenant limits would cap it.
			properties.put("tally.limits.requests-per-second", "1000000");
			properties.put("tally.limits.burst", "1000000");
			properties.put("tally.limits.concurrent-reads", "64");
		}
		properties.put("tally.cache.enabled", String.valueOf(cache));
		properties.put("spring.main.banner-mode", "off");
		if (!this.config.smoke()) {
			// Quiet for the full run; the smoke run shares its JVM with the other tests, and with their logging.
			properties.put("logging.level.root", "WARN");
		}
		else {
			// Closing a context waits for the refresh listener's notification poll (up to this interval:
			// 30 s by default); as the integration tests do, keep it short so the smoke run stays short.
			properties.put("tally.freshness.poll-interval", "1s");
		}
		// A full refresh at scale runs longer than the default; the bench measures it, not the timeout.
		properties.put("tally.freshness.refresh-timeout", "30m");
		properties.putAll(overrides);
		return properties;
	}

	/** One answer's bytes exactly as the server wrote them. */
	private byte[] answerBytes(String base, String token, String body) {
		HttpRequest request = graphQl(base, token, null, body, null).build();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String baseUrl(ConfigurableApplicationContext app) {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return "http://127.0.0.1:" + port;
	}

	// ---- measurements ------------------------------------------------------------------------

	/** Views never populated (after a fresh load) are refreshed once, plainly; the timed refreshes follow. */
	private void populate(String base, List<Workload.Report> reports) {
		long started = System.nanoTime();
		int populated = 0;
		for (Workload.Report report : reports) {
			if (!isPopulated(report.view())) {
				refresh(base, report.field());
				populated++;
			}
		}
		BenchData.log("%d views populated in %.1f s", populated, (System.nanoTime() - started) / 1e9);
	}

	private boolean isPopulated(String view) {
		try (Connection connection = BenchData.connect(this.config);
				PreparedStatement statement = connection
					// A split report's view is held in two parts, <view>_recent and <view>_history.
					.prepareStatement("""
							SELECT count(*) > 0 AND bool_and(ispopulated) FROM pg_matviews
							WHERE schemaname = 'mv' AND matviewname IN (?, ? || '_recent', ? || '_history')""")) {
			for (int i = 1; i <= 3; i++) {
				statement.setString(i, view);
			}
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() && rs.getBoolean(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private double refreshAll(String base, List<Workload.Report> reports, String label) {
		long started = System.nanoTime();
		for (Workload.Report report : reports) {
			long one = System.nanoTime();
			Map<String, Object> status = refresh(base, report.field());
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("label", label);
			entry.put("report", report.field());
			entry.put("view", report.view());
			entry.put("seconds", Stats.round((System.nanoTime() - one) / 1e9));
			entry.put("serverDurationMs", status.get("lastRefreshDurationMs"));
			entry.put("rows", status.get("rowCount"));
			entry.put("outcome", status.get("lastOutcome"));
			this.refreshes.add(entry);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		Map<String, Object> total = new LinkedHashMap<>();
		total.put("label", label);
		total.put("report", "all");
		total.put("seconds", Stats.round(seconds));
		this.refreshes.add(total);
		BenchData.log("%s: every view in %.1f s", label, seconds);
		return seconds;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> refresh(String base, String report) {
		String body = body("mutation($r: String!) { refreshReport(report: $r) { lastOutcome lastRefreshDurationMs rowCount lastError } }",
				Map.of("r", report));
		HttpResponse<String> response = send(graphQl(base, this.issuer.admin(), null, body, null)
			.timeout(Duration.ofMinutes(30))
			.build());
		Map<String, Object> answer = json.readValue(response.body(), Map.class);
		Map<String, Object> data = (Map<String, Object>) answer.get("data");
		if (response.statusCode() != 200 || data == null || data.get("refreshReport") == null) {
			throw new IllegalStateException("Refreshing " + report + " failed: " + response.body());
		}
		Map<String, Object> status = (Map<String, Object>) data.get("refreshReport");
		if (!"SUCCESS".equals(status.get("lastOutcome"))) {
			throw new IllegalStateException("Refreshing " + report + " failed: " + status);
		}
		return status;
	}

	private void httpFloor(String base) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/actuator/health/liveness"))
			.header(ServerTiming.HEADER, "floor")
			.GET()
			.build();
		try (LoadRunner runner = new LoadRunner(this.config.threads())) {
			LoadRunner.Result result = runner.run(random -> () -> new LoadRunner.Outcome(
					send(request).statusCode() == 200, false), warmupMillis(), measureMillis(),
					this.config.maxRequests(), () -> false, () -> ServerTiming.take("floor"));
			this.rows.add(new Row("-", "http floor", result.stats(), Stats.of(ServerTiming.take("floor"), 0,
					result.seconds()), "GET /actuator/health/liveness, same server"));
			BenchData.log("%-16s %-20s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms", "-", "http floor",
					result.stats().throughput(), result.stats().p50(), result.stats().p99());
		}
	}

	private void cacheHits(String base, Workload.Report report, String measurement) {
		String key = measurement + ":" + report.field();
		HttpRequest request = graphQl(base, token(Workload.BIG_TENANT), null, body(report.document(),
				report.variables()), key).build();
		expectOk(send(request), report);
		ServerTiming.take(key);
		measure(report.field(), measurement, key, request, "tenant " + Workload.BIG_TENANT + ", default arguments");
	}

	private void uncached(String base, Workload.Report report) {
		String key = "view:" + report.field();
		HttpRequest request = graphQl(base, token(Workload.BIG_TENANT), null, body(report.document(),
				report.variables()), key).build();
		expectOk(send(request), report);
		ServerTiming.take(key);
		measure(report.field(), "cache off", key, request, "tenant " + Workload.BIG_TENANT + ", default arguments");
	}

	private void warmMiss(String base, Workload.Report report) {
		String key = "warm:" + report.field();
		HttpRequest request = graphQl(base, token(Workload.BIG_TENANT), null, body(report.document(),
				report.variables()), key).build();
		try (LoadRunner runner = new LoadRunner(this.config.threads())) {
			runner.run(random -> () -> outcome(send(request)), warmupMillis(), warmupMillis(), this.config.maxRequests(),
					() -> false, () -> ServerTiming.take(key));
		}
		ServerTiming.take(key);
	}

	private void measure(String report, String measurement, String key, HttpRequest request, String note) {
		try (LoadRunner runner = new LoadRunner(this.config.threads())) {
			LoadRunner.Result result = runner.run(random -> () -> outcome(send(request)), warmupMillis(),
					measureMillis(), this.config.maxRequests(), () -> false, () -> ServerTiming.take(key));
			Histogram server = ServerTiming.take(key);
			this.rows.add(new Row(report, measurement, result.stats(), Stats.of(server, 0, result.seconds()), note));
			BenchData.log("%-16s %-20s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  server p50 %7.3f ms", report, measurement,
					result.stats().throughput(), result.stats().p50(), result.stats().p99(), Stats.of(server, 0, 1).p50());
		}
	}

	/**
	 * The cache's hit rate and the database reads under the Zipf mix, before a refresh of
	 * dailyRevenue and from its start until a minute after it finished: what the refresh warm-up buys.
	 */
	private void afterRefresh(ConfigurableApplicationContext app, String base, List<Workload.Report> reports,
			String label) {
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		// The mix's 500 answers cached first, or "before" measures a cold cache.
		mix(base, reports, "mix warming the cache, " + label, null);
		double loadsBefore = loads(meters);
		LoadRunner.Result before = mix(base, reports, "mix before refresh, " + label, null);
		double loadsDuring = loads(meters);
		long[] refreshedAt = { 0 };
		Thread refresher = daemon(() -> {
			refresh(base, "dailyRevenue");
			refreshedAt[0] = System.nanoTime();
		});
		refresher.start();
		LoadRunner.Result after = mix(base, reports, "mix minute after refresh, " + label,
				() -> refreshedAt[0] != 0 && System.nanoTime() - refreshedAt[0] > Duration.ofMinutes(1).toNanos());
		double beforeRate = (double) before.cached() / Math.max(1, before.stats().requests());
		double afterRate = (double) after.cached() / Math.max(1, after.stats().requests());
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("hitRateBefore", Stats.round(beforeRate));
		figures.put("hitRateMinuteAfter", Stats.round(afterRate));
		figures.put("hitRateAfterOverBefore", Stats.round(afterRate / Math.max(1e-9, beforeRate)));
		figures.put("databaseReadsPerSecondBefore", Stats.round((loadsDuring - loadsBefore) / Math.max(1e-9, before.seconds())));
		figures.put("databaseReadsPerSecondMinuteAfter", Stats.round((loads(meters) - loadsDuring) / Math.max(1e-9, after.seconds())));
		this.facts.put("afterRefresh " + label, figures);
		BenchData.log("after refresh (%s): %s", label, figures);
	}

	private static double loads(MeterRegistry meters) {
		return meters.find("tally.cache.loads").counters().stream().mapToDouble(c -> c.count()).sum();
	}

	/** Random tenants (Zipf-weighted like their sizes), reports and argument sets. */
	private LoadRunner.Result mix(String base, List<Workload.Report> reports, String label,
			java.util.function.BooleanSupplier stop) {
		List<HttpRequest> requests = new ArrayList<>();
		List<Integer> tenantOfRequest = new ArrayList<>();
		Map<String, List<Integer>> byTenant = new HashMap<>();
		String key = "mix:" + label;
		for (int t = 0; t < this.tenants.size(); t++) {
			String tenant = this.tenants.get(t);
			for (Workload.Report report : reports) {
				for (Map<String, Object> variables : report.mix()) {
					Map<String, Object> bound = new LinkedHashMap<>(variables);
					if ("$provider".equals(bound.get("providerId"))) {
						bound.put("providerId", String.valueOf(this.firstProvider.getOrDefault(tenant, 1L)));
					}
					byTenant.computeIfAbsent(tenant, x -> new ArrayList<>()).add(requests.size());
					tenantOfRequest.add(t);
					requests.add(graphQl(base, token(tenant), null, body(report.document(), bound), key).build());
				}
			}
		}
		double[] cumulative = new double[this.tenants.size()];
		double sum = 0;
		for (int t = 0; t < cumulative.length; t++) {
			sum += this.tenantWeights[t];
			cumulative[t] = sum;
		}
		double total = sum;
		LoadRunner.Result result;
		try (LoadRunner runner = new LoadRunner(this.config.threads())) {
			result = runner.run(random -> {
				double pick = random.nextDouble() * total;
				int t = 0;
				while (t < cumulative.length - 1 && cumulative[t] < pick) {
					t++;
				}
				List<Integer> candidates = byTenant.get(this.tenants.get(t));
				HttpRequest request = requests.get(candidates.get(random.nextInt(candidates.size())));
				return () -> outcome(send(request));
			}, warmupMillis(), (stop != null) ? Duration.ofMinutes(30).toMillis() : measureMillis() * 2,
					(stop != null) ? Integer.MAX_VALUE : this.config.maxRequests() * 2, (stop != null) ? stop : () -> false,
					() -> ServerTiming.take(key));
		}
		Stats client = result.stats();
		String note = String.format(Locale.ROOT, "%d tenants, %d argument sets, %.0f%% served from cache",
				this.tenants.size(), requests.size(), client.requests() > 0 ? 100.0 * result.cached() / client.requests() : 0);
		this.rows.add(new Row("all", label, client, Stats.of(ServerTiming.take(key), 0, result.seconds()), note));
		BenchData.log("%-16s %-20s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  (%s)", "all", label, client.throughput(),
				client.p50(), client.p99(), note);
		return result;
	}

	private void readersDuringRefresh(String base, List<Workload.Report> reports) {
		mix(base, reports, "readers idle", null);
		java.util.concurrent.ExecutorService refresher = Executors.newSingleThreadExecutor(Benchmark::daemon);
		try {
			CompletableFuture<Double> refresh = CompletableFuture.supplyAsync(
					() -> refreshAll(base, reports, "refresh (under read load)"), refresher);
			mix(base, reports, "readers during refresh", refresh::isDone);
			refresh.join();
		}
		finally {
			refresher.shutdownNow();
		}
	}

	private void heap() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		this.facts.put("heapUsedAfterGcMb", Stats.round(heap.getUsed() / 1048576.0));
		this.facts.put("heapMaxMb", heap.getMax() > 0 ? Stats.round(heap.getMax() / 1048576.0) : null);
		BenchData.log("heap after the mix and a GC: %.0f MB used (max %.0f MB)", heap.getUsed() / 1048576.0,
				heap.getMax() / 1048576.0);
	}

	/** The statement batch Tally sends (settings and SQL files in one round trip), over plain JDBC. */
	private void sqlFloor(HikariDataSource dataSource, Workload.Report report, ReportStatements.Batch batch) {
		// As Tally sends it: in autocommit, the batch is one implicit transaction up to its one Sync.
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		try (LoadRunner runner = new LoadRunner(this.config.threads())) {
			LoadRunner.Result result = runner.run(random -> () -> {
				int rows = jdbc.execute(batch.sql(), (PreparedStatement statement) -> {
					for (int i = 0; i < batch.values().size(); i++) {
						Object value = batch.values().get(i);
						if (value == null) {
							statement.setNull(i + 1, Types.VARCHAR);
						}
						else {
							statement.setObject(i + 1, value);
						}
					}
					statement.execute();
					int n = 0;
					while (statement.getMoreResults()) {
						try (ResultSet rs = statement.getResultSet()) {
							while (rs.next()) {
								n++;
							}
						}
					}
					return n;
				});
				return new LoadRunner.Outcome(rows > 0, false);
			}, warmupMillis(), measureMillis(), this.config.maxRequests());
			this.rows.add(new Row(report.field(), "sql jdbc", result.stats(), null,
					"Tally's own statement batch over JDBC, tenant " + Workload.BIG_TENANT));
			BenchData.log("%-16s %-20s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms", report.field(), "sql jdbc",
					result.stats().throughput(), result.stats().p50(), result.stats().p99());
		}
	}

	// ---- plumbing ------------------------------------------------------------------------------

	private HikariDataSource dataSource() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(this.config.jdbcUrl());
		dataSource.setUsername(this.config.username());
		dataSource.setPassword(this.config.password());
		dataSource.setMaximumPoolSize(Math.max(2, this.config.threads()));
		return dataSource;
	}

	private void readTenants() {
		List<String> ids = new ArrayList<>();
		List<Double> weights = new ArrayList<>();
		try (Connection connection = BenchData.connect(this.config);
				PreparedStatement statement = connection.prepareStatement("""
						SELECT t.id, (SELECT min(p.id) FROM app.providers p WHERE p.tenant_id = t.id)
						FROM app.tenants t ORDER BY t.id""");
				ResultSet rs = statement.executeQuery()) {
			int rank = 1;
			while (rs.next()) {
				ids.add(rs.getString(1));
				this.firstProvider.put(rs.getString(1), rs.getLong(2));
				// Requests follow the tenants' sizes: rank k is asked 1/k as often as the biggest.
				weights.add(1.0 / rank++);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		this.tenants = List.copyOf(ids);
		this.tenantWeights = weights.stream().mapToDouble(Double::doubleValue).toArray();
	}

	private void machineFacts() {
		this.facts.put("cpus", Runtime.getRuntime().availableProcessors());
		this.facts.put("cpuModel", Machine.cpuModel());
		this.facts.put("memoryGb", Machine.memoryGb());
		this.facts.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
		this.facts.put("postgres", Machine.postgresVersion(this.config));
		this.facts.put("clientThreads", this.config.threads());
		this.facts.put("measureSecondsPerRow", this.config.measure().toMillis() / 1000.0);
		this.facts.put("maxRequestsPerRow", this.config.maxRequests());
		// Tally does not enable virtual threads: Tomcat serves on its platform thread pool.
		this.facts.put("virtualThreads", false);
		this.facts.put("smoke", this.config.smoke());
	}

	private String token(String tenant) {
		MintedToken minted = this.tenantTokens.get(tenant);
		if (minted == null || minted.at().isBefore(Instant.now().minus(TOKEN_REUSE))) {
			minted = new MintedToken(this.issuer.tenantUser(tenant), Instant.now());
			this.tenantTokens.put(tenant, minted);
		}
		return minted.token();
	}

	/** How long a minted token is handed out: its lifetime less the longest measurement that holds it. */
	private static final Duration TOKEN_REUSE = Duration.ofMinutes(5);

	private record MintedToken(String token, Instant at) {
	}

	static HttpRequest.Builder graphQl(String base, String token, String tenantHeader, String body, String key) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/graphql"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/graphql-response+json, application/json")
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (tenantHeader != null) {
			builder.header("X-Tenant-Id", tenantHeader);
		}
		if (key != null) {
			builder.header(ServerTiming.HEADER, key);
		}
		return builder;
	}

	static String body(String document, Map<String, Object> variables) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		return json.writeValueAsString(body);
	}

	private HttpResponse<String> send(HttpRequest request) {
		return send(this.http, request);
	}

	static HttpResponse<String> send(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static LoadRunner.Outcome outcome(HttpResponse<String> response) {
		String body = response.body();
		boolean ok = response.statusCode() == 200 && body.startsWith("{\"data\"") && !body.contains("\"errors\"");
		return new LoadRunner.Outcome(ok, body.contains("\"servedFrom\":\"CACHE\""));
	}

	private static void expectOk(HttpResponse<String> response, Workload.Report report) {
		if (!outcome(response).ok()) {
			throw new IllegalStateException("Report " + report.field() + " answered " + response.statusCode() + ": "
					+ response.body());
		}
	}

	private long warmupMillis() {
		return this.config.warmup().toMillis();
	}

	private long measureMillis() {
		return this.config.measure().toMillis();
	}

	private void write(Result result) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("generatedAt", Instant.now().toString());
		document.put("command", "bench/run.sh");
		document.put("facts", result.facts());
		document.put("targets", result.targets());
		document.put("rows", result.rows().stream().map(Row::toJson).toList());
		document.put("refreshes", result.refreshes());
		try {
			Files.createDirectories(this.config.output().toAbsolutePath().getParent());
			Files.writeString(this.config.output(), json.writerWithDefaultPrettyPrinter().writeValueAsString(document));
			BenchData.log("wrote %s", this.config.output());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
