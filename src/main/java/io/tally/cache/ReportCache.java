package io.tally.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.cache.TenantStore.Kept;

import org.springframework.stereotype.Component;

/**
 * Answers cached per tenant, held to the {@link CacheBudget} together with the kept whole answers,
 * so a tenant that floods with distinct queries evicts mostly its own entries. Concurrent misses
 * on one key share one load: the first caller runs the query on its own thread while the others
 * wait for its future, and a failed load is not kept.
 */
@Component
public class ReportCache {

	private final CacheProperties properties;

	private final CacheBudget budget;

	private final MeterRegistry registry;

	private final Map<String, CacheMeters> meters = new ConcurrentHashMap<>();

	ReportCache(CacheProperties properties, CacheBudget budget, MeterRegistry registry) {
		this.properties = properties;
		this.budget = budget;
		this.registry = registry;
		budget.onEviction(CacheKind.REPORTS,
				(key, cause) -> meters(((CacheKey) key).report()).evicted(cause).increment());
	}

	/**
	 * The cached answer for a key, loading it once on a miss.
	 * @param weigher the estimated heap bytes a loaded answer keeps alive (see {@link HeapEstimate})
	 */
	@SuppressWarnings("unchecked")
	public <V> Lookup<V> get(CacheKey key, Supplier<V> loader, ToLongFunction<V> weigher) {
		CacheMeters meters = meters(key.report());
		if (!this.properties.enabled()) {
			meters.loads().increment();
			return new Lookup<>(loader.get(), false);
		}
		TenantStore store = this.budget.store(key.tenant());
		CompletableFuture<Kept> load = new CompletableFuture<>();
		CompletableFuture<Kept> existing = store.cache.asMap().putIfAbsent(key, load);
		if (existing != null) {
			// Also a hit when the load is still running: this request runs no query of its own.
			meters.hits().increment();
			return new Lookup<>((V) await(existing).value(), true);
		}
		meters.misses().increment();
		meters.loads().increment();
		V value;
		try {
			value = loader.get();
		}
		catch (RuntimeException | Error ex) {
			load.completeExceptionally(ex);
			throw ex;
		}
		Kept kept = this.budget.kept(CacheKind.REPORTS, value, weight(key) + weigher.applyAsLong(value),
				this.properties.maxAge());
		// Completed first, so requests waiting for this load get it even when it is too large to keep.
		load.complete(kept);
		if (this.budget.oversize(kept)) {
			store.cache.asMap().remove(key, load);
		}
		this.budget.settle(store);
		return new Lookup<>(value, false);
	}

	/**
	 * The answer cached under a key, without loading it or waiting for a load in flight; null when
	 * there is none or the cache is off. Counted as a hit when found.
	 */
	@SuppressWarnings("unchecked")
	public <V> V peek(CacheKey key) {
		if (!this.properties.enabled()) {
			return null;
		}
		CompletableFuture<Kept> found = this.budget.store(key.tenant()).future(key);
		if (found == null || !found.isDone() || found.isCompletedExceptionally()) {
			return null;
		}
		meters(key.report()).hits().increment();
		return (V) found.join().value();
	}

	/** Whether anything is cached, or being loaded, under a key. */
	public boolean contains(CacheKey key) {
		return this.properties.enabled() && this.budget.store(key.tenant()).future(key) != null;
	}

	/** Drops every tenant's answers of these reports, after their view was refreshed. */
	void evictReports(Collection<String> reports) {
		Set<String> names = Set.copyOf(reports);
		this.budget.removeIf(CacheKind.REPORTS, key -> names.contains(((CacheKey) key).report()), "refresh");
	}

	/** Drops everything, when notifications may have been missed. */
	void clear() {
		this.budget.removeIf(CacheKind.REPORTS, key -> true, "cleared");
	}

	/** How many answers are cached for a tenant. */
	public long size(String tenant) {
		return this.budget.stores()
			.stream()
			.filter(store -> store.tenant.equals(tenant))
			.mapToLong(store -> store.entries().values().stream().filter(k -> k.kind() == CacheKind.REPORTS).count())
			.sum();
	}

	/** How many answers of a report are cached, over all tenants. */
	long reportSize(String report) {
		return this.budget.stores()
			.stream()
			.mapToLong(store -> store.entries().keySet().stream()
				.filter(key -> key instanceof CacheKey cacheKey && cacheKey.report().equals(report))
				.count())
			.sum();
	}

	/**
	 * The key's own heap: the record, the tenant's name, the arguments; the report's name and the
	 * section names are the catalog's.
	 */
	static long weight(CacheKey key) {
		return 40 + HeapEstimate.string(key.tenant()) + HeapEstimate.of(key.arguments()) + 24
				+ HeapEstimate.align(HeapEstimate.ARRAY + 2L * HeapEstimate.REFERENCE * key.sections().size())
				// A layout's cells are shared with the compiled query that made them; the map is the key's own.
				+ (key.layouts().isEmpty() ? 0
						: 24 + HeapEstimate.align(HeapEstimate.ARRAY + 4L * HeapEstimate.REFERENCE * key.layouts().size()));
	}

	private CacheMeters meters(String report) {
		return this.meters.computeIfAbsent(report, r -> new CacheMeters(this.registry, r, () -> reportSize(r)));
	}

	private static Kept await(CompletableFuture<Kept> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	/**
	 * A cached or freshly loaded answer.
	 *
	 * @param value the answer
	 * @param hit whether it came from the cache rather than from this request's own load
	 */
	public record Lookup<V>(V value, boolean hit) {
	}

}
