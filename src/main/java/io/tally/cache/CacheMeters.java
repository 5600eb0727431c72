package io.tally.cache;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One report's cache meters. Tagged by report only, never by tenant, so the number of series
 * stays the number of reports however many tenants there are.
 *
 * @param registry where the meters live
 * @param report the report's field name
 * @param hits {@code tally.cache.gets} with {@code result=hit}
 * @param misses {@code tally.cache.gets} with {@code result=miss}
 * @param loads {@code tally.cache.loads}: times the report's query ran to fill the cache
 */
record CacheMeters(MeterRegistry registry, String report, Counter hits, Counter misses, Counter loads) {

	CacheMeters(MeterRegistry registry, String report, Supplier<Number> size) {
		this(registry, report, gets(registry, report, "hit"), gets(registry, report, "miss"),
				Counter.builder("tally.cache.loads")
					.description("Times a report query ran because its answer was not cached")
					.tag("report", report)
					.register(registry));
		Gauge.builder("tally.cache.size", size)
			.description("Cached answers of the report, over all tenants")
			.tag("report", report)
			.register(registry);
	}

	/** {@code tally.cache.evictions}: answers dropped, by cause: share, size, expired, refresh or cleared (see {@link CacheBudget}). */
	Counter evicted(String cause) {
		return Counter.builder("tally.cache.evictions")
			.description("Cached answers dropped, by cause")
			.tag("report", this.report)
			.tag("cause", cause)
			.register(this.registry);
	}

	private static Counter gets(MeterRegistry registry, String report, String result) {
		return Counter.builder("tally.cache.gets")
			.description("Cache lookups by result")
			.tag("report", report)
			.tag("result", result)
			.register(registry);
	}

}
