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
		// The schedule's last turn is the later of the last refresh attempt and the last unchanged-check
		// (which moves refreshedAt, not the attempt): counting only attempts put nextRefreshAt in the past.
		Instant lastTry = latest((status.lastAttempt() != null) ? status.lastAttempt().finishedAt() : null, refreshedAt);
		Instant next = (lastTry != null) ? lastTry.plus(interval) : null;
		if (next != null && report.quietWindow() != null) {
			next = report.quietWindow().endAfter(next);
		}
		boolean stale = refreshedAt == null || age.compareTo(report.maxStaleness()) > 0 || status.lastAttemptFailed();
		String description = "Refreshed every " + words(interval) + "; "
				+ ((refreshedAt != null) ? "last " + words(age) + " ago" : "not refreshed yet")
				+ (status.lastAttemptFailed() ? "; the last refresh failed, so this is older data" : "")
				+ ((cachedAt != null) ? "; served from cache" : "");
		return new Freshness(utc(refreshedAt), (int) Math.max(0, age.toSeconds()), (int) interval.toSeconds(),
				utc(next), stale, (cachedAt != null) ? "CACHE" : "VIEW", utc(cachedAt), description);
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

	private static Instant latest(Instant a, Instant b) {
		return (a == null) ? b : (b == null || a.isAfter(b)) ? a : b;
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
