package io.tally.pipeline;

import io.tally.graphql.PipelineOrder;
import io.tally.graphql.TallyErrorType;
import io.tally.limits.CallerLimits;
import io.tally.limits.RequestLimits;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.stereotype.Component;

/**
 * The request rate for each operation on a WebSocket, which no servlet filter sees: the caller's
 * bucket, the same one its HTTP requests drain ({@link RateLimitFilter}), taken per operation. A
 * refused operation is answered with {@code TOO_MANY_REQUESTS} and the connection stays open.
 */
@Component
@Order(PipelineOrder.SOCKET_RATE_LIMIT)
class SocketRateInterceptor implements WebGraphQlInterceptor {

	private final RequestLimits limits;

	SocketRateInterceptor(RequestLimits limits) {
		this.limits = limits;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		RequestContext context = RequestContext.in(request.getAttributes());
		if (!(request instanceof WebSocketGraphQlRequest) || context == null) {
			return chain.next(request);
		}
		CallerLimits caller = context.limits();
		long retryAfter = this.limits.take(caller);
		if (retryAfter > 0) {
			return Refusals.refuse(request, TallyErrorType.TOO_MANY_REQUESTS, "Too many requests for this tenant: at most "
					+ caller.requestsPerSecond() + " a second (bursts of " + caller.burst() + "); retry after "
					+ retryAfter + " s");
		}
		return chain.next(request);
	}

}
