package io.tally.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The one table, printed. */
final class Report {

	private Report() {
	}

	static void print(Benchmark.Result result) {
		StringBuilder out = new StringBuilder("\n");
		Map<String, Object> facts = result.facts();
		out.append(String.format(Locale.ROOT, "Tally benchmark: %s orders, %s tenants, %s CPUs (%s), %s GB, %s, %s, %s client threads%n",
				facts.get("orders"), facts.get("tenants"), facts.get("cpus"), facts.get("cpuModel"), facts.get("memoryGb"),
				facts.get("java"), facts.get("postgres"), facts.get("clientThreads")));
		out.append(String.format(Locale.ROOT, "%-17s %-24s %8s %6s %9s %8s %8s %8s %9s %9s %7s%n", "report", "measurement",
				"requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "srv p50", "srv p99", "x floor"));
		for (Benchmark.Row row : result.rows()) {
			Stats c = row.client();
			String srv50 = (row.server() != null && row.server().requests() > 0) ? fmt(row.server().p50()) : "";
			String srv99 = (row.server() != null && row.server().requests() > 0) ? fmt(row.server().p99()) : "";
			out.append(String.format(Locale.ROOT, "%-17s %-24s %8d %6d %9.0f %8s %8s %8s %9s %9s %7s%n", row.report(),
					row.measurement(), c.requests(), c.errors(), c.throughput(), fmt(c.p50()), fmt(c.p95()), fmt(c.p99()),
					srv50, srv99, ratio(result, row)));
		}
		for (Map<String, Object> refresh : result.refreshes()) {
			out.append(String.format(Locale.ROOT, "%-17s %-24s %8s %6s %9s %8s%n", refresh.get("report"),
					refresh.get("label"), refresh.get("rows") != null ? refresh.get("rows") : "", "", "",
					fmt(((Number) refresh.get("seconds")).doubleValue() * 1000)));
		}
		out.append("x floor: server p50 over the same SQL's JDBC p50 (cache off), or over the HTTP floor's server p50 (cache hit)\n");
		out.append("refresh rows: rows in the view, and the time in ms in the p50 column\n");
		out.append(String.format(Locale.ROOT, "heap after GC: %s MB; generator: %s s; bench: %s s%n",
				facts.get("heapUsedAfterGcMb"), facts.get("generatorSeconds"), facts.get("benchSeconds")));
		result.targets().forEach((name, value) -> {
			@SuppressWarnings("unchecked")
			Map<String, Object> t = (Map<String, Object>) value;
			out.append(String.format(Locale.ROOT, "target %-32s %-20s measured %-10s %s (%s)%n", name, t.get("target"),
					t.get("value"), Boolean.TRUE.equals(t.get("met")) ? "MET" : "MISSED", t.get("note")));
		});
		if (facts.get("pgbenchFloor") instanceof String floor) {
			out.append("SQL floor (wrk pgbench floor rows), as run: the statements a miss sends, in one transaction\n")
				.append(floor);
		}
		System.out.print(out);
	}

	private static String ratio(Benchmark.Result result, Benchmark.Row row) {
		if (row.server() == null || row.server().requests() == 0) {
			return "";
		}
		if (row.measurement().equals("cache off")) {
			Optional<Benchmark.Row> sql = Targets.find(result.rows(), row.report(), "sql jdbc");
			if (sql.isPresent() && sql.get().client().p50() > 0) {
				return String.format(Locale.ROOT, "%.2f", row.server().p50() / sql.get().client().p50());
			}
		}
		if (row.measurement().startsWith("cache hit")) {
			Optional<Benchmark.Row> floor = Targets.find(result.rows(), "-", "http floor");
			if (floor.isPresent() && floor.get().server() != null && floor.get().server().p50() > 0) {
				return String.format(Locale.ROOT, "%.1f", row.server().p50() / floor.get().server().p50());
			}
		}
		return "";
	}

	private static String fmt(double ms) {
		return (ms >= 100) ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.3f", ms);
	}

}
