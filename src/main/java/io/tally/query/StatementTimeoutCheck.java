package io.tally.query;

import io.tally.graphql.GraphQlLimitsProperties;

import org.springframework.stereotype.Component;

/**
 * A request timeout is only honest if PostgreSQL stops the query first: a timed-out request cannot
 * interrupt a JDBC call in progress, so Tally refuses to start when a report statement may outlive
 * its request. It lives here, beside the statement timeout, because {@code graphql} knows nothing
 * of report queries.
 */
@Component
class StatementTimeoutCheck {

	StatementTimeoutCheck(QueryProperties query, GraphQlLimitsProperties limits) {
		if (query.statementTimeout().compareTo(limits.requestTimeout()) >= 0) {
			throw new IllegalStateException("tally.query.statement-timeout (" + query.statementTimeout()
					+ ") must be shorter than tally.graphql.request-timeout (" + limits.requestTimeout()
					+ "), so a report query is cancelled before its request times out");
		}
	}

}
