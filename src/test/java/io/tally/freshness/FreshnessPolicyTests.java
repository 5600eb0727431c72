package io.tally.freshness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ArgumentRules;
import io.tally.catalog.QuietWindow;
import io.tally.catalog.ReportDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code refreshedAt}, {@code nextRefreshAt} and {@code cachedAt} say in each state of a
 * five-minute schedule, at 12:00 UTC.
 */
class FreshnessPolicyTests {

	private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

	private final FreshnessPolicy policy = new FreshnessPolicy(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void afterARefreshTheNextIsDueOneIntervalAfterItEnded() {
		Freshness freshness = describe(null, status(11, 58, ViewStatus.Outcome.SUCCESS, 11, 58), null);

		assertThat(freshness.refreshedAt()).isEqualTo(at(11, 58));
		assertThat(freshness.nextRefreshAt()).isEqualTo(at(12, 3));
		assertThat(freshness.stale()).isFalse();
	}

	@Test
	void afterUnchangedChecksTheNextIsDueOneIntervalAfterTheLastCheckNeverInThePast() {
		// Refreshed at 10:00, then every check found the sources unchanged, the last at 11:57.
		Freshness freshness = describe(null, status(11, 57, ViewStatus.Outcome.SUCCESS, 10, 0), null);

		assertThat(freshness.refreshedAt()).as("the data was confirmed current at the last check").isEqualTo(at(11, 57));
		assertThat(freshness.nextRefreshAt()).isEqualTo(at(12, 2)).isAfter(at(12, 0));
		assertThat(freshness.ageSeconds()).isEqualTo(180);
	}

	@Test
	void aCachedAnswerKeepsTheTimeItWasReadWhileChecksMoveRefreshedAt() {
		Freshness freshness = describe(null, status(11, 57, ViewStatus.Outcome.SUCCESS, 10, 0),
				at(10, 30).toInstant());

		assertThat(freshness.cachedAt()).isEqualTo(at(10, 30));
		assertThat(freshness.refreshedAt()).isEqualTo(at(11, 57));
		assertThat(freshness.servedFrom()).isEqualTo("CACHE");
	}

	@Test
	void afterAFailedRefreshTheNextIsDueOneIntervalAfterTheFailureAndTheAnswerIsStale() {
		Freshness freshness = describe(null, status(11, 50, ViewStatus.Outcome.FAILED, 11, 56), null);

		assertThat(freshness.refreshedAt()).isEqualTo(at(11, 50));
		assertThat(freshness.nextRefreshAt()).isEqualTo(at(12, 1));
		assertThat(freshness.stale()).isTrue();
	}

	@Test
	void aCheckInsideAQuietWindowPutsTheNextRefreshAtTheWindowsEnd() {
		Freshness freshness = describe(QuietWindow.parse("11:00-13:00"),
				status(11, 57, ViewStatus.Outcome.SUCCESS, 10, 0), null);

		assertThat(freshness.nextRefreshAt()).isEqualTo(at(13, 0));
	}

	@Test
	void beforeTheFirstRefreshNothingIsDue() {
		Freshness freshness = describe(null, new ViewStatus("v", 0, null, null), null);

		assertThat(freshness.refreshedAt()).isNull();
		assertThat(freshness.nextRefreshAt()).isNull();
		assertThat(freshness.stale()).isTrue();
	}

	private Freshness describe(QuietWindow quiet, ViewStatus status, Instant cachedAt) {
		ReportDefinition report = new ReportDefinition("r", "v", Duration.ofMinutes(5), Duration.ofMinutes(10), quiet,
				List.of(), List.of(), Map.of(), false, ArgumentRules.NONE, null);
		return this.policy.describe(report, status, cachedAt);
	}

	/**
	 * @param refreshedHour the last success, or the last unchanged-check after it
	 * @param attemptHour the last attempt that did something (success or failure)
	 */
	private static ViewStatus status(int refreshedHour, int refreshedMinute, ViewStatus.Outcome outcome,
			int attemptHour, int attemptMinute) {
		Instant attempt = at(attemptHour, attemptMinute).toInstant();
		return new ViewStatus("v", 1, at(refreshedHour, refreshedMinute).toInstant(),
				new ViewStatus.Attempt(outcome, attempt.minusSeconds(1), attempt, null,
						(outcome == ViewStatus.Outcome.FAILED) ? "boom" : null));
	}

	private static OffsetDateTime at(int hour, int minute) {
		return OffsetDateTime.of(2026, 11, 21, hour, minute, 0, 0, ZoneOffset.UTC);
	}

}
