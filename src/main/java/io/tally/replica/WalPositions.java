package io.tally.replica;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * When the primary had written how much WAL, sampled at every check. A replica that has replayed
 * up to a position holds everything the primary had at the time of the newest sample at or below
 * that position, so its lag is the time since then. Replay timestamps would overstate the lag of
 * a replica that is only behind an idle primary by one transaction written long ago.
 */
final class WalPositions {

	private final TreeMap<Long, Instant> samples = new TreeMap<>();

	private final Duration horizon;

	WalPositions(Duration horizon) {
		this.horizon = horizon;
	}

	/** Records the primary's current WAL position; an unchanged position only moves its time. */
	synchronized void record(long position, Instant at) {
		this.samples.put(position, at);
		Instant oldest = at.minus(this.horizon);
		// Keep one sample older than the horizon so a replica behind all others still has a lower bound.
		while (this.samples.size() > 1) {
			Map.Entry<Long, Instant> first = this.samples.firstEntry();
			Map.Entry<Long, Instant> second = this.samples.higherEntry(first.getKey());
			if (second == null || !second.getValue().isBefore(oldest)) {
				break;
			}
			this.samples.pollFirstEntry();
		}
	}

	/**
	 * @return how long ago the primary had no more than the replica has replayed; zero when the
	 * replica has everything of the newest sample
	 */
	synchronized Duration lag(long replayed, Instant now) {
		if (this.samples.isEmpty() || replayed >= this.samples.lastKey()) {
			return Duration.ZERO;
		}
		Map.Entry<Long, Instant> caughtUp = this.samples.floorEntry(replayed);
		Instant since = (caughtUp != null) ? caughtUp.getValue() : this.samples.firstEntry().getValue();
		Duration lag = Duration.between(since, now);
		return lag.isNegative() ? Duration.ZERO : lag;
	}

}
