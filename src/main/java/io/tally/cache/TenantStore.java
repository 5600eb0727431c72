package io.tally.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy.CacheEntry;
import com.github.benmanes.caffeine.cache.RemovalListener;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * One tenant's cached entries of both caches, in one Caffeine cache weighed in bytes, so the
 * budget sees the tenant's whole footprint and Caffeine's policy picks the coldest of either kind.
 * Its weight is read after every write ({@link #settle()}), so the budget's total follows it.
 */
final class TenantStore {

	/**
	 * What a store costs before its first entry, measured with JOL: the Caffeine cache, its map,
	 * buffers and deques, and the frequency sketch it grows.
	 */
	static final long EMPTY_BYTES = 6_400;

	final String tenant;

	final AsyncCache<Object, Kept> cache;

	/** The store's overhead plus its entries' weights, as last settled; 0 once retired. */
	private volatile long weight;

	private boolean retired;

	TenantStore(String tenant, long maxBytes, Ticker ticker, RemovalListener<Object, Kept> evicted) {
		this.tenant = tenant;
		// A tenant alone may use the whole budget; the budget shrinks it when others need room.
		this.cache = Caffeine.newBuilder()
			.maximumWeight(maxBytes)
			.weigher((Object key, Kept kept) -> (int) Math.min(Integer.MAX_VALUE, kept.weight()))
			.expireAfter(Expiry.creating((Object key, Kept kept) -> kept.lifetime()))
			.ticker(ticker)
			// Maintenance on the writer's thread, so the settle right after a write sees its weight.
			.executor(Runnable::run)
			.evictionListener(evicted)
			.buildAsync();
	}

	long weight() {
		return this.weight;
	}

	/**
	 * Reads the store's weight again, expired entries dropped.
	 * @return the change since the last settle, for the budget's total
	 */
	synchronized long settle() {
		if (this.retired) {
			// Written to after the budget let it go: nothing in it is counted, so nothing is kept.
			this.cache.synchronous().invalidateAll();
			return 0;
		}
		this.cache.synchronous().cleanUp();
		long now = EMPTY_BYTES + this.cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
		long change = now - this.weight;
		this.weight = now;
		return change;
	}

	/**
	 * Lets an empty store go, so tenants that stopped asking cost nothing.
	 * @return the change to the budget's total, or 0 when it still holds entries or loads
	 */
	synchronized long retireIfEmpty() {
		if (this.retired || this.cache.synchronous().estimatedSize() > 0) {
			return 0;
		}
		this.retired = true;
		long released = this.weight;
		this.weight = 0;
		return -released;
	}

	/** The coldest entries first (Caffeine's eviction order), until they weigh at least {@code bytes}. */
	List<CacheEntry<Object, Kept>> coldest(long bytes) {
		return this.cache.synchronous().policy().eviction().orElseThrow().coldest(entries -> {
			long[] sum = { 0 };
			return entries.takeWhile(entry -> {
				boolean more = sum[0] < bytes;
				sum[0] += entry.weight();
				return more;
			}).toList();
		});
	}

	/** Removes one entry if it still holds this value; a newer value under the key stays. */
	boolean remove(Object key, Kept kept) {
		return this.cache.synchronous().asMap().remove(key, kept);
	}

	/** The entries whose value is ready (loads in flight are skipped). */
	Map<Object, Kept> entries() {
		return this.cache.synchronous().asMap();
	}

	/** The future under a key, in flight or done, or null. */
	CompletableFuture<Kept> future(Object key) {
		return this.cache.getIfPresent(key);
	}

	/**
	 * What the store holds under one key.
	 * @param value the cached value
	 * @param kind which cache it belongs to
	 * @param weight its estimated retained bytes, key and Caffeine's entry included
	 * @param lifetime how long it may be kept at most
	 */
	record Kept(Object value, CacheKind kind, long weight, Duration lifetime) {
	}

}
