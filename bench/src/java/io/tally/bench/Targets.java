package io.tally.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The issues' targets, judged on this run's figures; the throughput ones are issue 20's ratios:
 * a miss against the pgbench floor of the statements it sends, a hit against
 * {@code { __typename }} with the same token, {@code { __typename }} against nginx serving the
 * hit's answer bytes, a hit and a miss against PostGraphile 5 serving the same rows. Each entry:
 * the target, the measured value, and met / missed.
 */
final class Targets {

	private Targets() {
	}

	static Map<String, Object> evaluate(List<Benchmark.Row> rows, List<Map<String, Object>> refreshes,
			Map<String, Object> facts, List<Workload.Report> reports) {
		Map<String, Object> targets = new LinkedHashMap<>();
		double worstHit = 0;
		double worstUncachedP99 = 0;
		double worstRatio = 0;
		String worstHitReport = "-";
		String worstP99Report = "-";
		String worstRatioReport = "-";
		for (Workload.Report report : reports) {
			Optional<Benchmark.Row> hit = find(rows, report.field(), "cache hit");
			if (hit.isPresent() && hit.get().server().p50() >= worstHit) {
				worstHit = hit.get().server().p50();
				worstHitReport = report.field();
			}
			Optional<Benchmark.Row> view = find(rows, report.field(), "cache off");
			if (view.isPresent() && view.get().client().p99() >= worstUncachedP99) {
				worstUncachedP99 = view.get().client().p99();
				worstP99Report = report.field();
			}
			Optional<Benchmark.Row> sql = find(rows, report.field(), "sql jdbc");
			if (view.isPresent() && sql.isPresent() && sql.get().client().p50() > 0) {
				double ratio = view.get().server().p50() / sql.get().client().p50();
				if (ratio >= worstRatio) {
					worstRatio = ratio;
					worstRatioReport = report.field();
				}
			}
		}
		if (!"-".equals(worstHitReport)) {
			targets.put("cacheHitServerP50Ms", target("<= 0.2", worstHit, worstHit <= 0.2, "worst: " + worstHitReport));
		}
		if (facts.get("throughputRatios") instanceof Map<?, ?> ratios) {
			// Issue 20's three, each checked on the median of the alternating rounds where they ran:
			// the two sides of a round share the machine's load alike.
			ratioTarget(targets, ratios, "missOverPgbenchFloorC8", alternatingOr(ratios, "cache off / pgbench rps c8"),
					">= 0.5", 0.5, true, both(rows, "wrk cache off c8", "wrk pgbench floor c8"));
			ratioTarget(targets, ratios, "hitOverTypenameC8", alternatingOr(ratios, "cache hit / __typename rps c8"),
					">= 0.7", 0.7, true, both(rows, "wrk cache hit c8", "wrk __typename c8"));
			ratioTarget(targets, ratios, "typenameOverNginxC8", "__typename / nginx rps c8", ">= 0.2", 0.2, true,
					both(rows, "wrk __typename c8", "wrk nginx static c8"));
			// Against a generic GraphQL-over-PostgreSQL server on the same rows and token.
			ratioTarget(targets, ratios, "hitOverPostGraphileC8",
					alternatingOr(ratios, "Tally hit / PostGraphile rps c8"), ">= 5", 5, true,
					both(rows, "wrk cache hit c8", "wrk PostGraphile 5, same query c8"));
			ratioTarget(targets, ratios, "missOverPostGraphileC8",
					alternatingOr(ratios, "Tally miss / PostGraphile rps c8"), ">= 2", 2, true,
					both(rows, "wrk cache off c8", "wrk PostGraphile 5, same query c8"));
		}
		// Absent when only the throughput table ran.
		if (!"-".equals(worstP99Report)) {
			targets.put("uncachedP99Ms", target("<= 15", worstUncachedP99, worstUncachedP99 <= 15,
					"worst: " + worstP99Report));
		}
		if (!"-".equals(worstRatioReport)) {
			targets.put("uncachedServerOverSqlP50", target("<= 1.3", worstRatio, worstRatio <= 1.3,
					"worst: " + worstRatioReport));
		}
		Optional<Benchmark.Row> idle = find(rows, "all", "readers idle");
		Optional<Benchmark.Row> during = find(rows, "all", "readers during refresh");
		if (idle.isPresent() && during.isPresent() && idle.get().client().p99() > 0) {
			double ratio = during.get().client().p99() / idle.get().client().p99();
			long errors = during.get().client().errors();
			targets.put("readerP99DuringRefreshOverIdle", target("<= 2 with 0 errors", ratio,
					ratio <= 2 && errors == 0, errors + " errors"));
		}
		refreshes.stream()
			.filter(r -> "all".equals(r.get("report")) && "refresh (idle)".equals(r.get("label")))
			.findFirst()
			.ifPresent(r -> {
				double seconds = ((Number) r.get("seconds")).doubleValue();
				targets.put("fullRefreshSeconds", target("<= 60", seconds, seconds <= 60, "every view, one after another"));
			});
		if (facts.get("abuse") instanceof Map<?, ?> abuse && abuse.get("victimP50Ratio") instanceof Number ratio) {
			targets.put("victimP50UnderAbuseOverIdle", target("<= 1.5", ratio.doubleValue(), ratio.doubleValue() <= 1.5,
					"p50 " + abuse.get("victimIdleP50Ms") + " -> " + abuse.get("victimFloodedP50Ms") + " ms, p99 x"
							+ abuse.get("victimP99Ratio") + "; one tenant's 48 loops, limits at their defaults"));
		}
		if (facts.get("heapUsedAfterGcMb") instanceof Number heap) {
			targets.put("heapMb", target("<= 512", heap.doubleValue(), heap.doubleValue() <= 512,
					"used after GC, whole JVM (app and harness), max " + facts.get("heapMaxMb")));
		}
		return targets;
	}

	private static String alternatingOr(Map<?, ?> ratios, String ratio) {
		String alternating = ratio + ", median of alternating rounds";
		return ratios.containsKey(alternating) ? alternating : ratio;
	}

	private static void ratioTarget(Map<String, Object> targets, Map<?, ?> ratios, String name, String ratio,
			String goal, double bound, boolean atLeast, String numbers) {
		if (ratios.get(ratio) instanceof Number value) {
			double v = value.doubleValue();
			targets.put(name, target(goal, v, atLeast ? v >= bound : v <= bound, "wrk, one run: " + ratio + numbers));
		}
	}

	/** Both sides' own rows, so the ratio is published with its two numbers. */
	private static String both(List<Benchmark.Row> rows, String over, String under) {
		Optional<Benchmark.Row> a = rows.stream().filter(r -> r.measurement().equals(over)).findFirst();
		Optional<Benchmark.Row> b = rows.stream().filter(r -> r.measurement().equals(under)).findFirst();
		return (a.isPresent() && b.isPresent()) ? String.format(Locale.ROOT, "; rows: %s %.0f/s, %s %.0f/s", over,
				a.get().client().throughput(), under, b.get().client().throughput()) : "";
	}

	private static Map<String, Object> target(String goal, double value, boolean met, String note) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("target", goal);
		entry.put("value", Stats.round(value));
		entry.put("met", met);
		entry.put("note", note);
		return entry;
	}

	static Optional<Benchmark.Row> find(List<Benchmark.Row> rows, String report, String measurement) {
		return rows.stream().filter(r -> r.report().equals(report) && r.measurement().equals(measurement)).findFirst();
	}

}
