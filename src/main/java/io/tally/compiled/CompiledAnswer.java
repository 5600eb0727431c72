package io.tally.compiled;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.introspection.Introspection;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.Freshness;
import io.tally.query.PrecomputedAnswers;
import io.tally.query.ReportDataFetcher;
import io.tally.query.UnwritableValue;
import io.tally.response.Utf8Json;
import io.tally.tenancy.Caller;

/**
 * One request answered from a compiled query: each report read once through the report fetcher,
 * as its field would be, with its list and single-row sections written as JSON straight from the
 * result set (see {@link RowLayouts}), then the answer's data written once as bytes around them:
 * fields collected as execution collects them (fragments merged, {@code @include}/{@code @skip}
 * applied, once per selection rather than once per row), values taken as the default fetchers
 * take them and serialized by their types' own scalars. Those bytes are what is sent and what the
 * response cache keeps. What execution would answer with an error (arguments it refuses, a read
 * that failed, a null where the type forbids one) is not written here: execution answers instead,
 * with what was read as rows handed over so it is not read again.
 */
final class CompiledAnswer {

	static final String FRESHNESS_TYPE = "Freshness";

	private static final String TYPE_NAME = Introspection.TypeNameMetaFieldDef.getName();

	private final GraphQLSchema schema;

	private final GraphQLContext context;

	private final CompiledWriter writer;

	CompiledAnswer(GraphQLSchema schema, CompiledQuery query, GraphQLContext context, Locale locale,
			CoercedVariables variables) {
		this.schema = schema;
		this.context = context;
		this.writer = new CompiledWriter(schema, query, context, locale, variables);
	}

	/**
	 * Reads every report the operation selects and writes the answer's data.
	 * @return the data, or the reads' outcomes for standard execution to answer with
	 */
	Outcome answer(Caller caller, ReportCatalog catalog, ReportDataFetcher reports) {
		GraphQLObjectType queryType = this.schema.getQueryType();
		MergedSelectionSet roots = this.writer.roots();
		// By result key: what each report field was asked with, or why execution must refuse it.
		Map<String, Object> asked = new LinkedHashMap<>();
		boolean refused = false;
		for (MergedField root : roots.getSubFieldsList()) {
			if (!TYPE_NAME.equals(root.getName())) {
				try {
					asked.put(root.getResultKey(), reports.ask(catalog.find(root.getName()).orElseThrow(), caller,
							this.writer.arguments(queryType.getFieldDefinition(root.getName()), root)));
				}
				catch (RuntimeException ex) {
					asked.put(root.getResultKey(), ex);
					refused = true;
				}
			}
		}
		// When execution answers anyway, the other reports are read as the rows it completes.
		Map<String, Object> read = read(roots, asked, catalog, reports, !refused);
		Object data = read.values().stream().anyMatch(RuntimeException.class::isInstance) ? null : this.writer.write(roots, read);
		return new Outcome(data, (data == null) ? precomputed(read) : null);
	}

	/** Each report field's answer, or its failure, by result key. */
	private Map<String, Object> read(MergedSelectionSet roots, Map<String, Object> asked, ReportCatalog catalog,
			ReportDataFetcher reports, boolean asJson) {
		Map<String, Object> read = new LinkedHashMap<>();
		for (MergedField root : roots.getSubFieldsList()) {
			Object outcome = asked.get(root.getResultKey());
			if (outcome instanceof ReportDataFetcher.Asked report) {
				try {
					ReportDefinition definition = catalog.find(root.getName()).orElseThrow();
					GraphQLObjectType type = objectType(this.schema.getQueryType().getFieldDefinition(root.getName()).getType());
					MergedSelectionSet selection = this.writer.collect(type, root);
					Set<String> selected = selection.getSubFieldsList().stream().map(MergedField::getName)
						.collect(Collectors.toUnmodifiableSet());
					outcome = reports.answer(report, selected,
							asJson ? RowLayouts.of(definition, type, selection, this.writer::collect) : Map.of(), this.context);
				}
				catch (RuntimeException ex) {
					outcome = ex;
				}
			}
			if (outcome != null) {
				read.put(root.getResultKey(), outcome);
			}
		}
		return read;
	}

	/**
	 * What execution is handed: failures, and answers read as rows. Rows already written as JSON,
	 * or a value a scalar refused, are read again by execution, which reports them its own way;
	 * both are rare (a read failing after another succeeded, a value breaking its type).
	 */
	private static PrecomputedAnswers precomputed(Map<String, Object> read) {
		PrecomputedAnswers outcomes = new PrecomputedAnswers();
		read.forEach((key, outcome) -> {
			if (outcome instanceof RuntimeException failure && !(failure instanceof UnwritableValue)) {
				outcomes.failed(key, failure);
			}
			else if (outcome instanceof Map<?, ?> answer && answer.values().stream().noneMatch(Utf8Json.class::isInstance)) {
				@SuppressWarnings("unchecked")
				Map<String, Object> rows = (Map<String, Object>) answer;
				outcomes.answered(key, rows);
			}
		});
		return outcomes;
	}

	private static GraphQLObjectType objectType(GraphQLType type) {
		return (GraphQLObjectType) GraphQLTypeUtil.unwrapAll(type);
	}

	/**
	 * @param data the answer's data, as written, or null when standard execution must answer
	 * @param reads what each report field's read gave, for standard execution to answer with
	 */
	record Outcome(Object data, PrecomputedAnswers reads) {
	}

}
