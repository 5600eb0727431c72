package io.tally.tenancy;

import java.util.Map;

import io.tally.graphql.InterceptorOrder;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Hands the tenant header to the data fetchers, which check it against the token.
 */
@Component
@Order(InterceptorOrder.TENANT_HEADER)
class TenantHeaderInterceptor implements WebGraphQlInterceptor {

	/** GraphQL context key holding the requested tenant. */
	static final String REQUESTED_TENANT = "tally.requestedTenant";

	private final TenancyProperties properties;

	TenantHeaderInterceptor(TenancyProperties properties) {
		this.properties = properties;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		String tenant = request.getHeaders().getFirst(this.properties.tenantHeader());
		if (tenant != null) {
			request.configureExecutionInput((input, builder) -> builder
				.graphQLContext(Map.of(REQUESTED_TENANT, tenant))
				.build());
		}
		return chain.next(request);
	}

}
