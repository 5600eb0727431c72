package io.tally.graphql;

import java.time.Duration;

/**
 * A report read needed the database and could not have it: the primary is known to be down, or
 * every pooled connection stayed busy for the whole connection wait. Classified as
 * {@code UNAVAILABLE} like any {@link UnavailableException}, and answered at once rather than
 * after the request timeout, with {@code Retry-After}.
 */
public class DatabaseUnavailableException extends UnavailableException {

	/**
	 * When a retry may succeed: while the primary is down one read this often tries it again, and a
	 * busy pool frees a connection within one read.
	 */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	public DatabaseUnavailableException(String message) {
		super(message);
	}

}
