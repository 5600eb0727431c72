package io.tally.pipeline;

import graphql.ErrorClassification;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import reactor.core.publisher.Mono;

import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;

/**
 * A pipeline step's refusal as a GraphQL answer, so it leaves the way every answer does (over
 * HTTP, SSE or WebSocket) with the status the transport gives that error.
 */
final class Refusals {

	private Refusals() {
	}

	static Mono<WebGraphQlResponse> refuse(WebGraphQlRequest request, ErrorClassification type, String message) {
		ExecutionResult refused = ExecutionResult.newExecutionResult()
			.addError(GraphqlErrorBuilder.newError().errorType(type).message(message).build())
			.build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused)));
	}

}
