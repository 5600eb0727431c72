package io.tally.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.cache.TenantStore.Kept;

import org.springframework.stereotype.Component;

/**
 * The one memory budget of everything cached for answers: report rows and kept whole answers,
 * each entry weighed by an estimate of the heap it keeps alive ({@link HeapEstimate}), together
 * held under {@code tally.cache.max-bytes}. Fair between tenants: when the budget is full, a
 * tenant over its share (the budget divided by the tenants holding entries) gives back its own
 * coldest entries first, then the largest tenant over its share does; a tenant under its share
 * loses entries only once every tenant is within theirs. A share one tenant leaves unused is
 * there for the others. An entry larger than {@code max-entry-fraction} of the budget is not kept.
 */
@Component
public class CacheBudget {

	/**
	 * What an entry costs beyond its key and value, measured with JOL: Caffeine's node (weight,
	 * expiry and access-order links), the map's node, the future holding the value and the record
	 * around it.
	 */
	static final long ENTRY_BYTES = 192;

	private final long maxBytes;

	private final long maxEntryBytes;

	private final Duration maxAge;

	private final Ticker ticker;

	private final Map<String, TenantStore> stores = new ConcurrentHashMap<>();

	/** The settled weights of all stores. */
	private final AtomicLong used = new AtomicLong();

	private final BudgetMeters meters;

	private final Map<CacheKind, BiConsumer<Object, String>> evictionListeners = new EnumMap<>(CacheKind.class);

	private final Object enforcing = new Object();

	public CacheBudget(CacheProperties properties, MeterRegistry registry, Clock clock) {
		this.maxBytes = properties.budgetBytes();
		this.maxEntryBytes = (long) (this.maxBytes * properties.maxEntryFraction());
		this.maxAge = properties.maxAge();
		this.ticker = () -> clock.millis() * 1_000_000L;
		this.meters = new BudgetMeters(registry, this);
	}

	/** The budget, in bytes. */
	public long maxBytes() {
		return this.maxBytes;
	}

	/** The settled weight of everything cached, each tenant store's own overhead included. */
	public long usedBytes() {
		return this.used.get();
	}

	/** The value kept under a key for a tenant, or null. */
	public Object get(String tenant, Object key) {
		TenantStore store = this.stores.get(tenant);
		CompletableFuture<Kept> future = (store != null) ? store.future(key) : null;
		if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
			return null;
		}
		return future.join().value();
	}

	/**
	 * Keeps a value for a tenant, unless it is larger than an entry may be.
	 * @param bytes the estimated retained size of key and value
	 * @param lifetime how long it may be kept at most; never longer than {@code max-age}
	 * @return whether it was kept
	 */
	public boolean keep(CacheKind kind, String tenant, Object key, Object value, long bytes, Duration lifetime) {
		Kept kept = kept(kind, value, bytes, lifetime);
		if (oversize(kept)) {
			return false;
		}
		TenantStore store = store(tenant);
		store.cache.put(key, CompletableFuture.completedFuture(kept));
		settle(store);
		return true;
	}

	/** Drops one entry, its value no longer usable. */
	public void remove(String tenant, Object key, String cause) {
		TenantStore store = this.stores.get(tenant);
		CompletableFuture<Kept> future = (store != null) ? store.future(key) : null;
		if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
			Kept kept = future.join();
			if (store.remove(key, kept)) {
				evicted(key, kept, cause);
				settle(store);
			}
		}
	}

	/** Drops every tenant's entries of one kind whose key matches. */
	public void removeIf(CacheKind kind, Predicate<Object> keys, String cause) {
		for (TenantStore store : this.stores.values()) {
			boolean removed = false;
			for (Map.Entry<Object, Kept> entry : store.entries().entrySet()) {
				if (entry.getValue().kind() == kind && keys.test(entry.getKey())
						&& store.remove(entry.getKey(), entry.getValue())) {
					evicted(entry.getKey(), entry.getValue(), cause);
					removed = true;
				}
			}
			if (removed) {
				this.used.addAndGet(store.settle());
			}
			retireIfEmpty(store);
		}
	}

	/** Tells a cache of each of its entries evicted and why, for its own meters. */
	void onEviction(CacheKind kind, BiConsumer<Object, String> listener) {
		this.evictionListeners.put(kind, listener);
	}

	/** The tenant's store, made on first use. */
	TenantStore store(String tenant) {
		return this.stores.computeIfAbsent(tenant, t -> new TenantStore(t, this.maxBytes, this.ticker,
				(key, kept, cause) -> {
					if (key != null && kept != null && cause != RemovalCause.REPLACED) {
						evicted(key, kept, (cause == RemovalCause.EXPIRED) ? "expired" : "size");
					}
				}));
	}

	Kept kept(CacheKind kind, Object value, long bytes, Duration lifetime) {
		Duration bounded = (lifetime.compareTo(this.maxAge) < 0) ? lifetime : this.maxAge;
		return new Kept(value, kind, ENTRY_BYTES + bytes, bounded);
	}

	/** True, and counted, when an entry is too large to keep. */
	boolean oversize(Kept kept) {
		if (kept.weight() <= this.maxEntryBytes) {
			return false;
		}
		this.meters.oversize(kept.kind());
		return true;
	}

	/** After a write to a store: takes its new weight into the total and makes room if over. */
	void settle(TenantStore store) {
		long total = this.used.addAndGet(store.settle());
		if (total > this.maxBytes) {
			makeRoom(store);
		}
	}

	Collection<TenantStore> stores() {
		return this.stores.values();
	}

	private void makeRoom(TenantStore writer) {
		synchronized (this.enforcing) {
			long excess = this.used.get() - this.maxBytes;
			long share = this.maxBytes / Math.max(1, this.stores.size());
			// A tenant past its share pays for its own growth.
			excess -= shrink(writer, Math.min(excess, writer.weight() - share), "share");
			while (excess > 0) {
				TenantStore largest = largest();
				long over = (largest != null) ? largest.weight() - share : 0;
				if (over <= 0) {
					break;
				}
				excess -= shrink(largest, Math.min(excess, over), "share");
			}
			// Every tenant within its share: the budget itself is full, so the writer makes room, then the largest.
			if (excess > 0) {
				excess -= shrink(writer, excess, "size");
			}
			while (excess > 0) {
				TenantStore largest = largest();
				long freed = (largest != null) ? shrink(largest, excess, "size") : 0;
				if (freed <= 0) {
					break;
				}
				excess -= freed;
			}
		}
	}

	/** The heaviest store; empty ones are let go on the way. */
	private TenantStore largest() {
		TenantStore largest = null;
		for (TenantStore store : this.stores.values()) {
			if (!retireIfEmpty(store) && (largest == null || store.weight() > largest.weight())) {
				largest = store;
			}
		}
		return largest;
	}

	private boolean retireIfEmpty(TenantStore store) {
		long released = store.retireIfEmpty();
		if (released == 0) {
			return false;
		}
		this.used.addAndGet(released);
		this.stores.remove(store.tenant, store);
		return true;
	}

	/** Evicts a store's coldest entries, at least {@code bytes} of them; returns what was freed. */
	private long shrink(TenantStore store, long bytes, String cause) {
		if (bytes <= 0) {
			return 0;
		}
		for (var entry : store.coldest(bytes)) {
			if (store.remove(entry.getKey(), entry.getValue())) {
				evicted(entry.getKey(), entry.getValue(), cause);
			}
		}
		long change = store.settle();
		this.used.addAndGet(change);
		return -change;
	}

	private void evicted(Object key, Kept kept, String cause) {
		this.meters.evicted(kept.kind(), cause);
		BiConsumer<Object, String> listener = this.evictionListeners.get(kept.kind());
		if (listener != null) {
			listener.accept(key, cause);
		}
	}

}
