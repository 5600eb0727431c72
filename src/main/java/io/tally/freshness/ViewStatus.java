package io.tally.freshness;

import java.time.Instant;

/**
 * What the refresh ledger says about one view.
 *
 * @param view the view name
 * @param generation the ledger id of the last successful refresh, 0 before the first one
 * @param refreshedAt when the last successful refresh finished, or a later check found its source
 * tables unchanged; null before the first refresh
 * @param lastAttempt the last refresh attempt that did something, successful or not, or null
 */
public record ViewStatus(String view, long generation, Instant refreshedAt, Attempt lastAttempt) {

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
