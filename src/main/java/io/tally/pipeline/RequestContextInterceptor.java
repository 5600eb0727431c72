package io.tally.pipeline;

import java.util.Map;

import graphql.parser.ParserOptions;
import io.tally.graphql.DatabaseUnavailableException;
import io.tally.graphql.PipelineOrder;
import io.tally.graphql.TallyErrorType;
import io.tally.limits.LimitedResponse;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Hands the request context, resolved once by {@link CallerFilter}, to execution and its data
 * fetchers through the GraphQL context, with the parser limits every document is parsed with
 * (graphql-java reads them per request there). A request without a context (no verified token)
 * goes no further. An answer refused by a limit while fields ran (a tenant's read slots all taken)
 * becomes a 429 with {@code Retry-After}, as the request-rate limit is; an answer the database
 * could not give ({@code UNAVAILABLE}) stays a 200 with its GraphQL error but says when to come back.
 */
@Component
@Order(PipelineOrder.REQUEST_CONTEXT)
class RequestContextInterceptor implements WebGraphQlInterceptor {

	private final ParserOptions parserOptions;

	RequestContextInterceptor(ParserOptions operationParserOptions) {
		this.parserOptions = operationParserOptions;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		RequestContext context = RequestContext.in(request.getAttributes());
		if (context == null) {
			return Refusals.refuse(request, ErrorType.UNAUTHORIZED, "A bearer token is required");
		}
		request.configureExecutionInput((input, builder) -> builder
			.graphQLContext(Map.of(RequestContext.ATTRIBUTE, context, ParserOptions.class, this.parserOptions))
			.build());
		return chain.next(request).doOnNext(response -> {
			boolean refused = response.getErrors()
				.stream()
				.anyMatch(error -> error.getErrorType() == TallyErrorType.TOO_MANY_REQUESTS);
			if (refused && request.getAttributes().get(LimitedResponse.ATTRIBUTE) instanceof LimitedResponse limited) {
				limited.reject(1);
			}
			if (response.getErrors().stream().anyMatch(error -> error.getErrorType() == TallyErrorType.UNAVAILABLE)) {
				response.getResponseHeaders()
					.set(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseUnavailableException.RETRY_AFTER.toSeconds()));
			}
		});
	}

}
