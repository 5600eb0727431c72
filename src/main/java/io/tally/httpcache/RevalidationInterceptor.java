package io.tally.httpcache;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.ExecutionResult;
import io.tally.graphql.PipelineOrder;
import io.tally.pipeline.DocumentPlan;
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

	/** Request attribute: the entity tags a GET's {@code If-None-Match} names. */
	static final String IF_NONE_MATCH = RevalidationInterceptor.class.getName() + ".ifNoneMatch";

	/** Request attribute set to the current tag when the caller's copy is current. */
	static final String NOT_MODIFIED = RevalidationInterceptor.class.getName() + ".notModified";

	private final AnswerTags tags;

	RevalidationInterceptor(AnswerTags tags) {
		this.tags = tags;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		Map<String, Object> attributes = request.getAttributes();
		DocumentPlan plan = DocumentPlan.in(attributes);
		if (!(attributes.get(IF_NONE_MATCH) instanceof List<?> asked) || asked.isEmpty() || plan == null
				|| !plan.keepable()) {
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
			.filter(tag -> asked.contains(tag.etag()))
			.findFirst();
		if (current.isEmpty()) {
			return chain.next(request);
		}
		attributes.put(NOT_MODIFIED, current.get());
		ExecutionResult nothing = ExecutionResult.newExecutionResult().build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), nothing)));
	}

}
