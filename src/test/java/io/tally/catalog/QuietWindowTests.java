package io.tally.catalog;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Quiet windows are UTC times of day, start inclusive, end exclusive, and may wrap past midnight.
 */
class QuietWindowTests {

	@Test
	void holdsTheTimesFromItsStartUntilItsEnd() {
		QuietWindow night = QuietWindow.parse("02:00-04:00");

		assertThat(night.contains(Instant.parse("2026-11-21T01:59:59Z"))).isFalse();
		assertThat(night.contains(Instant.parse("2026-11-21T02:00:00Z"))).isTrue();
		assertThat(night.contains(Instant.parse("2026-11-21T03:59:59Z"))).isTrue();
		assertThat(night.contains(Instant.parse("2026-11-21T04:00:00Z"))).isFalse();
		assertThat(night.endAfter(Instant.parse("2026-11-21T03:00:00Z"))).isEqualTo(Instant.parse("2026-11-21T04:00:00Z"));
		assertThat(night.endAfter(Instant.parse("2026-11-21T05:00:00Z"))).isEqualTo(Instant.parse("2026-11-21T05:00:00Z"));
	}

	@Test
	void wrapsPastMidnight() {
		QuietWindow lateNight = QuietWindow.parse("22:30-01:00");

		assertThat(lateNight.contains(Instant.parse("2026-11-21T23:00:00Z"))).isTrue();
		assertThat(lateNight.contains(Instant.parse("2026-11-22T00:30:00Z"))).isTrue();
		assertThat(lateNight.contains(Instant.parse("2026-11-21T12:00:00Z"))).isFalse();
		assertThat(lateNight.endAfter(Instant.parse("2026-11-21T23:00:00Z"))).isEqualTo(Instant.parse("2026-11-22T01:00:00Z"));
	}

	@Test
	void rejectsAnythingButTwoTimesOfDay() {
		assertThatIllegalArgumentException().isThrownBy(() -> QuietWindow.parse("2am-4am"))
			.withMessageContaining("02:00-04:00");
		assertThatIllegalArgumentException().isThrownBy(() -> QuietWindow.parse("24:00-01:00"));
		assertThatIllegalArgumentException().isThrownBy(() -> QuietWindow.parse("03:00-03:00"));
	}

}
