package io.tally.tenancy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The security log, logger {@code io.tally.audit} at INFO: refused tokens and refused tenants.
 * A flood of bad requests must not fill the disk, so lines beyond a steady rate are counted
 * instead of written, and the next line written says how many were dropped. Values that came
 * from a caller are cut short before they are logged.
 */
public final class Audit {

	private static final Logger logger = LoggerFactory.getLogger("io.tally.audit");

	/** Longest caller-supplied value written to the log or echoed in a message. */
	static final int MAX_VALUE_LENGTH = 64;

	/** 20 lines a second on average, bursts of 200. */
	private static final Bucket lines = Bucket.builder()
		.addLimit(limit -> limit.capacity(200).refillGreedy(20, Duration.ofSeconds(1)))
		.build();

	private static final AtomicLong dropped = new AtomicLong();

	private Audit() {
	}

	/** A caller's value, at most {@link #MAX_VALUE_LENGTH} characters and printable, for logs and messages. */
	public static String truncated(String value) {
		if (value == null) {
			return null;
		}
		String printable = value.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() <= MAX_VALUE_LENGTH) ? printable
				: printable.substring(0, MAX_VALUE_LENGTH) + "...(" + value.length() + " characters)";
	}

	static void unauthorized(String reason, String issuer, String keyId) {
		LoggingEventBuilder event = event("unauthorized");
		if (event != null) {
			event.addKeyValue("reason", reason)
				.addKeyValue("issuer", truncated(issuer))
				.addKeyValue("kid", truncated(keyId))
				.log("401 {} (issuer {}, kid {})", reason, truncated(issuer), truncated(keyId));
		}
	}

	static void forbidden(String subject, String issuer, String requestedTenant, String reason) {
		LoggingEventBuilder event = event("forbidden");
		if (event != null) {
			event.addKeyValue("subject", truncated(subject))
				.addKeyValue("issuer", truncated(issuer))
				.addKeyValue("requestedTenant", truncated(requestedTenant))
				.addKeyValue("reason", reason)
				.log("FORBIDDEN for {} of {} asking for tenant {}: {}", truncated(subject), truncated(issuer),
						truncated(requestedTenant), reason);
		}
	}

	private static LoggingEventBuilder event(String name) {
		if (!logger.isInfoEnabled()) {
			return null;
		}
		if (!lines.tryConsume(1)) {
			dropped.incrementAndGet();
			return null;
		}
		long skipped = dropped.getAndSet(0);
		if (skipped > 0) {
			logger.atInfo().addKeyValue("event", "dropped").addKeyValue("lines", skipped)
				.log("{} security log lines were dropped by the log's rate limit", skipped);
		}
		return logger.atInfo().addKeyValue("event", name);
	}

}
