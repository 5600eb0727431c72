package io.tally.freshness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.tally.catalog.ReportDefinition;

import org.springframework.stereotype.Component;

/**
 * The one home of "how old" and "stale": every answer's freshness, the {@code tally.refresh.age}
 * metric and the {@code viewFreshness} health component ask it, so they cannot disagree. Data is
 * stale when it was never refreshed, is older than the report's allowed staleness, or the view's
 * last refresh failed (the data then is older than it should be, whatever its age).
 */
@Component
public class FreshnessPolicy {

	private final Clock clock;

	FreshnessPolicy(Clock clock) {
		this.clock = clock;
	}

	/** The age of a view's data now; null before its first refresh. */
	Duration age(ViewStatus status) {
		return age(status, this.clock.instant());
	}

	/** Whether answers of a report read under this ledger status are stale now. */
	boolean stale(ReportDefinition report, ViewStatus status) {
		return stale(report, status, age(status));
	}

	/**
	 * An answer's freshness, computed at response time so a cached answer reports its true age.
	 * @param report the report answered
	 * @param status the view's ledger status the answer was read under
	 * @param cachedAt when the answer was read from the view, if it came from the cache; null otherwise
	 */
	public Freshness describe(ReportDefinition report, ViewStatus status, Instant cachedAt) {
		Instant now = this.clock.instant();
		Duration interval = report.refreshInterval();
		Duration age = age(status, now);
		Instant lastTry = (status.lastAttempt() != null) ? status.lastAttempt().finishedAt() : status.refreshedAt();
		Instant next = (lastTry != null) ? lastTry.plus(interval) : null;
		if (next != null && report.quietWindow() != null) {
			next = report.quietWindow().endAfter(next);
		}
		String description = description(interval, age, status.lastAttemptFailed());
		return new Freshness(utc(status.refreshedAt()), (age != null) ? (int) Math.max(0, age.toSeconds()) : 0,
				(int) interval.toSeconds(), utc(next), stale(report, status, age), (cachedAt != null) ? "CACHE" : "VIEW",
				utc(cachedAt), description);
	}

	private static Duration age(ViewStatus status, Instant now) {
		return (status.refreshedAt() != null) ? Duration.between(status.refreshedAt(), now) : null;
	}

	private static boolean stale(ReportDefinition report, ViewStatus status, Duration age) {
		return age == null || age.compareTo(report.maxStaleness()) > 0 || status.lastAttemptFailed();
	}

	/**
	 * Words a portal can put under a chart as they are: "Updated 46 seconds ago · refreshes every
	 * 5 minutes". Nothing in them is about how Tally serves the answer; clients that format their
	 * own use the structured fields.
	 */
	static String description(Duration interval, Duration age, boolean lastAttemptFailed) {
		String updated = (age == null) ? "Not updated yet"
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
