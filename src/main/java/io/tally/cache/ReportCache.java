package io.tally.cache;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

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

	ReportCache(CacheProperties properties) {
		this.properties = properties;
		this.tenants = Caffeine.newBuilder().maximumSize(properties.maxTenants()).build();
	}

	/**
	 * The cached answer for a key, loading it once on a miss.
	 */
	@SuppressWarnings("unchecked")
	public <V> Lookup<V> get(CacheKey key, Supplier<V> loader) {
		if (!this.properties.enabled()) {
			return new Lookup<>(loader.get(), false);
		}
		AsyncCache<CacheKey, Object> cache = tenantCache(key.tenant());
		CompletableFuture<Object> load = new CompletableFuture<>();
		CompletableFuture<Object> existing = cache.asMap().putIfAbsent(key, load);
		if (existing != null) {
			return new Lookup<>((V) await(existing), true);
		}
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
	public void evictReports(Collection<String> reports) {
		Set<String> names = Set.copyOf(reports);
		this.tenants.asMap()
			.values()
			.forEach(cache -> cache.asMap().keySet().removeIf(key -> names.contains(key.report())));
	}

	/** Drops everything, when notifications may have been missed. */
	public void clear() {
		this.tenants.invalidateAll();
	}

	/** How many answers are cached for a tenant. */
	public long size(String tenant) {
		AsyncCache<CacheKey, Object> cache = this.tenants.getIfPresent(tenant);
		return (cache != null) ? cache.synchronous().estimatedSize() : 0;
	}

	private AsyncCache<CacheKey, Object> tenantCache(String tenant) {
		return this.tenants.get(tenant, t -> Caffeine.newBuilder()
			.maximumSize(this.properties.maxEntriesPerTenant())
			.expireAfterWrite(this.properties.maxAge())
			.buildAsync());
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
