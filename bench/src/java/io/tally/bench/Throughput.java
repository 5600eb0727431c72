package io.tally.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tally.query.ReportStatements;

/**
 * The throughput table of issues 12 and 20: wrk with 2 threads at 8 and 32 connections, a fixed
 * duration after a warm-up, one report and tenant, the same token, in one run: the cache hit, the
 * cache off (a miss), {@code { __typename }} (what any request costs), nginx serving the hit's
 * answer bytes as a static file (what any HTTP server costs) and pgbench running the statements a
 * miss sends (the SQL floor), and a generic GraphQL-over-PostgreSQL server (PostGraphile 5) asked
 * for the same rows with the same token. Prints the ratios the targets are stated in. Tally runs
 * in a process of its own for every row here ({@link TallyProcess}), as it is deployed.
 */
final class Throughput {

	static final List<Integer> CONNECTIONS = List.of(8, 32);

	/** The rows profiled under {@code -Dbench.jfr=true}, at 8 connections. */
	private static final Set<String> PROFILED = Set.of("__typename", "cache off");

	private final BenchmarkConfig config;

	private final List<Benchmark.Row> rows;

	private final Map<String, Stats> client = new LinkedHashMap<>();

	/** The ratios of each alternating comparison, one per round. */
	private final Map<String, List<Double>> rounds = new LinkedHashMap<>();

	/** Microseconds of CPU per request (JVM, PostgreSQL) of each HTTP measurement. */
	private final Map<String, Map<String, Long>> cpu = new LinkedHashMap<>();

	Throughput(BenchmarkConfig config, List<Benchmark.Row> rows) {
		this.config = config;
		this.rows = rows;
	}

	/**
	 * Sends the request without measuring until the JVM's compiled code has settled: windows of
	 * {@code 5 ×} the warm-up, at least {@code 20 ×} the warm-up in all, until two windows in a row
	 * are within 5 % of each other, at most {@code 80 ×} the warm-up. Measured on this machine, a
	 * trivial request's throughput still tripled between the first and the third minute of load
	 * (C2 compiling Tomcat's, Spring's and graphql-java's paths), so a fixed few seconds measured a
	 * half-compiled server. Every window is logged, so a run shows whether it settled.
	 */
	void warmUp(String base, String token, String body) {
		Duration window = this.config.throughputWarmup().multipliedBy(5);
		Duration least = this.config.throughputWarmup().multipliedBy(20);
		Duration most = this.config.throughputWarmup().multipliedBy(80);
		List<Long> windows = new ArrayList<>();
		Duration spent = Duration.ZERO;
		boolean settled = false;
		while (!settled && spent.compareTo(most) < 0) {
			Optional<Stats> stats = Wrk.run(base + "/graphql", token, body, "wrk:jit", CONNECTIONS.get(0), window);
			spent = spent.plus(window);
			if (stats.isEmpty()) {
				break;
			}
			windows.add(Math.round(stats.get().throughput()));
			int last = windows.size() - 1;
			settled = spent.compareTo(least) >= 0 && last > 0
					&& Math.abs(windows.get(last) - windows.get(last - 1)) <= 0.05 * windows.get(last - 1);
		}
		BenchData.log("warm-up %s after %d s: %s req/s per %d s window", settled ? "settled" : "did not settle",
				spent.toSeconds(), windows, window.toSeconds());
	}

	/**
	 * One HTTP measurement at each connection count (or only the first, for the comparison rows),
	 * of Tally in its own process: its JVM's CPU and its connector threads' from {@code /proc}.
	 */
	void http(TallyProcess server, String token, String report, String label, String body, List<Integer> connections) {
		String url = server.base() + "/graphql";
		for (int conns : connections) {
			String row = "wrk:" + label + ":" + conns;
			Wrk.run(url, token, body, row + ":warmup", conns, this.config.throughputWarmup());
			Jfr.Window jfr = (conns == 8 && PROFILED.contains(label))
					? Jfr.Window.open(this.config, server, label + " c" + conns) : null;
			CpuMeter cpu = CpuMeter.start(this.config, server);
			Optional<Stats> stats = Wrk.run(url, token, body, row, conns, this.config.throughputDuration());
			if (jfr != null) {
				jfr.close("wrk -t2 -c" + conns + ", " + this.config.throughputDuration().toSeconds() + " s, "
						+ stats.map(s -> String.format(Locale.ROOT, "%.0f req/s", s.throughput())).orElse("wrk failed"));
			}
			stats.ifPresent(s -> {
				Map<String, Long> cpuPerRequest = cpu.perRequest(s.requests());
				this.client.put(label + ":" + conns, s);
				if (cpuPerRequest != null) {
					this.cpu.put(label + ":" + conns, cpuPerRequest);
				}
				this.rows.add(new Benchmark.Row(report, "wrk " + label + " c" + conns, s, null,
						"wrk -t2 -c" + conns + ", " + this.config.throughputDuration().toSeconds() + " s after "
								+ this.config.throughputWarmup().toSeconds() + " s warm-up; Tally in its own process ("
								+ TallyProcess.jvmOptions() + "); CPU per request (µs; connector threads, JVM, PostgreSQL) "
								+ cpuPerRequest));
				BenchData.log("%-16s %-28s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  cpu/request %s",
						report, "wrk " + label + " c" + conns, s.throughput(), s.p50(), s.p99(), s.errors(),
						cpuPerRequest);
			});
		}
	}

	/**
	 * The request's throughput over {@code { __typename }}'s, again in alternating rounds at 8
	 * connections (one, then the other, {@code bench.throughput-rounds} times): load that comes and
	 * goes on a shared machine then falls on both sides, and the median of the rounds' ratios is
	 * what the target is checked on.
	 */
	void alternateWithTypename(String base, String token, String label, String body, String typename) {
		for (int round = 1; round <= this.config.throughputRounds(); round++) {
			Double over = round(base, token, label, body, round);
			Double under = round(base, token, "__typename", typename, round);
			addRound(label + " / __typename rps c8", over, under);
		}
	}

	/**
	 * One server's throughput and JVM CPU per request over another's on the same request, in
	 * alternating rounds the same way. CPU per request moves less than throughput when other work
	 * shares the cores.
	 */
	void alternate(String name, TallyProcess over, TallyProcess under, String token, String body) {
		for (int round = 1; round <= this.config.throughputRounds(); round++) {
			Measured first = measured(over, token, body, round);
			Measured second = measured(under, token, body, round);
			BenchData.log("round %d %s: %.0f / %.0f req/s, JVM CPU %d / %d µs per request", round, name, first.rps(),
					second.rps(), first.jvmMicros(), second.jvmMicros());
			addRound(name + " rps c8", first.rps(), second.rps());
			addRound(name + " JVM CPU per request c8", first.jvmMicros().doubleValue(), second.jvmMicros().doubleValue());
		}
	}

	private record Measured(Double rps, Long jvmMicros) {
	}

	private Measured measured(TallyProcess server, String token, String body, int round) {
		CpuMeter cpu = CpuMeter.start(this.config, server);
		Optional<Stats> stats = Wrk.run(server.base() + "/graphql", token, body, "wrk:round" + round, 8, roundDuration());
		Map<String, Long> perRequest = stats.map(s -> cpu.perRequest(s.requests())).orElse(null);
		return new Measured(stats.map(Stats::throughput).orElse(0.0),
				(perRequest != null) ? perRequest.get("jvmMicros") : 0L);
	}

	/** The request's throughput over pgbench's on the same transaction, in alternating rounds the same way. */
	void alternateWithPgbench(String base, String token, String label, String body, Workload.Report report,
			ReportStatements.Batch batch) {
		for (int round = 1; round <= this.config.throughputRounds(); round++) {
			Double over = round(base, token, label, body, round);
			Double under = Pgbench.run(this.config, report, batch, roundDuration(), 8, 2)
				.map(Stats::throughput)
				.orElse(null);
			addRound(label + " / pgbench rps c8", over, under);
		}
	}

	private Double round(String base, String token, String label, String body, int round) {
		return Wrk.run(base + "/graphql", token, body, "wrk:" + label + ":round" + round, 8, roundDuration())
			.map(Stats::throughput)
			.orElse(null);
	}

	/**
	 * The HTTP floor: nginx serving {@code answer} (the cache hit's exact bytes) as a static file,
	 * GET with the same token header, the same wrk settings at 8 connections.
	 */
	void nginx(String token, byte[] answer) {
		try (Nginx nginx = Nginx.start(answer).orElse(null)) {
			if (nginx == null) {
				return;
			}
			Wrk.run(nginx.url(), token, null, "nginx:warmup", 8, this.config.throughputWarmup());
			Wrk.run(nginx.url(), token, null, "nginx", 8, this.config.throughputDuration()).ifPresent(s -> {
				this.client.put("nginx:8", s);
				this.rows.add(new Benchmark.Row("-", "wrk nginx static c8", s, null, "nginx-light, the cache hit's "
						+ answer.length + " answer bytes as a static file, GET, wrk -t2 -c8, "
						+ this.config.throughputDuration().toSeconds() + " s after " + this.config.throughputWarmup().toSeconds()
						+ " s warm-up"));
				BenchData.log("%-16s %-28s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  errors %d", "-", "wrk nginx static c8",
						s.throughput(), s.p50(), s.p99(), s.errors());
			});
		}
	}

	/**
	 * Issue 20's generic server's rows: PostGraphile 5 asked for the same rows (its answer checked
	 * equal to Tally's) with the same token, at each connection count.
	 */
	void postGraphile(PostGraphile.Asked postGraphile, String token) {
		PostGraphile server = postGraphile.server();
		for (int conns : CONNECTIONS) {
			String row = "PostGraphile 5, same query c" + conns;
			Wrk.run(server.url(), token, postGraphile.body(), "postgraphile:warmup", conns, this.config.throughputWarmup());
			CpuMeter cpu = CpuMeter.start(this.config);
			long nodeBefore = server.cpuMicros();
			Wrk.run(server.url(), token, postGraphile.body(), "postgraphile", conns, this.config.throughputDuration())
				.ifPresent(s -> {
					Map<String, Long> perRequest = cpu.perRequest(s.requests());
					long node = (server.cpuMicros() - nodeBefore) / Math.max(1, s.requests());
					String figures = "node " + node + ", PostgreSQL "
							+ ((perRequest != null) ? perRequest.get("postgresMicros") : "?");
					this.client.put("PostGraphile:" + conns, s);
					this.rows.add(new Benchmark.Row("dailyRevenue", "wrk " + row, s, null, "PostGraphile "
							+ PostGraphile.version() + ", one worker per core, the same token; " + postGraphile.checked()
							+ "; wrk -t2 -c" + conns + ", " + this.config.throughputDuration().toSeconds() + " s after "
							+ this.config.throughputWarmup().toSeconds() + " s warm-up; CPU per request (µs) " + figures));
					BenchData.log("%-16s %-28s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  cpu/request (µs) %s",
							"dailyRevenue", "wrk " + row, s.throughput(), s.p50(), s.p99(), s.errors(), figures);
				});
		}
	}

	/**
	 * Tally's request ({@code label}: the hit or the miss of the context at {@code tallyBase}) over
	 * PostGraphile's on the same rows and token, in alternating rounds at 8 connections the same way.
	 */
	void alternateWithPostGraphile(String label, String tallyBase, String token, String tallyBody,
			PostGraphile.Asked postGraphile) {
		for (int round = 1; round <= this.config.throughputRounds(); round++) {
			Double over = round(tallyBase, token, label + ":postgraphile", tallyBody, round);
			Double under = Wrk.run(postGraphile.server().url(), token, postGraphile.body(), "postgraphile", 8,
					roundDuration())
				.map(Stats::throughput)
				.orElse(null);
			addRound(label + " / PostGraphile rps c8", over, under);
		}
	}

	private Duration roundDuration() {
		return this.config.throughputDuration().dividedBy(2);
	}

	private void addRound(String name, Double over, Double under) {
		if (over != null && under != null && under > 0) {
			this.rounds.computeIfAbsent(name, key -> new ArrayList<>()).add(over / under);
			BenchData.log("round %-44s %.2f", name, over / under);
		}
	}

	/** The floor: pgbench running the report's transaction with as many clients as connections. */
	void pgbench(Workload.Report report, ReportStatements.Batch batch) {
		for (int conns : CONNECTIONS) {
			Pgbench.measure(this.config, report, batch, this.config.throughputDuration(), conns, 2)
				.ifPresent(floor -> {
					this.client.put("pgbench:" + conns, floor.stats());
					if (floor.postgresMicros() != null) {
						this.cpu.put("pgbench:" + conns, Map.of("requestMicros", 0L, "jvmMicros", 0L, "postgresMicros",
								floor.postgresMicros()));
					}
					this.rows.add(new Benchmark.Row(report.field(), "wrk pgbench floor c" + conns, floor.stats(), null,
							"pgbench -M prepared -c" + conns + " -j2, Unix socket, the statements a miss sends; "
									+ "PostgreSQL CPU per transaction (µs) " + floor.postgresMicros()));
				});
		}
	}

	/** The ratios of the targets, printed and returned for the JSON. */
	Map<String, Object> ratios() {
		Map<String, Object> ratios = new LinkedHashMap<>();
		for (int conns : CONNECTIONS) {
			ratio(ratios, "cache hit / pgbench rps c" + conns, rps("cache hit:" + conns), rps("pgbench:" + conns));
			ratio(ratios, "cache off / pgbench rps c" + conns, rps("cache off:" + conns), rps("pgbench:" + conns));
			ratio(ratios, "cache hit / __typename rps c" + conns, rps("cache hit:" + conns), rps("__typename:" + conns));
		}
		ratio(ratios, "__typename / nginx rps c8", rps("__typename:8"), rps("nginx:8"));
		for (int conns : CONNECTIONS) {
			ratio(ratios, "Tally hit / PostGraphile rps c" + conns, rps("cache hit:" + conns), rps("PostGraphile:" + conns));
			ratio(ratios, "Tally miss / PostGraphile rps c" + conns, rps("cache off:" + conns),
					rps("PostGraphile:" + conns));
		}
		ratio(ratios, "cache hit / report cache only rps c8", rps("cache hit:8"), rps("report cache only:8"));
		ratio(ratios, "cache hit / tokens checked each time rps c8", rps("cache hit:8"),
				rps("tokens checked each time:8"));
		ratio(ratios, "cache off / cache off, custom plans rps c8", rps("cache off:8"), rps("cache off, custom plans:8"));
		// CPU per request moves little when other work shares the cores: the figures to compare on a busy machine.
		ratio(ratios, "cache hit / __typename request CPU c8", cpu("cache hit:8", "requestMicros"),
				cpu("__typename:8", "requestMicros"));
		// What a miss costs PostgreSQL beside what the same statements cost it from pgbench.
		ratio(ratios, "cache off / pgbench PostgreSQL CPU per request c8", cpu("cache off:8", "postgresMicros"),
				cpu("pgbench:8", "postgresMicros"));
		for (String row : this.cpu.keySet()) {
			Map<String, Long> figures = this.cpu.get(row);
			ratios.put("cpu per request (µs: request threads, JVM, PostgreSQL) " + row, figures.get("requestMicros") + ", "
					+ figures.get("jvmMicros") + ", " + figures.get("postgresMicros"));
		}
		this.rounds.forEach((name, values) -> {
			List<Double> sorted = values.stream().sorted().toList();
			ratios.put(name + ", median of alternating rounds", Double.parseDouble(
					String.format(Locale.ROOT, "%.2f", sorted.get(sorted.size() / 2))));
			ratios.put(name + ", alternating rounds", sorted.stream()
				.map(value -> String.format(Locale.ROOT, "%.2f", value))
				.toList()
				.toString());
		});
		ratios.forEach((name, value) -> BenchData.log("ratio %-44s %s", name, value));
		return ratios;
	}

	private static void ratio(Map<String, Object> ratios, String name, Double over, Double under) {
		if (over != null && under != null && under > 0) {
			// Two decimals, or a ratio far below one (__typename over nginx on a busy machine) reads as 0.
			ratios.put(name, Double.parseDouble(String.format(Locale.ROOT, (over / under < 0.1) ? "%.4f" : "%.2f",
					over / under)));
		}
	}

	private Double rps(String key) {
		Stats stats = this.client.get(key);
		return (stats != null) ? stats.throughput() : null;
	}

	private Double cpu(String key, String which) {
		Map<String, Long> figures = this.cpu.get(key);
		return (figures != null) ? figures.get(which).doubleValue() : null;
	}

}
