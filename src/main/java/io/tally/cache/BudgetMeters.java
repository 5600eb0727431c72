package io.tally.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The budget's meters, tagged by cache ({@code reports} or {@code answers}) and cause, never by
 * tenant, so their number does not grow with the tenants. Bytes and entries are summed when
 * scraped, from the entries themselves, so they cannot drift from what is held.
 */
final class BudgetMeters {

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	BudgetMeters(MeterRegistry registry, CacheBudget budget) {
		this.registry = registry;
		Gauge.builder("tally.cache.budget.max", budget, CacheBudget::maxBytes)
			.description("The memory budget of the report cache and the kept answers together (tally.cache.max-bytes)")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("tally.cache.budget.used", budget, CacheBudget::usedBytes)
			.description("What the cached entries weigh together, each tenant's store overhead included")
			.baseUnit("bytes")
			.register(registry);
		for (CacheKind kind : CacheKind.values()) {
			Gauge.builder("tally.cache.bytes", budget, b -> sum(b, kind, true))
				.description("Estimated heap held by one cache's entries, over all tenants")
				.baseUnit("bytes")
				.tag("cache", kind.tag())
				.register(registry);
			Gauge.builder("tally.cache.entries", budget, b -> sum(b, kind, false))
				.description("One cache's entries, over all tenants")
				.tag("cache", kind.tag())
				.register(registry);
		}
	}

	/** {@code tally.cache.budget.evictions}: entries dropped, by cache and cause (size, share, refresh, expired, cleared). */
	void evicted(CacheKind kind, String cause) {
		counter("tally.cache.budget.evictions", kind, cause, "Cached entries dropped, by cache and cause").increment();
	}

	/** {@code tally.cache.budget.oversize}: answers sent but not kept, being larger than an entry may be. */
	void oversize(CacheKind kind) {
		counter("tally.cache.budget.oversize", kind, null, "Answers sent but not kept: larger than max-entry-fraction of the budget")
			.increment();
	}

	private Counter counter(String name, CacheKind kind, String cause, String description) {
		return this.counters.computeIfAbsent(name + kind + cause, k -> {
			Counter.Builder builder = Counter.builder(name).description(description).tag("cache", kind.tag());
			if (cause != null) {
				builder.tag("cause", cause);
			}
			return builder.register(this.registry);
		});
	}

	private static double sum(CacheBudget budget, CacheKind kind, boolean bytes) {
		long sum = 0;
		for (TenantStore store : budget.stores()) {
			for (TenantStore.Kept kept : store.entries().values()) {
				if (kept.kind() == kind) {
					sum += bytes ? kept.weight() : 1;
				}
			}
		}
		return sum;
	}

}
