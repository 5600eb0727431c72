package io.tally.graphql;


import graphql.ExecutionResult;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.parser.ParserOptions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.TimeoutWebGraphQlInterceptor;

/**
 * The limits of {@link GraphQlLimitsProperties}: parser limits on size and tokens (checked while
 * parsing, before validation), depth and complexity (checked after validation, before execution)
 * and the request timeout.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlLimitsConfiguration {

	@Bean
	MaxQueryDepthInstrumentation maxQueryDepthInstrumentation(GraphQlLimitsProperties limits) {
		return new MaxQueryDepthInstrumentation(limits.maxDepth()) {

			@Override
			public InstrumentationContext<ExecutionResult> beginExecuteOperation(
					InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
				return AdminIntrospection.exempt(parameters.getExecutionContext()) ? null
						: super.beginExecuteOperation(parameters, state);
			}

		};
	}

	@Bean
	MaxQueryComplexityInstrumentation maxQueryComplexityInstrumentation(GraphQlLimitsProperties limits) {
		return new MaxQueryComplexityInstrumentation(limits.maxComplexity()) {

			@Override
			public InstrumentationContext<ExecutionResult> beginExecuteOperation(
					InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
				return AdminIntrospection.exempt(parameters.getExecutionContext()) ? null
						: super.beginExecuteOperation(parameters, state);
			}

		};
	}

	/**
	 * Outermost, so the timeout covers every other interceptor and the execution. The report
	 * statement timeout is checked against it in {@code query}, where it is bound.
	 */
	@Bean
	@Order(PipelineOrder.TIMEOUT)
	TimeoutWebGraphQlInterceptor requestTimeoutInterceptor(GraphQlLimitsProperties limits) {
		return new TimeoutWebGraphQlInterceptor(limits.requestTimeout());
	}

	/**
	 * The parser limits every operation document is parsed with, by the document's plan and by
	 * execution alike; graphql-java reads them per request from the GraphQL context, where the
	 * request-context step puts them, because the JVM-wide defaults would also apply to the schema
	 * files.
	 */
	@Bean
	ParserOptions operationParserOptions(GraphQlLimitsProperties limits) {
		return ParserOptions.getDefaultOperationParserOptions()
			.transform(builder -> builder.maxCharacters(limits.maxDocumentCharacters())
				.maxTokens(limits.maxDocumentTokens())
				.maxWhitespaceTokens(limits.maxDocumentCharacters()));
	}

}
