package io.tally.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily stretch of UTC time in which a report's view is not refreshed on schedule, for example
 * while the source tables are bulk-loaded at night. It may wrap past midnight ("22:00-02:00").
 *
 * @param start when the window opens, UTC
 * @param end when it closes, UTC
 */
public record QuietWindow(LocalTime start, LocalTime end) {

	/** How a window is written: "02:00-04:00". */
	public static final String FORMAT = "((?:[01]\\d|2[0-3]):[0-5]\\d)-((?:[01]\\d|2[0-3]):[0-5]\\d)";

	private static final Pattern PATTERN = Pattern.compile(FORMAT);

	public QuietWindow {
		if (start.equals(end)) {
			throw new IllegalArgumentException("A quiet window must not start and end at the same time");
		}
	}

	/**
	 * Reads "HH:mm-HH:mm", UTC.
	 * @throws IllegalArgumentException when the text is not such a window
	 */
	public static QuietWindow parse(String text) {
		Matcher matcher = PATTERN.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a UTC time window such as 02:00-04:00");
		}
		return new QuietWindow(LocalTime.parse(matcher.group(1)), LocalTime.parse(matcher.group(2)));
	}

	public boolean contains(Instant instant) {
		LocalTime time = instant.atOffset(ZoneOffset.UTC).toLocalTime();
		return this.start.isBefore(this.end) ? !time.isBefore(this.start) && time.isBefore(this.end)
				: !time.isBefore(this.start) || time.isBefore(this.end);
	}

	/** When the window holding this instant closes; the instant itself when it is outside the window. */
	public Instant endAfter(Instant instant) {
		if (!contains(instant)) {
			return instant;
		}
		LocalTime time = instant.atOffset(ZoneOffset.UTC).toLocalTime();
		Duration untilEnd = Duration.between(time, this.end);
		return instant.plus(untilEnd.isNegative() ? untilEnd.plusDays(1) : untilEnd);
	}

	@Override
	public String toString() {
		return this.start + "-" + this.end;
	}

}
