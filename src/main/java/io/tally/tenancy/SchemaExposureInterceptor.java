package io.tally.tenancy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.introspection.Introspection;
import io.tally.graphql.AdminIntrospection;
import reactor.core.publisher.Mono;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Only admins may learn the schema: for anyone else introspection ({@code __schema},
 * {@code __type}) is an error, and validation errors name neither the types the schema has nor
 * fields the caller might have meant, so probing cannot map the schema either.
 */
@Component
class SchemaExposureInterceptor implements WebGraphQlInterceptor {

	/** The schema's own type names and any suggestion, as graphql-java or a later version may write them. */
	private static final Pattern SCHEMA_DETAIL = Pattern
		.compile(" (?:in|on|for) type '[^']*'|\\s*Did you mean[^.?]*[.?]?|,? of field '[^']*'");

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
			.map(error -> isValidationError(error) ? GraphqlErrorBuilder.newError()
				.message(SCHEMA_DETAIL.matcher(error.getMessage()).replaceAll(""))
				.locations(error.getLocations())
				.errorType(error.getErrorType())
				.extensions(error.getExtensions())
				.build() : error)
			.toList();
		return response.transform(builder -> builder.errors(redacted));
	}

	private static boolean isValidationError(GraphQLError error) {
		return error.getErrorType() == ErrorType.ValidationError;
	}

}
