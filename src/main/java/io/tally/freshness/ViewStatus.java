package io.tally.freshness;

import java.time.Instant;
import java.util.List;

/**
 * What the refresh ledger says about one view.
 *
 * @param view the view name
 * @param generation the ledger id of the last successful refresh, 0 before the first one
 * @param refreshedAt when the last successful refresh finished, or a later check found its source
 * tables unchanged; null before the first refresh
 * @param lastAttempt the last refresh attempt that did something, successful or not, or null
 * @param parts for a split view, the statuses of the parts an answer read (history, then recent);
 * empty otherwise
 */
public record ViewStatus(String view, long generation, Instant refreshedAt, Attempt lastAttempt,
		List<ViewStatus> parts) {

	public ViewStatus(String view, long generation, Instant refreshedAt, Attempt lastAttempt) {
		this(view, generation, refreshedAt, lastAttempt, List.of());
	}

	/**
	 * A split view's status over the parts an answer read. Its generation is the newest part's, so a
	 * refresh of either part makes a new cache key; its time is the oldest part's, so the answer never
	 * claims fresher data than its oldest rows; a failed part makes it failed.
	 */
	public static ViewStatus combine(String view, List<ViewStatus> parts) {
		long generation = parts.stream().mapToLong(ViewStatus::generation).max().orElse(0);
		Instant refreshedAt = parts.stream().anyMatch(part -> part.refreshedAt() == null) ? null
				: parts.stream().map(ViewStatus::refreshedAt).min(Instant::compareTo).orElse(null);
		Attempt attempt = parts.stream()
			.filter(ViewStatus::lastAttemptFailed)
			.map(ViewStatus::lastAttempt)
			.findFirst()
			.orElse(parts.get(parts.size() - 1).lastAttempt());
		return new ViewStatus(view, generation, refreshedAt, attempt, List.copyOf(parts));
	}

	static ViewStatus never(String view) {
		return new ViewStatus(view, 0, null, null);
	}

	public boolean lastAttemptFailed() {
		return this.lastAttempt != null && this.lastAttempt.outcome() == Outcome.FAILED;
	}

	/**
	 * One row of the ledger.
	 *
	 * @param outcome what happened
	 * @param startedAt when it started
	 * @param finishedAt when it ended
	 * @param rowCount the view's rows afterwards, when it succeeded
	 * @param error why it failed, when it did
	 */
	public record Attempt(Outcome outcome, Instant startedAt, Instant finishedAt, Long rowCount, String error) {
	}

	/** The outcome of a refresh attempt, as the ledger stores it. */
	public enum Outcome {

		SUCCESS, FAILED, SKIPPED;

		String column() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
