package io.tally.freshness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.tally.catalog.ReportDefinition;

import org.springframework.stereotype.Component;

/**
 * Computes an answer's freshness at response time, so a cached answer reports its true age.
 */
@Component
public class FreshnessCalculator {

	private final Clock clock;

	FreshnessCalculator(Clock clock) {
		this.clock = clock;
	}

	/**
	 * @param report the report answered
	 * @param status the view's ledger status the answer was read under
	 * @param cachedAt when the answer was read from the view, if it came from the cache; null otherwise
	 */
	public Freshness describe(ReportDefinition report, ViewStatus status, Instant cachedAt) {
		Instant now = this.clock.instant();
		Duration interval = report.refreshInterval();
		Instant refreshedAt = status.refreshedAt();
		Duration age = (refreshedAt != null) ? Duration.between(refreshedAt, now) : Duration.ZERO;
		Instant lastTry = (status.lastAttempt() != null) ? status.lastAttempt().finishedAt() : refreshedAt;
		Instant next = (lastTry != null) ? lastTry.plus(interval) : null;
		if (next != null && report.quietWindow() != null) {
			next = report.quietWindow().endAfter(next);
		}
		boolean stale = refreshedAt == null || age.compareTo(report.maxStaleness()) > 0 || status.lastAttemptFailed();
		String description = description(interval, refreshedAt, age, status.lastAttemptFailed());
		return new Freshness(utc(refreshedAt), (int) Math.max(0, age.toSeconds()), (int) interval.toSeconds(),
				utc(next), stale, (cachedAt != null) ? "CACHE" : "VIEW", utc(cachedAt), description);
	}

	/**
	 * Words a portal can put under a chart as they are: "Updated 46 seconds ago · refreshes every
	 * 5 minutes". Nothing in them is about how Tally serves the answer; clients that format their
	 * own use the structured fields.
	 */
	static String description(Duration interval, Instant refreshedAt, Duration age, boolean lastAttemptFailed) {
		String updated = (refreshedAt == null) ? "Not updated yet"
				: (age.toSeconds() < 1) ? "Updated just now" : "Updated " + words(age) + " ago";
		String failed = lastAttemptFailed ? " · the latest update failed, so this is earlier data" : "";
		return updated + failed + " · refreshes every " + words(interval);
	}

	/** "5 minutes", "1 hour", "12 seconds": the largest whole unit. */
	static String words(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		if (seconds >= 86_400 && seconds % 86_400 == 0 || seconds >= 2 * 86_400) {
			return plural(seconds / 86_400, "day");
		}
		if (seconds >= 3_600 && seconds % 3_600 == 0 || seconds >= 2 * 3_600) {
			return plural(seconds / 3_600, "hour");
		}
		if (seconds >= 60) {
			return plural(seconds / 60, "minute");
		}
		return plural(seconds, "second");
	}

	private static String plural(long amount, String unit) {
		return amount + " " + unit + ((amount == 1) ? "" : "s");
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
