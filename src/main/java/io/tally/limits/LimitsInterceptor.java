package io.tally.limits;

import java.util.Map;

import io.tally.graphql.DatabaseUnavailableException;
import io.tally.graphql.InterceptorOrder;
import io.tally.graphql.TallyErrorType;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Carries the caller's limits from the HTTP request into GraphQL execution, where the report-field
 * cap and the read slots apply them, and turns an answer refused by a limit into a 429. An answer
 * with an {@code UNAVAILABLE} error gets {@code Retry-After}.
 */
@Component
@Order(InterceptorOrder.LIMITS)
class LimitsInterceptor implements WebGraphQlInterceptor {

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		Object limits = request.getAttributes().get(CallerLimits.ATTRIBUTE);
		if (limits != null) {
			request.configureExecutionInput(
					(input, builder) -> builder.graphQLContext(Map.of(CallerLimits.ATTRIBUTE, limits)).build());
		}
		return chain.next(request).doOnNext(response -> {
			boolean refused = response.getErrors()
				.stream()
				.anyMatch(error -> error.getErrorType() == TallyErrorType.TOO_MANY_REQUESTS);
			if (refused && request.getAttributes().get(LimitedResponse.ATTRIBUTE) instanceof LimitedResponse limited) {
				limited.reject(1);
			}
			// Still a 200 with the GraphQL error, but HTTP clients learn when to come back.
			if (response.getErrors().stream().anyMatch(error -> error.getErrorType() == TallyErrorType.UNAVAILABLE)) {
				response.getResponseHeaders()
					.set(HttpHeaders.RETRY_AFTER,
							Long.toString(DatabaseUnavailableException.RETRY_AFTER.toSeconds()));
			}
		});
	}

}
