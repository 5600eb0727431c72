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
 * against its tenant's and the instance's caps while open, and ends cleanly when its token
 * expires, since nothing may be sent on a token's authority after that.
 */
@Component
public class LiveSubscriptions {

	private final RefreshStream refreshes;

	private final LiveProperties properties;

	private final Clock clock;

	private final AtomicInteger open = new AtomicInteger();

	private final Map<String, AtomicInteger> openPerTenant = new ConcurrentHashMap<>();

	LiveSubscriptions(RefreshStream refreshes, LiveProperties properties, Clock clock) {
		this.refreshes = refreshes;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The names of the given reports whose views were refreshed, once per refresh, until the token
	 * expires or the subscriber cancels; it fails with {@link LimitExceededException} when the
	 * tenant or the instance already holds the most subscriptions allowed.
	 */
	public Flux<List<String>> refreshesOf(Caller caller, Instant tokenExpiry, Collection<String> reports) {
		Set<String> wanted = Set.copyOf(reports);
		// Reserved when subscribed and released when the stream ends, so a stream never opened holds no slot.
		return Flux.defer(() -> {
			AtomicInteger tenant = this.openPerTenant.computeIfAbsent(caller.tenantId(), t -> new AtomicInteger());
			reserve(tenant, caller.tenantId());
			Duration remaining = Duration.between(this.clock.instant(), tokenExpiry);
			Mono<Long> expiry = Mono.delay(remaining.isNegative() ? Duration.ZERO : remaining);
			return this.refreshes.events()
				.map(event -> event.reports().stream().filter(wanted::contains).distinct().toList())
				.filter(refreshed -> !refreshed.isEmpty())
				.takeUntilOther(expiry)
				.doFinally(signal -> release(tenant));
		});
	}

	/** Open subscriptions of a tenant on this instance. */
	public int openFor(String tenant) {
		AtomicInteger count = this.openPerTenant.get(tenant);
		return (count != null) ? count.get() : 0;
	}

	private void reserve(AtomicInteger tenant, String tenantId) {
		if (this.open.incrementAndGet() > this.properties.maxSubscribers()) {
			this.open.decrementAndGet();
			throw new LimitExceededException("This instance holds the most live subscriptions it allows ("
					+ this.properties.maxSubscribers() + "); retry later or poll");
		}
		if (tenant.incrementAndGet() > this.properties.maxSubscribersPerTenant()) {
			tenant.decrementAndGet();
			this.open.decrementAndGet();
			throw new LimitExceededException("Tenant '" + tenantId + "' already holds "
					+ this.properties.maxSubscribersPerTenant() + " live subscriptions, the most allowed; close one first");
		}
	}

	private void release(AtomicInteger tenant) {
		tenant.decrementAndGet();
		this.open.decrementAndGet();
	}

}
