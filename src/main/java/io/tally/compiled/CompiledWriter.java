package io.tally.compiled;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.execution.FieldCollector;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.ValuesResolver;
import graphql.introspection.Introspection;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import io.tally.freshness.Freshness;
import io.tally.response.AnswerWriter;
import io.tally.response.FreshnessFields;
import io.tally.response.ResponseRecording;
import io.tally.response.Utf8Json;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a compiled query's answer as bytes once its reports are read: fields collected as
 * execution collects them (fragments merged, {@code @include}/{@code @skip} applied, once per
 * selection rather than once per row), values taken as the default fetchers take them and
 * serialized by their types' own scalars, sections already written from their rows copied in.
 */
final class CompiledWriter {

	private static final FieldCollector FIELDS = new FieldCollector();

	private static final String TYPE_NAME = Introspection.TypeNameMetaFieldDef.getName();

	private final GraphQLSchema schema;

	private final CompiledQuery query;

	private final GraphQLContext context;

	private final Locale locale;

	private final CoercedVariables variables;

	/** Each selection's fields, collected once however many rows it is written for. */
	private final Map<MergedField, MergedSelectionSet> collected = new IdentityHashMap<>();

	CompiledWriter(GraphQLSchema schema, CompiledQuery query, GraphQLContext context, Locale locale,
			CoercedVariables variables) {
		this.schema = schema;
		this.query = query;
		this.context = context;
		this.locale = locale;
		this.variables = variables;
	}

	/** A field's arguments, coerced as execution coerces them. */
	Map<String, Object> arguments(GraphQLFieldDefinition definition, MergedField field) {
		return ValuesResolver.getArgumentValues(this.schema.getCodeRegistry(), definition.getArguments(),
				field.getArguments(), this.variables, this.context, this.locale);
	}

	/** The operation's root fields, collected. */
	MergedSelectionSet roots() {
		return FIELDS.collectFields(parameters(this.schema.getQueryType()), this.query.operation().getSelectionSet());
	}

	/** The answer's data as written; null when a value is one execution would answer with an error. */
	Object write(MergedSelectionSet roots, Map<String, Object> answers) {
		GraphQLObjectType queryType = this.schema.getQueryType();
		AnswerWriter writer = new AnswerWriter(this.context.get(ResponseRecording.class));
		JsonGenerator generator = writer.generator();
		try {
			generator.writeStartObject();
			for (MergedField root : roots.getSubFieldsList()) {
				String key = root.getResultKey();
				generator.writeName(key);
				if (TYPE_NAME.equals(root.getName())) {
					generator.writeString(queryType.getName());
				}
				else {
					complete(writer, queryType.getFieldDefinition(root.getName()).getType(), root, answers.get(key));
				}
			}
			generator.writeEndObject();
			return writer.finish();
		}
		catch (Unanswerable ex) {
			return null;
		}
	}

	private void complete(AnswerWriter writer, GraphQLOutputType type, MergedField field, Object value) {
		JsonGenerator generator = writer.generator();
		if (type instanceof GraphQLNonNull nonNull) {
			if (value == null) {
				throw Unanswerable.INSTANCE;
			}
			complete(writer, (GraphQLOutputType) nonNull.getWrappedType(), field, value);
			return;
		}
		if (value == null) {
			generator.writeNull();
		}
		else if (value instanceof Utf8Json rows) {
			// A section written from its rows under this field's selection.
			generator.writeRawValue(rows);
		}
		else if (type instanceof GraphQLList list) {
			if (!(value instanceof List<?> items)) {
				throw Unanswerable.INSTANCE;
			}
			generator.writeStartArray();
			for (Object item : items) {
				complete(writer, (GraphQLOutputType) list.getWrappedType(), field, item);
			}
			generator.writeEndArray();
		}
		else if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType) {
			AnswerWriter.writeScalar(generator, serialize(type, value));
		}
		else {
			object(writer, (GraphQLObjectType) type, field, value);
		}
	}

	private Object serialize(GraphQLOutputType type, Object value) {
		try {
			return (type instanceof GraphQLScalarType scalar) ? scalar.getCoercing().serialize(value, this.context, this.locale)
					: ((GraphQLEnumType) type).serialize(value, this.context, this.locale);
		}
		catch (RuntimeException notSerializable) {
			throw Unanswerable.INSTANCE;
		}
	}

	private void object(AnswerWriter writer, GraphQLObjectType type, MergedField field, Object value) {
		JsonGenerator generator = writer.generator();
		generator.writeStartObject();
		for (MergedField sub : collect(type, field).getSubFieldsList()) {
			generator.writeName(sub.getResultKey());
			if (TYPE_NAME.equals(sub.getName())) {
				generator.writeString(type.getName());
				continue;
			}
			GraphQLFieldDefinition definition = type.getFieldDefinition(sub.getName());
			if (value instanceof Freshness freshness) {
				if (definition.getType() instanceof GraphQLNonNull
						&& FreshnessFields.value(freshness, definition.getName()) == null) {
					throw Unanswerable.INSTANCE;
				}
				writer.freshness(freshness, definition.getName(), definition.getType());
			}
			else if (value instanceof Map<?, ?> row) {
				complete(writer, definition.getType(), sub, row.get(definition.getName()));
			}
			else {
				throw Unanswerable.INSTANCE;
			}
		}
		generator.writeEndObject();
	}

	MergedSelectionSet collect(GraphQLObjectType type, MergedField field) {
		return this.collected.computeIfAbsent(field, f -> FIELDS.collectFields(parameters(type), f));
	}

	private FieldCollectorParameters parameters(GraphQLObjectType type) {
		return FieldCollectorParameters.newParameters()
			.schema(this.schema)
			.objectType(type)
			.fragments(this.query.fragments())
			.variables(this.variables.toMap())
			.graphQLContext(this.context)
			.build();
	}

	/** A value execution would answer with an error; no stack trace, it is not a failure here. */
	private static final class Unanswerable extends RuntimeException {

		static final Unanswerable INSTANCE = new Unanswerable();

		private Unanswerable() {
			super(null, null, false, false);
		}

	}

}
