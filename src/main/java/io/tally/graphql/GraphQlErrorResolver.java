package io.tally.graphql;

import java.util.UUID;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Turns exceptions into GraphQL errors a caller can act on. Only messages written for callers
 * are shown; anything unexpected becomes a generic error whose reference is also in the log, so
 * no SQL, stack trace or class name ever reaches a client.
 */
@Component
class GraphQlErrorResolver extends DataFetcherExceptionResolverAdapter {

	private static final Logger logger = LoggerFactory.getLogger(GraphQlErrorResolver.class);

	/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout. */
	private static final String QUERY_CANCELED = "57014";

	@Override
	protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
		ErrorClassification known = SubscriptionErrorResolver.classify(ex);
		if (known != null) {
			return error(env, known, ex.getMessage());
		}
		if (ex instanceof AccessDeniedException) {
			return error(env, ErrorType.FORBIDDEN, "Only admins may do this");
		}
		if (isTimeout(ex)) {
			logger.warn("Query for {} timed out", env.getField().getName());
			return error(env, TallyErrorType.TIMEOUT,
					"The report query took longer than its time limit; try a smaller range or retry later");
		}
		if (ex instanceof CannotCreateTransactionException || ex instanceof DataAccessResourceFailureException) {
			logger.warn("Database unavailable for {}: {}", env.getField().getName(), ex.getMessage());
			return error(env, TallyErrorType.UNAVAILABLE, "The report database is unavailable; retry later");
		}
		String reference = UUID.randomUUID().toString();
		logger.error("Unexpected error {} in {}", reference, env.getField().getName(), ex);
		return error(env, ErrorType.INTERNAL_ERROR, "Internal error; reference " + reference);
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof QueryTimeoutException) {
				return true;
			}
			if (cause instanceof PSQLException psql && QUERY_CANCELED.equals(psql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	private static GraphQLError error(DataFetchingEnvironment env, graphql.ErrorClassification type, String message) {
		return GraphqlErrorBuilder.newError(env).errorType(type).message(message).build();
	}

}
