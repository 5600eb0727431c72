package io.tally.pipeline;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.introspection.Introspection;
import graphql.language.FragmentDefinition;
import graphql.language.SourceLocation;
import graphql.validation.ValidationError;
import io.tally.graphql.AdminIntrospection;
import io.tally.graphql.PipelineOrder;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Only admins may learn the schema: for anyone else introspection ({@code __schema},
 * {@code __type}) is an error, and a validation error says only that the document is invalid and
 * where, since any detail (a type's name, a leaf's type, whether a fragment's type exists)
 * helps map the schema. A refused argument or variable value keeps its message, which is about
 * the caller's value. Outside the interceptor that rewrites those, so it sees their final wording.
 */
@Component
@Order(PipelineOrder.SCHEMA_EXPOSURE)
class SchemaExposureInterceptor implements WebGraphQlInterceptor {

	private final DocumentPlans plans;

	SchemaExposureInterceptor(DocumentPlans plans) {
		this.plans = plans;
	}

	/**
	 * The wording of a value refused by its scalar: a variable's, or an argument literal's once
	 * {@code LiteralValidationMessages} rewrote it.
	 */
	private static final Pattern ARGUMENT_VALUE = Pattern.compile("(?:Argument|Variable) '\\w+' has an invalid value.*",
			Pattern.DOTALL);

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		RequestContext context = RequestContext.in(request.getAttributes());
		if (context != null && context.caller().admin()) {
			request.configureExecutionInput((input, builder) -> builder
				.graphQLContext(Map.of(AdminIntrospection.ADMIN_CALLER, true))
				.build());
			return chain.next(request);
		}
		request.configureExecutionInput((input, builder) -> builder
			.graphQLContext(Map.of(Introspection.INTROSPECTION_DISABLED, true))
			.build());
		// Validation errors come from execution, after the plan step has parsed the document.
		return chain.next(request)
			.map(response -> withoutSchemaDetail(response, () -> this.plans.plan(request)));
	}

	/** @param plan looked up only when there is something to redact: most answers have no validation error */
	private static WebGraphQlResponse withoutSchemaDetail(WebGraphQlResponse response, Supplier<DocumentPlan> plan) {
		List<GraphQLError> errors = response.getExecutionResult().getErrors();
		if (errors.stream().noneMatch(SchemaExposureInterceptor::isValidationError)) {
			return response;
		}
		List<GraphQLError> redacted = errors.stream()
			.map(error -> (isValidationError(error) && !ARGUMENT_VALUE.matcher(error.getMessage()).matches())
					? redacted(error, plan.get()) : error)
			.toList();
		return response.transform(builder -> builder.errors(redacted));
	}

	private static GraphQLError redacted(GraphQLError error, DocumentPlan plan) {
		List<SourceLocation> locations = locations(error, plan);
		return GraphqlErrorBuilder.newError()
			.message(invalidAt(locations))
			.locations(locations)
			.errorType(error.getErrorType())
			.extensions(error.getExtensions())
			.build();
	}

	/**
	 * Where the error is. graphql-java's parser leaves a fragment definition's type condition
	 * without a location, so an unknown type there comes with none; the fragment's definition,
	 * which the error's path names, stands in for it.
	 */
	private static List<SourceLocation> locations(GraphQLError error, DocumentPlan plan) {
		if ((error.getLocations() != null && !error.getLocations().isEmpty())
				|| !(error instanceof ValidationError validation) || validation.getQueryPath() == null
				|| validation.getQueryPath().isEmpty() || plan.document() == null) {
			return error.getLocations();
		}
		String fragment = validation.getQueryPath().get(0);
		return plan.document()
			.getDefinitionsOfType(FragmentDefinition.class)
			.stream()
			.filter(definition -> definition.getName().equals(fragment) && definition.getSourceLocation() != null)
			.map(definition -> List.of(definition.getSourceLocation()))
			.findFirst()
			.orElse(error.getLocations());
	}

	private static String invalidAt(List<SourceLocation> locations) {
		if (locations == null || locations.isEmpty()) {
			return "The document is invalid";
		}
		return "The document is invalid at line " + locations.get(0).getLine() + ", column "
				+ locations.get(0).getColumn();
	}

	private static boolean isValidationError(GraphQLError error) {
		return error.getErrorType() == ErrorType.ValidationError;
	}

}
