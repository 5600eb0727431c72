package io.tally.compiled;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.schema.GraphQLSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.ReportCatalog;
import io.tally.graphql.PipelineOrder;
import io.tally.pipeline.DocumentPlan;
import io.tally.pipeline.DocumentPlans;
import io.tally.pipeline.RequestContext;
import io.tally.query.QueryProperties;
import io.tally.query.ReportDataFetcher;
import io.tally.tenancy.Caller;
import io.tally.tracing.Spans;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Answers a request for a compiled query without executing it field by field: most of a miss's
 * time was graphql-java completing every field of every row, not the database. Innermost, in place
 * of execution, so every check and limit of the pipeline (the report-field cap included) runs
 * before it and the response cache keeps its answers as it keeps executed ones. Whatever it does
 * not answer itself it hands to execution: a document not compiled (yet), an admin (each read
 * audited), a caller refused for its tenant, variables that do not coerce, and a read that failed
 * or broke its type, so every error is the one execution gives.
 */
@Component
@Order(PipelineOrder.COMPILED_QUERIES)
class CompiledQueryInterceptor implements WebGraphQlInterceptor {

	private final CompiledQueries queries;

	private final DocumentPlans plans;

	private final ObjectProvider<GraphQlSource> source;

	private final ObjectProvider<ReportCatalog> catalog;

	private final ReportDataFetcher reports;

	private final boolean enabled;

	private final Counter answered;

	private final Counter executed;

	private final Spans spans;

	CompiledQueryInterceptor(CompiledQueries queries, DocumentPlans plans, ObjectProvider<GraphQlSource> source,
			ObjectProvider<ReportCatalog> catalog, ReportDataFetcher reports, QueryProperties properties,
			MeterRegistry meters, Spans spans) {
		this.spans = spans;
		this.queries = queries;
		this.plans = plans;
		this.source = source;
		this.catalog = catalog;
		this.reports = reports;
		this.enabled = properties.compiled();
		this.answered = Counter.builder("tally.query.compiled").tag("result", "answered")
			.description("Requests for a compiled query: answered from the rows, or executed with what it read "
					+ "because a read failed or a value broke its type")
			.register(meters);
		this.executed = Counter.builder("tally.query.compiled").tag("result", "executed").register(meters);
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!this.enabled) {
			return chain.next(request);
		}
		DocumentPlan plan = this.plans.plan(request);
		CompiledQuery query = this.queries.find(plan);
		if (query == null) {
			return chain.next(request).doOnNext(response -> compileWhenClean(plan, response));
		}
		// Refused or no tenant chosen: execution reports (and audits) it per field.
		Caller caller = RequestContext.of(request).caller().settledCaller();
		if (caller == null || caller.admin()) {
			return chain.next(request);
		}
		ExecutionInput input = request.toExecutionInput();
		GraphQLContext context = input.getGraphQLContext();
		GraphQLSchema schema = this.source.getObject().schema();
		CoercedVariables variables;
		try {
			variables = ValuesResolver.coerceVariableValues(schema, query.operation().getVariableDefinitions(),
					RawVariables.of(request.getVariables()), context, input.getLocale());
		}
		catch (RuntimeException refused) {
			return chain.next(request);
		}
		// Its reads (report cache, read slot, report read) are the span's children.
		CompiledAnswer.Outcome outcome = Spans.observe(
				this.spans.span("tally.compiled.answer", "compiled answer", caller.tenantId()),
				() -> new CompiledAnswer(schema, query, context, input.getLocale(), variables).answer(caller,
						this.catalog.getObject(), this.reports),
				done -> (done.data() != null) ? "answered" : "executed");
		if (outcome.data() == null) {
			this.executed.increment();
			request.configureExecutionInput(
					(configured, builder) -> builder.graphQLContext(outcome.reads().asContext()).build());
			return chain.next(request);
		}
		this.answered.increment();
		ExecutionResult result = ExecutionResult.newExecutionResult().data(outcome.data()).build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(input, result)));
	}

	private void compileWhenClean(DocumentPlan plan, WebGraphQlResponse response) {
		ExecutionResult result = response.getExecutionResult();
		if (result.isDataPresent() && result.getErrors().isEmpty()) {
			this.queries.compile(plan);
		}
	}

}
