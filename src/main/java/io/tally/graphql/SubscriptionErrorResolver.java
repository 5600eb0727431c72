package io.tally.graphql;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/**
 * The errors a live subscription ends with, classified as the same failure would be in a query:
 * a refused tenant, a bad argument, too many open streams. Anything else is left to Spring for
 * GraphQL's generic error, which reveals nothing.
 */
@Component
class SubscriptionErrorResolver extends SubscriptionExceptionResolverAdapter {

	@Override
	protected GraphQLError resolveToSingleError(Throwable ex) {
		ErrorClassification type = classify(ex);
		return (type != null) ? GraphqlErrorBuilder.newError().errorType(type).message(ex.getMessage()).build() : null;
	}

	/** The classification of an exception written for callers, or null for any other. */
	static ErrorClassification classify(Throwable ex) {
		if (ex instanceof BadRequestException) {
			return ErrorType.BAD_REQUEST;
		}
		if (ex instanceof ForbiddenException) {
			return ErrorType.FORBIDDEN;
		}
		if (ex instanceof NotFoundException) {
			return ErrorType.NOT_FOUND;
		}
		if (ex instanceof LimitExceededException) {
			return TallyErrorType.LIMIT_EXCEEDED;
		}
		if (ex instanceof UnavailableException) {
			return TallyErrorType.UNAVAILABLE;
		}
		if (ex instanceof TooManyRequestsException) {
			return TallyErrorType.TOO_MANY_REQUESTS;
		}
		return null;
	}

}
