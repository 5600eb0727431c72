package io.tally.pipeline;

import io.tally.graphql.PipelineOrder;
import io.tally.limits.LimitRejections;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Finds the document's plan and holds the caller to its report-field cap
 * ({@code tally.graphql.max-report-fields} or its override): at most that many report fields per
 * query, each alias counting, through fragments too. Checked here, before a kept answer, a
 * compiled answer or execution could answer, so an over-cap request reads nothing and no cache
 * answers it for a caller another caller's cap allowed. Without it one request of 48 aliases of
 * one report runs 48 reads.
 */
@Component
@Order(PipelineOrder.FIELD_LIMITS)
class FieldLimitsInterceptor implements WebGraphQlInterceptor {

	private final DocumentPlans plans;

	private final LimitRejections rejections;

	FieldLimitsInterceptor(DocumentPlans plans, LimitRejections rejections) {
		this.plans = plans;
		this.rejections = rejections;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		DocumentPlan plan = this.plans.plan(request);
		int cap = RequestContext.of(request).limits().maxReportFields();
		if (plan.isQuery() && plan.reportFields() > cap) {
			this.rejections.count("fields");
			return Refusals.refuse(request, ErrorType.BAD_REQUEST, "The request asks for " + plan.reportFields()
					+ " report fields; at most " + cap + " are allowed per request (tally.graphql.max-report-fields), "
					+ "aliases included");
		}
		return chain.next(request);
	}

}
