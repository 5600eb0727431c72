package io.tally.graphql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * A value written into the document ({@code dailyRevenue(from: "2026-02-30")}) is refused by
 * graphql-java with its own internals in the message (the rule's name, the syntax tree's
 * {@code StringValue{value=...}}); this rewrites it to what the same value sent as a variable
 * says: which argument, and the scalar's own explanation.
 */
@Component
@Order(PipelineOrder.LITERAL_MESSAGES)
class LiteralValidationMessages implements WebGraphQlInterceptor {

	/** graphql-java's wording for an argument literal its scalar refused. */
	private static final Pattern WRONG_LITERAL = Pattern
		.compile("Validation error \\(\\w+@\\[[^\\]]*\\]\\) : argument '(\\w+)' with value '.*?' is not a valid '\\w+'(?: - (.*))?",
				Pattern.DOTALL);

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return chain.next(request).map(LiteralValidationMessages::rewritten);
	}

	private static WebGraphQlResponse rewritten(WebGraphQlResponse response) {
		List<GraphQLError> errors = response.getExecutionResult().getErrors();
		if (errors.stream().noneMatch(error -> WRONG_LITERAL.matcher(error.getMessage()).matches())) {
			return response;
		}
		List<GraphQLError> clean = errors.stream().map(LiteralValidationMessages::clean).toList();
		return response.transform(builder -> builder.errors(clean));
	}

	private static GraphQLError clean(GraphQLError error) {
		Matcher literal = WRONG_LITERAL.matcher(error.getMessage());
		if (error.getErrorType() != ErrorType.ValidationError || !literal.matches()) {
			return error;
		}
		String message = "Argument '" + literal.group(1) + "' has an invalid value"
				+ ((literal.group(2) != null) ? ": " + literal.group(2) : "");
		return GraphqlErrorBuilder.newError()
			.message(message)
			.locations(error.getLocations())
			.errorType(error.getErrorType())
			.extensions(error.getExtensions())
			.build();
	}

}
