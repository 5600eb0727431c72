package io.tally.replica;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica's lag is the time since the primary last had no more WAL than the replica replayed.
 */
class WalPositionsTests {

	private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

	private final WalPositions wal = new WalPositions(Duration.ofMinutes(10));

	@Test
	void aReplicaThatReplayedEverythingTheNewestSampleHadHasNoLag() {
		this.wal.record(100, T0);
		this.wal.record(200, T0.plusSeconds(5));

		assertThat(this.wal.lag(200, T0.plusSeconds(6))).isZero();
		assertThat(this.wal.lag(250, T0.plusSeconds(6))).isZero();
	}

	@Test
	void aReplicaBehindIsLaggingSinceTheNewestSampleItHasReplayed() {
		this.wal.record(100, T0);
		this.wal.record(200, T0.plusSeconds(5));
		this.wal.record(300, T0.plusSeconds(10));

		assertThat(this.wal.lag(250, T0.plusSeconds(12))).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.wal.lag(100, T0.plusSeconds(12))).isEqualTo(Duration.ofSeconds(12));
	}

	@Test
	void anIdlePrimaryMovesTheTimeOfItsPositionSoAnOldTransactionDoesNotLookLikeLag() {
		this.wal.record(100, T0);
		this.wal.record(100, T0.plusSeconds(600));
		this.wal.record(150, T0.plusSeconds(602));

		assertThat(this.wal.lag(100, T0.plusSeconds(603))).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void forgetsSamplesPastTheHorizonButKeepsALowerBoundForAReplicaBehindThemAll() {
		this.wal.record(100, T0);
		this.wal.record(200, T0.plusSeconds(60));
		this.wal.record(300, T0.plus(Duration.ofMinutes(30)));

		assertThat(this.wal.lag(50, T0.plus(Duration.ofMinutes(31)))).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
		assertThat(this.wal.lag(150, T0.plus(Duration.ofMinutes(31)))).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
	}

}
