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
import tools.jackson.core.io.JsonStringEncoder;

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

	/**
	 * How a {@code Freshness} field's value is serialized, by the field's type: its scalar's or
	 * enum's own serialization, as execution applies it. A compiled answer and a kept one write
	 * every freshness field with this. Fixed context and locale, so an answer kept for one caller
	 * reads the same for the next: none of Tally's scalars depends on either.
	 */
	public static UnaryOperator<Object> serializer(GraphQLType fieldType) {
		GraphQLType type = GraphQLTypeUtil.unwrapNonNull(fieldType);
		if (type instanceof GraphQLScalarType scalar) {
			return value -> (value != null) ? scalar.getCoercing().serialize(value, GraphQLContext.getDefault(), Locale.ROOT)
					: null;
		}
		if (type instanceof GraphQLEnumType enumeration) {
			return value -> (value != null) ? enumeration.serialize(value, GraphQLContext.getDefault(), Locale.ROOT) : null;
		}
		throw new IllegalStateException("Freshness fields are scalars or enums, not " + type);
	}

	/** A {@code Freshness} field's value as JSON text, for a gap in a written answer. */
	static String json(Freshness freshness, String field, UnaryOperator<Object> serializer) {
		Object value = serializer.apply(value(freshness, field));
		if (value == null || value instanceof Number || value instanceof Boolean) {
			return String.valueOf(value);
		}
		if (value instanceof CharSequence text) {
			StringBuilder json = new StringBuilder(text.length() + 2).append('"');
			JsonStringEncoder.getInstance().quoteAsString(text, json);
			return json.append('"').toString();
		}
		throw new IllegalStateException("Freshness." + field + " serialized to " + value.getClass().getSimpleName());
	}

}
