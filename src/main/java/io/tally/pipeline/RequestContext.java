package io.tally.pipeline;

import java.util.Map;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import io.tally.graphql.ForbiddenException;
import io.tally.limits.CallerLimits;
import io.tally.tenancy.Caller;
import io.tally.tenancy.CallerDecision;

import org.springframework.graphql.server.WebGraphQlRequest;

/**
 * Everything the pipeline knows about who sends a request, resolved once right after
 * authentication ({@link CallerFilter}) and handed to every later step: the request attributes
 * carry it to the GraphQL interceptors, the GraphQL context to the data fetchers. No step decides
 * the caller or its tenant again, or reads them from anywhere else.
 *
 * @param requestId the request's id, as logged and echoed in {@code X-Request-Id}
 * @param caller who asks and which tenant it reads (or why it may not read one)
 * @param limits the limits the caller is held to
 */
public record RequestContext(String requestId, CallerDecision caller, CallerLimits limits) {

	/** The request attribute and GraphQL context key the context travels under. */
	public static final String ATTRIBUTE = "io.tally.pipeline.RequestContext";

	/** The context the pipeline put into a request's attributes, or null. */
	public static RequestContext in(Map<String, Object> attributes) {
		return (attributes.get(ATTRIBUTE) instanceof RequestContext context) ? context : null;
	}

	/**
	 * The context of a request past the request-context step, which refuses any without one.
	 * @throws ForbiddenException when the request came without one (no verified token)
	 */
	public static RequestContext of(WebGraphQlRequest request) {
		RequestContext context = in(request.getAttributes());
		if (context == null) {
			throw new ForbiddenException("A bearer token is required");
		}
		return context;
	}

	/**
	 * The context of the request a data fetcher runs for.
	 * @throws ForbiddenException when the request came without one (no verified token)
	 */
	public static RequestContext of(DataFetchingEnvironment environment) {
		return of(environment.getGraphQlContext());
	}

	/**
	 * The context of the request this GraphQL context belongs to.
	 * @throws ForbiddenException when the request came without one (no verified token)
	 */
	public static RequestContext of(GraphQLContext context) {
		RequestContext request = context.get(ATTRIBUTE);
		if (request == null) {
			throw new ForbiddenException("A bearer token is required");
		}
		return request;
	}

	/**
	 * The caller with its tenant, for a report read; a refusal is raised (and audited) here.
	 */
	public Caller readingCaller() {
		return this.caller.caller();
	}

}
