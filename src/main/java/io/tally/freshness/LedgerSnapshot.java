package io.tally.freshness;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;

import org.springframework.stereotype.Component;

/**
 * This instance's copy of the refresh ledger, read on start, after every refresh notification
 * and on every poll, so requests never read the ledger themselves.
 */
@Component
public class LedgerSnapshot {

	/**
	 * A split report's status, combined from its parts once per copy of the ledger rather than on
	 * every cache hit. A copy is an immutable map, replaced whole when the ledger is read again, so
	 * it is compared by identity (weak keys) and forgotten with it.
	 */
	private static final Cache<Map<String, ViewStatus>, Map<SplitRead, ViewStatus>> SPLIT_STATUSES = Caffeine
		.newBuilder()
		.weakKeys()
		.maximumSize(64)
		.build();

	private final RefreshLedger ledger;

	private final List<String> views;

	private final AtomicReference<Map<String, ViewStatus>> statuses = new AtomicReference<>(Map.of());

	LedgerSnapshot(RefreshLedger ledger, ReportCatalog catalog) {
		this.ledger = ledger;
		this.views = catalog.views();
		reload();
	}

	/** Every view's status as this copy holds it now. */
	public Map<String, ViewStatus> statuses() {
		return this.statuses.get();
	}

	public ViewStatus status(String view) {
		return this.statuses.get().getOrDefault(view, ViewStatus.never(view));
	}

	/** A report's status over all of its view, both parts of a split one. */
	public ViewStatus status(ReportDefinition report) {
		return status(report, true);
	}

	/**
	 * A report's status over the parts an answer reads.
	 * @param touchesHistory whether the answer's range reaches days older than the recent part's
	 */
	public ViewStatus status(ReportDefinition report, boolean touchesHistory) {
		return of(report, touchesHistory, this.statuses.get());
	}

	/** The same, from any copy of the ledger's statuses, such as a read replica's. */
	public static ViewStatus of(ReportDefinition report, boolean touchesHistory, Map<String, ViewStatus> statuses) {
		if (report.split() == null) {
			ViewStatus status = statuses.get(report.view());
			return (status != null) ? status : ViewStatus.never(report.view());
		}
		return SPLIT_STATUSES.get(statuses, copy -> new ConcurrentHashMap<>())
			.computeIfAbsent(new SplitRead(report, touchesHistory), read -> combined(report, touchesHistory, statuses));
	}

	private static ViewStatus combined(ReportDefinition report, boolean touchesHistory,
			Map<String, ViewStatus> statuses) {
		List<ViewStatus> parts = report.materializedViews()
			.stream()
			.map(part -> statuses.getOrDefault(part, ViewStatus.never(part)))
			.toList();
		ViewStatus all = ViewStatus.combine(report.view(), parts);
		if (touchesHistory) {
			return all;
		}
		// Time and staleness of the recent part alone; the generation stays the whole view's, so
		// every answer of the report has one generation per ledger state, whatever its range.
		ViewStatus recent = ViewStatus.combine(report.view(), parts.subList(1, 2));
		return new ViewStatus(recent.view(), all.generation(), recent.refreshedAt(), recent.lastAttempt(),
				recent.parts());
	}

	/**
	 * Reads the ledger again.
	 * @return the views whose data changed since the last read
	 */
	List<String> reload() {
		Map<String, ViewStatus> fresh = this.ledger.statuses(this.views);
		Map<String, ViewStatus> previous = this.statuses.getAndSet(Map.copyOf(fresh));
		return fresh.values()
			.stream()
			.filter(status -> !Objects.equals(generation(previous.get(status.view())), status.generation()))
			.map(ViewStatus::view)
			.toList();
	}

	private static Long generation(ViewStatus status) {
		return (status != null) ? status.generation() : null;
	}

	/** One definition (by identity: each application context has its own) and which parts it reads. */
	private record SplitRead(ReportDefinition report, boolean touchesHistory) {

		@Override
		public boolean equals(Object other) {
			return other instanceof SplitRead read && read.report == this.report
					&& read.touchesHistory == this.touchesHistory;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.report) * 2 + (this.touchesHistory ? 1 : 0);
		}

	}

}
