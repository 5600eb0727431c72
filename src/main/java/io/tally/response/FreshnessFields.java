package io.tally.response;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import graphql.GraphQLContext;
import graphql.execution.ResultPath;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.tally.freshness.Freshness;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * Resolves the fields of the GraphQL {@code Freshness} type as the default fetcher would, and
 * records where each landed in the answer: these are the parts of a kept answer that are computed
 * again when it is sent.
 */
@Configuration(proxyBeanMethods = false)
public class FreshnessFields {

	private static final Map<String, Method> ACCESSORS = Arrays.stream(Freshness.class.getRecordComponents())
		.collect(Collectors.toUnmodifiableMap(RecordComponent::getName, RecordComponent::getAccessor));

	@Bean
	RuntimeWiringConfigurer freshnessFieldWiring() {
		DataFetcher<Object> fetcher = FreshnessFields::fetch;
		return wiring -> wiring.type("Freshness", type -> type.defaultDataFetcher(fetcher));
	}

	private static Object fetch(DataFetchingEnvironment environment) {
		Freshness source = environment.getSource();
		String field = environment.getFieldDefinition().getName();
		ResponseRecording recording = environment.getGraphQlContext().get(ResponseRecording.class);
		if (recording != null) {
			ResultPath path = environment.getExecutionStepInfo().getPath();
			recording.leaf(path, source, field, serializer(environment.getFieldType()));
		}
		return value(source, field);
	}

	/** The value of a {@code Freshness} field by its GraphQL name, which is its record component's. */
	public static Object value(Freshness freshness, String field) {
		Method accessor = ACCESSORS.get(field);
		if (accessor == null) {
			throw new IllegalStateException("Freshness has no field '" + field + "'");
		}
		try {
			return accessor.invoke(freshness);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("Cannot read Freshness." + field, ex);
		}
	}

	/** How execution serializes a {@code Freshness} field's value, by the field's type. */
	public static UnaryOperator<Object> serializer(GraphQLType fieldType) {
		GraphQLType type = GraphQLTypeUtil.unwrapNonNull(fieldType);
		if (type instanceof GraphQLScalarType scalar) {
			return value -> (value != null)
					? scalar.getCoercing().serialize(value, GraphQLContext.getDefault(), Locale.getDefault()) : null;
		}
		if (type instanceof GraphQLEnumType enumeration) {
			return value -> (value != null) ? enumeration.serialize(value, GraphQLContext.getDefault(), Locale.getDefault())
					: null;
		}
		throw new IllegalStateException("Freshness fields are scalars or enums, not " + type);
	}

}
