package io.tally.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.cache.CacheBudget;
import io.tally.cache.CacheKind;
import io.tally.cache.CacheProperties;
import io.tally.cache.HeapEstimate;
import io.tally.freshness.FreshnessPolicy;
import io.tally.freshness.ViewStatus;
import io.tally.freshness.ViewsRefreshed;
import io.tally.replica.LedgerCopy;
import io.tally.replica.ReadRouting;
import tools.jackson.databind.JacksonSerializable;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whole answers, kept serialized per tenant in the {@link CacheBudget} shared with the report cache,
 * used only while a source that may serve them (a replica following closely enough, or the
 * primary) still holds every view they read at the generation it was read under; the answer's
 * freshness is then that source's copy of the ledger, so it never claims more than its rows have.
 */
@Component
class ResponseCache {

	/**
	 * Every time zone's midnight falls on a quarter hour of UTC. An answer whose dates defaulted to
	 * "today" in the tenant's zone must not outlive that day, so none outlives its quarter hour.
	 */
	private static final long QUARTER_HOUR_SECONDS = 15 * 60;

	/**
	 * A read behind a kept answer: its record and time, and the runnable counting asks, which holds
	 * the read's resolved arguments (a map of a few dates and strings).
	 */
	private static final long READ_BYTES = 480;

	/** A report of a kept answer's version: its map entry and record (status and definition are shared). */
	private static final long VERSION_READ_BYTES = 32 + 24;

	private final CacheProperties properties;

	private final ReadRouting routing;

	private final FreshnessPolicy freshness;

	private final Clock clock;

	private final CacheBudget budget;

	private final Counter hits;

	private final Counter misses;

	ResponseCache(CacheProperties properties, ReadRouting routing, FreshnessPolicy freshness, Clock clock,
			CacheBudget budget, MeterRegistry meters) {
		this.properties = properties;
		this.routing = routing;
		this.freshness = freshness;
		this.clock = clock;
		this.budget = budget;
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
			this.budget.removeIf(CacheKind.ANSWERS, key -> true, "cleared");
		}
	}

	boolean enabled() {
		return this.properties.enabled() && this.properties.responses();
	}

	/**
	 * The current answer's data, serializable as JSON, or null when none is kept or no source that
	 * may serve it holds what it read any more.
	 * @param recording notes each read sent again, with the status it is described under
	 */
	JacksonSerializable answer(ResponseKey key, ResponseRecording recording) {
		Entry entry = (this.budget.get(key.tenant(), key) instanceof Entry kept) ? kept : null;
		ViewStatus[] statuses = (entry != null) ? current(entry) : null;
		if (statuses == null) {
			if (entry != null) {
				// Every source moved past a generation it read, and generations only move forward.
				this.budget.remove(key.tenant(), key, "refresh");
			}
			this.misses.increment();
			return null;
		}
		this.hits.increment();
		for (int i = 0; i < statuses.length; i++) {
			ResponseRecording.Read read = entry.reads().get(i);
			read.askedAgain().run();
			recording.served(read, statuses[i]);
		}
		// Each read described from the one copy whose generation it holds, over the parts its range reached.
		return entry.template()
			.render(read -> this.freshness.describe(entry.reads().get(read).report(), statuses[read],
					entry.reads().get(read).readAt()));
	}

	/**
	 * Keeps an answer that executed without errors.
	 * @param askedAt when the request started, before its arguments were resolved
	 */
	void keep(ResponseKey key, Object data, ResponseRecording recording, Instant askedAt) {
		if (!recording.keepable()) {
			return;
		}
		// A written answer is kept as the bytes it was sent as; an executed one is serialized now.
		Optional<AnswerTemplate> written = (data instanceof AnswerTemplate.Rendered rendered)
				? Optional.of(rendered.template()) : AnswerTemplate.of(data, recording.leaves());
		// One report read under two generations has no single version, so no source could send it again.
		Optional<AnswerVersion> version = recording.version();
		if (written.isEmpty() || version.isEmpty()) {
			return;
		}
		Instant quarterEnd = Instant.ofEpochSecond(
				(askedAt.getEpochSecond() / QUARTER_HOUR_SECONDS + 1) * QUARTER_HOUR_SECONDS);
		Entry entry = new Entry(written.get(), recording.reads(), version.get(), quarterEnd);
		this.budget.keep(CacheKind.ANSWERS, key.tenant(), key, entry, weight(key, entry, recording), lifetime(entry));
	}

	/**
	 * The statuses of the entry's reads in the first ledger copy that holds its version, each taken
	 * once so check and description agree; null when no copy does (a refresh reached every source
	 * that may serve it, or none may any more).
	 */
	private ViewStatus[] current(Entry entry) {
		List<ResponseRecording.Read> reads = entry.reads();
		for (LedgerCopy copy : this.routing.copies(entry.version().reports())) {
			if (entry.version().heldBy(copy)) {
				ViewStatus[] statuses = new ViewStatus[reads.size()];
				for (int i = 0; i < statuses.length; i++) {
					statuses[i] = copy.status(reads.get(i).report(), reads.get(i).touchesHistory());
				}
				return statuses;
			}
		}
		return null;
	}

	/**
	 * The heap a kept answer holds: its key (the document and variables as sent), the serialized
	 * data, a few dozen bytes per freshness gap, and per read its record, time and what it counts
	 * asks with (the read's arguments).
	 */
	private static long weight(ResponseKey key, Entry entry, ResponseRecording recording) {
		long bytes = 32 + HeapEstimate.string(key.tenant()) + HeapEstimate.string(key.document())
				+ HeapEstimate.string(key.operationName()) + HeapEstimate.of(key.variables());
		bytes += 32 + entry.template().retainedBytes() + 24;
		for (ResponseRecording.Leaf leaf : recording.leaves()) {
			bytes += 24 + 24 + HeapEstimate.align(16L + 4L * leaf.path().size());
		}
		bytes += 32 + HeapEstimate.align(16L + 4L * entry.reads().size()) + READ_BYTES * entry.reads().size();
		return bytes + 24 + HeapEstimate.align(16L + 8L * entry.version().reads().size())
				+ VERSION_READ_BYTES * entry.version().reads().size();
	}

	private Duration lifetime(Entry entry) {
		Duration untilQuarterEnd = Duration.between(this.clock.instant(), entry.validUntil());
		if (untilQuarterEnd.isNegative()) {
			return Duration.ZERO;
		}
		return (untilQuarterEnd.compareTo(this.properties.maxAge()) < 0) ? untilQuarterEnd : this.properties.maxAge();
	}

	private record Entry(AnswerTemplate template, List<ResponseRecording.Read> reads, AnswerVersion version,
			Instant validUntil) {
	}

}
