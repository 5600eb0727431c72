package io.tally.replica;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.tally.freshness.ViewStatus;

/**
 * What the last check found on one replica.
 *
 * @param condition whether it follows the primary, and if not why
 * @param lag how far behind the primary its replayed data is, when it follows
 * @param ledger its own copy of the refresh ledger: the generation and refresh time of the data it holds
 * @param checkedAt when the check ran, or null before the first
 * @param error why it is down, when it is
 */
record ReplicaState(Condition condition, Duration lag, Map<String, ViewStatus> ledger, Instant checkedAt,
		String error) {

	static final ReplicaState UNCHECKED = new ReplicaState(Condition.UNCHECKED, null, Map.of(), null, null);

	static ReplicaState down(String error, Instant at) {
		return new ReplicaState(Condition.DOWN, null, Map.of(), at, error);
	}

	/**
	 * @return why this replica may not serve a report with that allowed staleness, or null when it may
	 */
	String unusableFor(Duration maxStaleness) {
		if (this.condition != Condition.FOLLOWING) {
			return this.condition.reason;
		}
		return (this.lag.compareTo(maxStaleness) > 0) ? "lagging" : null;
	}

	/** The states a replica can be found in. */
	enum Condition {

		/** Not checked yet: nothing is known about its data, so it serves nothing. */
		UNCHECKED("unchecked"),
		/** In recovery and replaying the primary's WAL. */
		FOLLOWING(null),
		/** Unreachable, or the check failed. */
		DOWN("down"),
		/** Out of recovery: its data may now diverge from the primary's, so it serves nothing. */
		PROMOTED("promoted");

		private final String reason;

		Condition(String reason) {
			this.reason = reason;
		}

		String reason() {
			return this.reason;
		}

	}

}
