package io.tally.response;

import java.time.Clock;
import java.time.Instant;

import graphql.ExecutionResult;
import io.tally.graphql.PipelineOrder;
import io.tally.pipeline.DocumentPlans;
import io.tally.pipeline.RequestContext;
import io.tally.tenancy.Caller;
import io.tally.tracing.Spans;
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
 * After every check of the pipeline, so a kept answer is only ever sent to a caller those checks
 * let through; the tenant comes from the request context, as the report fetcher's does. Only
 * documents whose plan says their answer depends on nothing but tenant, document, variables and
 * view generations are kept: not {@code viewer} (it names the caller), not a subscription. Admins
 * are not served from it: each of their reads is audited.
 */
@Component
@Order(PipelineOrder.RESPONSE_CACHE)
class ResponseCacheInterceptor implements WebGraphQlInterceptor {

	private final ResponseCache cache;

	private final DocumentPlans plans;

	private final Clock clock;

	private final Spans spans;

	ResponseCacheInterceptor(ResponseCache cache, DocumentPlans plans, Clock clock, Spans spans) {
		this.cache = cache;
		this.plans = plans;
		this.clock = clock;
		this.spans = spans;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!this.cache.enabled() || !this.plans.plan(request).keepable()) {
			return chain.next(request);
		}
		// Forbidden or no tenant chosen: execution reports (and audits) it per field, as without the cache.
		Caller caller = RequestContext.of(request).caller().settledCaller();
		if (caller == null || caller.admin()) {
			return chain.next(request);
		}
		ResponseKey key = new ResponseKey(caller.tenantId(), request.getDocument(), request.getOperationName(),
				request.getVariables());
		ResponseRecording recording = ResponseRecording.of(request);
		JacksonSerializable kept = Spans.observe(this.spans.span("tally.kept.lookup", "kept answer lookup", caller.tenantId()),
				() -> this.cache.answer(key, recording), answer -> (answer != null) ? "hit" : "miss");
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
