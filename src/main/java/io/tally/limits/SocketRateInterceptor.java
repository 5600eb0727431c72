package io.tally.limits;

import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.graphql.InterceptorOrder;
import io.tally.graphql.TallyErrorType;
import io.tally.tenancy.TenancyProperties;
import io.tally.tenancy.TenantResolver;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * The request rate and the caller's limits for each operation on a WebSocket, which no servlet
 * filter sees: {@link RequestRateFilter}'s bucket, drained per operation, and the same limits
 * handed to execution. A refused operation is answered with {@code TOO_MANY_REQUESTS} and the
 * connection stays open.
 */
@Component
@Order(InterceptorOrder.SOCKET_RATE)
class SocketRateInterceptor implements WebGraphQlInterceptor {

	private final RequestBuckets buckets;

	private final TenantResolver tenants;

	private final String tenantHeader;

	private final LimitsProperties limits;

	private final int maxReportFields;

	private final LimitRejections rejections;

	SocketRateInterceptor(RequestBuckets buckets, TenantResolver tenants, TenancyProperties tenancy,
			LimitsProperties limits, GraphQlLimitsProperties graphQl, LimitRejections rejections) {
		this.buckets = buckets;
		this.tenants = tenants;
		this.tenantHeader = tenancy.tenantHeader();
		this.limits = limits;
		this.maxReportFields = graphQl.maxReportFields();
		this.rejections = rejections;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest)) {
			return chain.next(request);
		}
		CallerLimits caller = this.tenants.requester(request.getHeaders().getFirst(this.tenantHeader))
			.map(requester -> CallerLimits.of(requester, this.limits, this.maxReportFields))
			.orElse(null);
		if (caller == null) {
			return chain.next(request);
		}
		ConsumptionProbe probe = this.buckets.take(caller);
		if (!probe.isConsumed()) {
			this.rejections.count("rate");
			ExecutionResult refused = ExecutionResult.newExecutionResult()
				.addError(GraphqlErrorBuilder.newError()
					.errorType(TallyErrorType.TOO_MANY_REQUESTS)
					.message("Too many requests for this tenant: at most " + caller.requestsPerSecond() + " a second (bursts of "
							+ caller.burst() + "); retry after " + RequestBuckets.retryAfter(probe) + " s")
					.build())
				.build();
			return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused)));
		}
		// Where LimitsInterceptor puts the servlet filter's limits, for the report-field cap and the read slots.
		request.configureExecutionInput(
				(input, builder) -> builder.graphQLContext(Map.of(CallerLimits.ATTRIBUTE, caller)).build());
		return chain.next(request);
	}

}
