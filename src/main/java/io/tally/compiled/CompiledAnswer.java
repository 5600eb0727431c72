package io.tally.compiled;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.tally.catalog.ReportCatalog;
import io.tally.freshness.Freshness;
import io.tally.query.PrecomputedAnswers;
import io.tally.query.ReportDataFetcher;
import io.tally.response.FreshnessFields;
import io.tally.response.ResponseRecording;
import io.tally.tenancy.Caller;

/**
 * One request answered from a compiled query: each report read once through the report fetcher,
 * as its field would be, then the answer's data built straight from the rows: fields collected as
 * execution collects them (fragments merged, {@code @include}/{@code @skip} applied, once per
 * selection rather than once per row), values taken as the default fetchers take them and
 * serialized by their types' own scalars. What execution would answer with an error (a read that
 * failed, a null where the type forbids one) is not written here: the reads' outcomes go back to
 * standard execution instead, which reports them as it always does, without reading again.
 */
final class CompiledAnswer {

	static final String FRESHNESS_TYPE = "Freshness";

	private static final FieldCollector FIELDS = new FieldCollector();

	private static final String TYPE_NAME = Introspection.TypeNameMetaFieldDef.getName();

	private final GraphQLSchema schema;

	private final CompiledQuery query;

	private final GraphQLContext context;

	private final Locale locale;

	private final CoercedVariables variables;

	private final ResponseRecording recording;

	/** Each selection's fields, collected once however many rows it is written for. */
	private final Map<MergedField, MergedSelectionSet> collected = new IdentityHashMap<>();

	CompiledAnswer(GraphQLSchema schema, CompiledQuery query, GraphQLContext context, Locale locale,
			CoercedVariables variables) {
		this.schema = schema;
		this.query = query;
		this.context = context;
		this.locale = locale;
		this.variables = variables;
		this.recording = context.get(ResponseRecording.class);
	}

	/**
	 * Reads every report the operation selects and writes the answer's data.
	 * @return the data, or the reads' outcomes for standard execution to answer with
	 */
	Outcome answer(Caller caller, ReportCatalog catalog, ReportDataFetcher reports) {
		MergedSelectionSet roots = FIELDS.collectFields(parameters(this.schema.getQueryType()),
				this.query.operation().getSelectionSet());
		PrecomputedAnswers outcomes = new PrecomputedAnswers();
		Map<String, Map<String, Object>> answers = read(roots, caller, catalog, reports, outcomes);
		return new Outcome((answers != null) ? write(roots, answers) : null, outcomes);
	}

	/** Each report field's answer by result key; null when one failed (every outcome is noted either way). */
	private Map<String, Map<String, Object>> read(MergedSelectionSet roots, Caller caller, ReportCatalog catalog,
			ReportDataFetcher reports, PrecomputedAnswers outcomes) {
		Map<String, Map<String, Object>> answers = new LinkedHashMap<>();
		boolean failed = false;
		for (MergedField root : roots.getSubFieldsList()) {
			if (TYPE_NAME.equals(root.getName())) {
				continue;
			}
			GraphQLFieldDefinition definition = this.schema.getQueryType().getFieldDefinition(root.getName());
			try {
				Map<String, Object> arguments = ValuesResolver.getArgumentValues(this.schema.getCodeRegistry(),
						definition.getArguments(), root.getArguments(), this.variables, this.context, this.locale);
				Set<String> selected = collect(objectType(definition.getType()), root).getSubFieldsList()
					.stream()
					.map(MergedField::getName)
					.collect(Collectors.toUnmodifiableSet());
				Map<String, Object> answer = reports.answer(catalog.find(root.getName()).orElseThrow(), caller,
						arguments, selected, this.context);
				outcomes.answered(root.getResultKey(), answer);
				answers.put(root.getResultKey(), answer);
			}
			catch (RuntimeException ex) {
				outcomes.failed(root.getResultKey(), ex);
				failed = true;
			}
		}
		return failed ? null : answers;
	}

	/** The answer's data; null when a value is one execution would answer with an error. */
	private Map<String, Object> write(MergedSelectionSet roots, Map<String, Map<String, Object>> answers) {
		GraphQLObjectType queryType = this.schema.getQueryType();
		Map<String, Object> data = new LinkedHashMap<>();
		try {
			for (MergedField root : roots.getSubFieldsList()) {
				String key = root.getResultKey();
				data.put(key, TYPE_NAME.equals(root.getName()) ? queryType.getName()
						: complete(queryType.getFieldDefinition(root.getName()).getType(), root, answers.get(key),
								new AnswerPath(null, key)));
			}
			return data;
		}
		catch (Unanswerable ex) {
			return null;
		}
	}

	private Object complete(GraphQLOutputType type, MergedField field, Object value, AnswerPath path) {
		if (type instanceof GraphQLNonNull nonNull) {
			Object completed = complete((GraphQLOutputType) nonNull.getWrappedType(), field, value, path);
			if (completed == null) {
				throw Unanswerable.INSTANCE;
			}
			return completed;
		}
		if (value == null) {
			return null;
		}
		if (type instanceof GraphQLList list) {
			if (!(value instanceof List<?> items)) {
				throw Unanswerable.INSTANCE;
			}
			GraphQLOutputType itemType = (GraphQLOutputType) list.getWrappedType();
			List<Object> completed = new ArrayList<>(items.size());
			for (int i = 0; i < items.size(); i++) {
				completed.add(complete(itemType, field, items.get(i), new AnswerPath(path, i)));
			}
			return completed;
		}
		try {
			if (type instanceof GraphQLScalarType scalar) {
				return scalar.getCoercing().serialize(value, this.context, this.locale);
			}
			if (type instanceof GraphQLEnumType enumeration) {
				return enumeration.serialize(value, this.context, this.locale);
			}
		}
		catch (RuntimeException notSerializable) {
			throw Unanswerable.INSTANCE;
		}
		return object((GraphQLObjectType) type, field, value, path);
	}

	private Map<String, Object> object(GraphQLObjectType type, MergedField field, Object value, AnswerPath path) {
		MergedSelectionSet selection = collect(type, field);
		Map<String, Object> completed = new LinkedHashMap<>(selection.size() * 2);
		for (MergedField sub : selection.getSubFieldsList()) {
			String key = sub.getResultKey();
			if (TYPE_NAME.equals(sub.getName())) {
				completed.put(key, type.getName());
				continue;
			}
			GraphQLFieldDefinition definition = type.getFieldDefinition(sub.getName());
			Object child;
			if (value instanceof Freshness freshness) {
				child = FreshnessFields.value(freshness, definition.getName());
				if (this.recording != null) {
					this.recording.leaf(new AnswerPath(path, key).toList(), freshness, definition.getName(),
							FreshnessFields.serializer(definition.getType()));
				}
			}
			else if (value instanceof Map<?, ?> row) {
				child = row.get(definition.getName());
			}
			else {
				throw Unanswerable.INSTANCE;
			}
			completed.put(key, complete(definition.getType(), sub, child, new AnswerPath(path, key)));
		}
		return completed;
	}

	private MergedSelectionSet collect(GraphQLObjectType type, MergedField field) {
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

	private static GraphQLObjectType objectType(GraphQLType type) {
		return (GraphQLObjectType) GraphQLTypeUtil.unwrapAll(type);
	}

	/**
	 * @param data the answer's data, or null when standard execution must answer
	 * @param reads what each report field's read gave, for standard execution to answer with
	 */
	record Outcome(Map<String, Object> data, PrecomputedAnswers reads) {
	}

	/** A value execution would answer with an error; no stack trace, it is not a failure here. */
	private static final class Unanswerable extends RuntimeException {

		static final Unanswerable INSTANCE = new Unanswerable();

		private Unanswerable() {
			super(null, null, false, false);
		}

	}

}
