package io.tally.httpcache;

import java.util.Optional;

import graphql.ExecutionResult;
import io.tally.graphql.PipelineOrder;
import io.tally.pipeline.DocumentPlan;
import io.tally.pipeline.DocumentPlans;
import io.tally.pipeline.RequestContext;
import io.tally.tenancy.Caller;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * A GET's revalidation ({@code If-None-Match}) answered without reading anything, once every
 * check before it (the caller, its limits, trusted documents) has passed: a 304 is an answer like
 * any other and may only reach a caller the pipeline lets through. It matches the tags the
 * sources that may serve the reports would give now, from the request context and the in-memory
 * ledger copies only. Admins are always answered in full, as each of their reads is audited.
 */
@Component
@Order(PipelineOrder.REVALIDATION)
class RevalidationInterceptor implements WebGraphQlInterceptor {

	private final AnswerTags tags;

	private final DocumentPlans plans;

	RevalidationInterceptor(AnswerTags tags, DocumentPlans plans) {
		this.tags = tags;
		this.plans = plans;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request.getAttributes().get(Revalidation.ATTRIBUTE) instanceof Revalidation revalidation)
				|| revalidation.asked().isEmpty()) {
			return chain.next(request);
		}
		DocumentPlan plan = this.plans.plan(request);
		if (!plan.keepable()) {
			return chain.next(request);
		}
		Caller caller = RequestContext.of(request).caller().settledCaller();
		if (caller == null || caller.admin()) {
			return chain.next(request);
		}
		AnswerTags.Who who = new AnswerTags.Who(caller.tenantId(), caller.subject(), request.getDocument(),
				request.getOperationName(), request.getVariables());
		Optional<AnswerTags.Tag> current = this.tags.current(who, plan.rootReports())
			.stream()
			.filter(tag -> revalidation.asked().contains(tag.etag()))
			.findFirst();
		if (current.isEmpty()) {
			return chain.next(request);
		}
		revalidation.notModified(current.get());
		ExecutionResult nothing = ExecutionResult.newExecutionResult().build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), nothing)));
	}

}
