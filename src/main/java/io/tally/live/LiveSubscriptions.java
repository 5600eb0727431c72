package io.tally.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.tally.graphql.LimitExceededException;
import io.tally.tenancy.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Opens live subscriptions: each follows the refreshes of the reports it asked for, counts
 * against its caller's share of the tenant's cap (as {@code tally.limits.overrides} share out
 * request rates: a partner's streams never use up the tenant's users' own) and the instance's cap
 * while open, and ends cleanly when its token
 * expires, since nothing may be sent on a token's authority after that.
 */
@Component
public class LiveSubscriptions {

	private final RefreshStream refreshes;

	private final LiveProperties properties;

	private final Clock clock;

	private final AtomicInteger open = new AtomicInteger();

	private final Map<String, AtomicInteger> openPerTenant = new ConcurrentHashMap<>();

	/** Open subscriptions per share of a tenant's limits: its users', or an override's such as a partner's. */
	private final Map<String, AtomicInteger> openPerShare = new ConcurrentHashMap<>();

	LiveSubscriptions(RefreshStream refreshes, LiveProperties properties, Clock clock) {
		this.refreshes = refreshes;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The names of the given reports whose views were refreshed, once per refresh, until the token
	 * expires or the subscriber cancels; it fails with {@link LimitExceededException} when the
	 * caller's share or the instance already holds the most subscriptions allowed.
	 * @param share whose share of the tenant's streams this one counts against (the request context's limits key)
	 */
	public Flux<List<String>> refreshesOf(Caller caller, String share, Instant tokenExpiry, Collection<String> reports) {
		Set<String> wanted = Set.copyOf(reports);
		// Reserved when subscribed and released when the stream ends, so a stream never opened holds no slot.
		return Flux.defer(() -> {
			AtomicInteger shared = this.openPerShare.computeIfAbsent(share, t -> new AtomicInteger());
			AtomicInteger tenant = this.openPerTenant.computeIfAbsent(caller.tenantId(), t -> new AtomicInteger());
			reserve(shared, caller.tenantId());
			tenant.incrementAndGet();
			Duration remaining = Duration.between(this.clock.instant(), tokenExpiry);
			Mono<Long> expiry = Mono.delay(remaining.isNegative() ? Duration.ZERO : remaining);
			return this.refreshes.events()
				.map(event -> event.reports().stream().filter(wanted::contains).distinct().toList())
				.filter(refreshed -> !refreshed.isEmpty())
				.takeUntilOther(expiry)
				.doFinally(signal -> release(shared, tenant));
		});
	}

	/**
	 * Refuses a stream now, before anything is read for it, when the caller's share or the instance
	 * is full; the slot itself is taken when the stream is subscribed.
	 * @throws LimitExceededException when there is no room
	 */
	public void checkRoom(Caller caller, String share) {
		if (this.open.get() >= this.properties.maxSubscribers()) {
			throw instanceFull();
		}
		AtomicInteger shared = this.openPerShare.get(share);
		if (shared != null && shared.get() >= this.properties.maxSubscribersPerTenant()) {
			throw shareFull(caller.tenantId());
		}
	}

	/** Open subscriptions of a tenant on this instance, whoever holds them. */
	public int openFor(String tenant) {
		AtomicInteger count = this.openPerTenant.get(tenant);
		return (count != null) ? count.get() : 0;
	}

	private void reserve(AtomicInteger share, String tenantId) {
		if (this.open.incrementAndGet() > this.properties.maxSubscribers()) {
			this.open.decrementAndGet();
			throw instanceFull();
		}
		if (share.incrementAndGet() > this.properties.maxSubscribersPerTenant()) {
			share.decrementAndGet();
			this.open.decrementAndGet();
			throw shareFull(tenantId);
		}
	}

	private LimitExceededException instanceFull() {
		return new LimitExceededException("This instance holds the most live subscriptions it allows ("
				+ this.properties.maxSubscribers() + "); retry later or poll");
	}

	private LimitExceededException shareFull(String tenantId) {
		return new LimitExceededException("Tenant '" + tenantId + "' already holds "
				+ this.properties.maxSubscribersPerTenant() + " live subscriptions for callers like this one, the most allowed; close one first");
	}

	private void release(AtomicInteger share, AtomicInteger tenant) {
		share.decrementAndGet();
		tenant.decrementAndGet();
		this.open.decrementAndGet();
	}

}
