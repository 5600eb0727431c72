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
		Instant now = this.clock.instant();
		return stale(report, status, age(status, now), now);
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
		// The schedule's last turn is the later of the last refresh attempt and the last unchanged-check
		// (which moves refreshedAt, not the attempt): counting only attempts put nextRefreshAt in the past.
		Instant lastTry = latest((status.lastAttempt() != null) ? status.lastAttempt().finishedAt() : null,
				status.refreshedAt());
		Instant next = (lastTry != null) ? lastTry.plus(interval) : null;
		if (next != null && report.quietWindow() != null) {
			next = report.quietWindow().endAfter(next);
		}
		String description = description(interval, age, status.lastAttemptFailed()) + parts(status, now);
		return new Freshness(utc(status.refreshedAt()), (age != null) ? (int) Math.max(0, age.toSeconds()) : 0,
				(int) interval.toSeconds(), utc(next), stale(report, status, age, now), (cachedAt != null) ? "CACHE" : "VIEW",
				utc(cachedAt), description);
	}

	private static Duration age(ViewStatus status, Instant now) {
		return (status.refreshedAt() != null) ? Duration.between(status.refreshedAt(), now) : null;
	}

	private static boolean stale(ReportDefinition report, ViewStatus status, Duration age, Instant now) {
		if (!status.parts().isEmpty()) {
			// Each part of a split view against its own allowance: the history is refreshed more rarely.
			return status.parts().stream().anyMatch(part -> {
				Duration partAge = age(part, now);
				return partAge == null || partAge.compareTo(report.maxStalenessOf(part.view())) > 0
						|| part.lastAttemptFailed();
			});
		}
		return age == null || age.compareTo(report.maxStaleness()) > 0 || status.lastAttemptFailed();
	}

	/**
	 * For an answer read from both parts of a split view whose ages differ in words, names each:
	 * " · recent days updated 2 minutes ago, older days 6 hours ago".
	 */
	private static String parts(ViewStatus status, Instant now) {
		if (status.parts().size() < 2) {
			return "";
		}
		Duration history = age(status.parts().get(0), now);
		Duration recent = age(status.parts().get(1), now);
		if (history == null || recent == null || words(history).equals(words(recent))) {
			return "";
		}
		return " · recent days updated " + words(recent) + " ago, older days " + words(history) + " ago";
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

	private static Instant latest(Instant a, Instant b) {
		return (a == null) ? b : (b == null || a.isAfter(b)) ? a : b;
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
