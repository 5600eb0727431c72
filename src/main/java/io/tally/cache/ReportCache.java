package io.tally.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Answers cached per tenant. Each tenant has its own bounded Caffeine cache, so a tenant that
 * floods with distinct queries evicts only its own entries. Concurrent misses on one key share
 * one load: the first caller runs the query on its own thread while the others wait for its
 * future, and a failed load is not kept.
 */
@Component
public class ReportCache {

	private final CacheProperties properties;

	private final Cache<String, AsyncCache<CacheKey, Object>> tenants;

	private final MeterRegistry registry;

	private final Map<String, CacheMeters> meters = new ConcurrentHashMap<>();

	ReportCache(CacheProperties properties, MeterRegistry registry) {
		this.properties = properties;
		this.registry = registry;
		this.tenants = Caffeine.newBuilder().maximumSize(properties.maxTenants()).build();
	}

	/**
	 * The cached answer for a key, loading it once on a miss.
	 */
	@SuppressWarnings("unchecked")
	public <V> Lookup<V> get(CacheKey key, Supplier<V> loader) {
		CacheMeters meters = meters(key.report());
		if (!this.properties.enabled()) {
			meters.loads().increment();
			return new Lookup<>(loader.get(), false);
		}
		AsyncCache<CacheKey, Object> cache = tenantCache(key.tenant());
		CompletableFuture<Object> load = new CompletableFuture<>();
		CompletableFuture<Object> existing = cache.asMap().putIfAbsent(key, load);
		if (existing != null) {
			// Also a hit when the load is still running: this request runs no query of its own.
			meters.hits().increment();
			return new Lookup<>((V) await(existing), true);
		}
		meters.misses().increment();
		meters.loads().increment();
		try {
			V value = loader.get();
			load.complete(value);
			return new Lookup<>(value, false);
		}
		catch (RuntimeException | Error ex) {
			load.completeExceptionally(ex);
			throw ex;
		}
	}

	/** Drops every tenant's answers of these reports, after their view was refreshed. */
	void evictReports(Collection<String> reports) {
		Set<String> names = Set.copyOf(reports);
		this.tenants.asMap().values().forEach(cache -> cache.asMap().keySet().removeIf(key -> {
			boolean evict = names.contains(key.report());
			if (evict) {
				meters(key.report()).evicted("refresh").increment();
			}
			return evict;
		}));
	}

	/** Drops everything, when notifications may have been missed. */
	void clear() {
		this.tenants.asMap()
			.values()
			.forEach(cache -> cache.asMap().keySet().forEach(key -> meters(key.report()).evicted("cleared").increment()));
		this.tenants.invalidateAll();
	}

	/** How many answers are cached for a tenant. */
	public long size(String tenant) {
		AsyncCache<CacheKey, Object> cache = this.tenants.getIfPresent(tenant);
		if (cache == null) {
			return 0;
		}
		// Size evictions are applied in the background; settle them so the count honours the bound.
		cache.synchronous().cleanUp();
		return cache.synchronous().estimatedSize();
	}

	/** How many answers of a report are cached, over all tenants. */
	long reportSize(String report) {
		return this.tenants.asMap()
			.values()
			.stream()
			.mapToLong(cache -> cache.asMap().keySet().stream().filter(key -> key.report().equals(report)).count())
			.sum();
	}

	private AsyncCache<CacheKey, Object> tenantCache(String tenant) {
		return this.tenants.get(tenant, t -> Caffeine.newBuilder()
			.maximumSize(this.properties.maxEntriesPerTenant())
			.expireAfterWrite(this.properties.maxAge())
			.<CacheKey, Object>evictionListener((key, value, cause) -> {
				if (key != null) {
					meters(key.report()).evicted(cause(cause)).increment();
				}
			})
			.buildAsync());
	}

	private CacheMeters meters(String report) {
		return this.meters.computeIfAbsent(report, r -> new CacheMeters(this.registry, r, () -> reportSize(r)));
	}

	private static String cause(RemovalCause cause) {
		return switch (cause) {
			case SIZE -> "size";
			case EXPIRED -> "expired";
			default -> "collected";
		};
	}

	private static Object await(CompletableFuture<Object> future) {
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
