package io.tally.tenancy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.introspection.Introspection;
import graphql.language.SourceLocation;
import io.tally.graphql.AdminIntrospection;
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
@Order(0)
class SchemaExposureInterceptor implements WebGraphQlInterceptor {

	/**
	 * The wording of a value refused by its scalar: a variable's, or an argument literal's once
	 * {@code LiteralValidationMessages} rewrote it.
	 */
	private static final Pattern ARGUMENT_VALUE = Pattern.compile("(?:Argument|Variable) '\\w+' has an invalid value.*",
			Pattern.DOTALL);

	private final TenantResolver tenants;

	SchemaExposureInterceptor(TenantResolver tenants) {
		this.tenants = tenants;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (this.tenants.currentCallerIsAdmin()) {
			request.configureExecutionInput((input, builder) -> builder
				.graphQLContext(Map.of(AdminIntrospection.ADMIN_CALLER, true))
				.build());
			return chain.next(request);
		}
		request.configureExecutionInput((input, builder) -> builder
			.graphQLContext(Map.of(Introspection.INTROSPECTION_DISABLED, true))
			.build());
		return chain.next(request).map(SchemaExposureInterceptor::withoutSchemaDetail);
	}

	private static WebGraphQlResponse withoutSchemaDetail(WebGraphQlResponse response) {
		List<GraphQLError> errors = response.getExecutionResult().getErrors();
		if (errors.stream().noneMatch(SchemaExposureInterceptor::isValidationError)) {
			return response;
		}
		List<GraphQLError> redacted = errors.stream()
			.map(error -> (isValidationError(error) && !ARGUMENT_VALUE.matcher(error.getMessage()).matches())
					? GraphqlErrorBuilder.newError()
						.message(invalidAt(error.getLocations()))
						.locations(error.getLocations())
						.errorType(error.getErrorType())
						.extensions(error.getExtensions())
						.build()
					: error)
			.toList();
		return response.transform(builder -> builder.errors(redacted));
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
