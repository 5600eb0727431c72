package io.tally.response;

import java.time.Clock;
import java.time.Instant;

import graphql.ExecutionResult;
import io.tally.graphql.InterceptorOrder;
import io.tally.tenancy.Caller;
import io.tally.tenancy.TenancyProperties;
import io.tally.tenancy.TenantResolver;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JacksonSerializable;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Answers a request from the response cache when the same tenant asked the same thing and every
 * view it read is unchanged; otherwise executes it and keeps the answer when it has no errors.
 * Innermost of the interceptors, so every limit and check before it still runs on a hit; the
 * tenant is resolved from the verified token exactly as the report fetcher resolves it, so an
 * answer is only ever sent to the tenant it was read for. Admins are not served from it: each of
 * their reads is audited.
 */
@Component
@Order(InterceptorOrder.RESPONSE_CACHE)
class ResponseCacheInterceptor implements WebGraphQlInterceptor {

	private final ResponseCache cache;

	private final TenantResolver tenants;

	private final String tenantHeader;

	private final Clock clock;

	ResponseCacheInterceptor(ResponseCache cache, TenantResolver tenants, TenancyProperties tenancy, Clock clock) {
		this.cache = cache;
		this.tenants = tenants;
		this.tenantHeader = tenancy.tenantHeader();
		this.clock = clock;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!this.cache.enabled()) {
			return chain.next(request);
		}
		// Forbidden, no tenant chosen, no token: execution reports (and logs) it per field, as without the cache.
		Caller caller = this.tenants.lookAhead(request.getHeaders().getFirst(this.tenantHeader)).orElse(null);
		if (caller == null) {
			return chain.next(request);
		}
		if (caller.admin()) {
			return chain.next(request);
		}
		ResponseKey key = new ResponseKey(caller.tenantId(), request.getDocument(), request.getOperationName(),
				request.getVariables());
		ResponseRecording recording = ResponseRecording.of(request);
		JacksonSerializable kept = this.cache.answer(key, recording);
		if (kept != null) {
			ExecutionResult result = ExecutionResult.newExecutionResult().data(kept).build();
			return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result)));
		}
		Instant askedAt = this.clock.instant();
		return chain.next(request).doOnNext(response -> {
			ExecutionResult result = response.getExecutionResult();
			if (result.isDataPresent() && result.getErrors().isEmpty()
					&& (result.getExtensions() == null || result.getExtensions().isEmpty())) {
				this.cache.keep(key, result.getData(), recording, askedAt);
			}
		});
	}

}
