package io.tally.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.cache.CacheProperties;
import io.tally.freshness.FreshnessPolicy;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ViewsRefreshed;
import tools.jackson.databind.JacksonSerializable;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whole answers, kept serialized per tenant (each tenant's share bounded like the report cache's),
 * used only while every view they read is still at the generation it was read under.
 */
@Component
class ResponseCache {

	/**
	 * Every time zone's midnight falls on a quarter hour of UTC. An answer whose dates defaulted to
	 * "today" in the tenant's zone must not outlive that day, so none outlives its quarter hour.
	 */
	private static final long QUARTER_HOUR_SECONDS = 15 * 60;

	private final CacheProperties properties;

	private final LedgerSnapshot ledger;

	private final FreshnessPolicy freshness;

	private final Clock clock;

	private final Cache<String, Cache<ResponseKey, Entry>> tenants;

	private final Counter hits;

	private final Counter misses;

	ResponseCache(CacheProperties properties, LedgerSnapshot ledger, FreshnessPolicy freshness, Clock clock,
			MeterRegistry meters) {
		this.properties = properties;
		this.ledger = ledger;
		this.freshness = freshness;
		this.clock = clock;
		this.tenants = Caffeine.newBuilder().maximumSize(properties.maxTenants()).build();
		this.hits = Counter.builder("tally.cache.responses").tag("result", "hit")
			.description("Whole answers sent from the response cache, or executed because none was current")
			.register(meters);
		this.misses = Counter.builder("tally.cache.responses").tag("result", "miss").register(meters);
	}

	/**
	 * Entries read under an older generation are never sent, so a refresh needs no eviction; but
	 * when notifications may have been missed the ledger snapshot may have been behind too.
	 */
	@EventListener
	void viewsRefreshed(ViewsRefreshed event) {
		if (event.notificationsMissed()) {
			this.tenants.invalidateAll();
		}
	}

	boolean enabled() {
		return this.properties.enabled() && this.properties.responses();
	}

	/** The current answer's data, serializable as JSON, or null when none is kept or a view it read was refreshed. */
	JacksonSerializable answer(ResponseKey key) {
		Cache<ResponseKey, Entry> cache = this.tenants.getIfPresent(key.tenant());
		Entry entry = (cache != null) ? cache.getIfPresent(key) : null;
		if (entry == null || !current(entry)) {
			this.misses.increment();
			return null;
		}
		this.hits.increment();
		entry.reads().forEach(read -> read.askedAgain().run());
		return entry.template().render(read -> {
			ResponseRecording.Read what = entry.reads().get(read);
			// A split view's whole status: its oldest part, never fresher than the answer's data.
			return this.freshness.describe(what.report(), this.ledger.status(what.report()), what.readAt());
		});
	}

	/**
	 * Keeps an answer that executed without errors.
	 * @param askedAt when the request started, before its arguments were resolved
	 */
	void keep(ResponseKey key, Object data, ResponseRecording recording, Instant askedAt) {
		if (!recording.keepable()) {
			return;
		}
		AnswerTemplate.of(data, recording.leaves()).ifPresent(template -> {
			Instant quarterEnd = Instant.ofEpochSecond(
					(askedAt.getEpochSecond() / QUARTER_HOUR_SECONDS + 1) * QUARTER_HOUR_SECONDS);
			tenantCache(key.tenant()).put(key, new Entry(template, recording.reads(), quarterEnd));
		});
	}

	private boolean current(Entry entry) {
		for (ResponseRecording.Read read : entry.reads()) {
			if (this.ledger.status(read.report()).generation() != read.generation()) {
				return false;
			}
		}
		return true;
	}

	private Cache<ResponseKey, Entry> tenantCache(String tenant) {
		return this.tenants.get(tenant, t -> Caffeine.newBuilder()
			.maximumSize(this.properties.maxEntriesPerTenant())
			.ticker(() -> this.clock.millis() * 1_000_000L)
			.expireAfter(Expiry.<ResponseKey, Entry>creating((key, entry) -> lifetime(entry)))
			.build());
	}

	private Duration lifetime(Entry entry) {
		Duration untilQuarterEnd = Duration.between(this.clock.instant(), entry.validUntil());
		if (untilQuarterEnd.isNegative()) {
			return Duration.ZERO;
		}
		return (untilQuarterEnd.compareTo(this.properties.maxAge()) < 0) ? untilQuarterEnd : this.properties.maxAge();
	}

	private record Entry(AnswerTemplate template, List<ResponseRecording.Read> reads, Instant validUntil) {
	}

}
