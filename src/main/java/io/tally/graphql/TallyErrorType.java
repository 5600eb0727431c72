package io.tally.graphql;

import graphql.ErrorClassification;

/**
 * Error classifications beyond Spring for GraphQL's {@code ErrorType}, for failures a caller may retry.
 */
public enum TallyErrorType implements ErrorClassification {

	/** The report query ran longer than its statement timeout. */
	TIMEOUT,

	/**
	 * The answer needed the database and no cached answer exists, but the database is down or all
	 * its connections are busy; the HTTP answer carries {@code Retry-After}.
	 */
	UNAVAILABLE,

	/** A limit on open resources (live subscriptions) was reached; retry once one is released. */
	LIMIT_EXCEEDED,

	/** The tenant is at one of its limits; the HTTP answer is a 429 with {@code Retry-After}. */
	TOO_MANY_REQUESTS

}
