package io.tally.compiled;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import graphql.introspection.Introspection;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.tally.freshness.Freshness;
import io.tally.pipeline.DocumentPlan;

/**
 * A query document, checked once, that can be answered without executing it field by field: it
 * reads at least one report and every root field is a report (or {@code __typename}), everything below is read from the report's rows
 * and freshness as the default fetchers read them, on object types only, with no directive but
 * {@code @include} and {@code @skip}, and the document stays within the depth and complexity
 * limits whatever its variables skip, so no request can pass here that execution would refuse.
 * What depends on the request (variables, directives, arguments, the caller's report-field cap)
 * is applied per request by {@link CompiledAnswer}.
 */
final class CompiledQuery {

	/** The directives whose effect field collection applies; any other keeps a document executed. */
	private static final Set<String> COLLECTION_DIRECTIVES = Set.of("include", "skip");

	private final OperationDefinition operation;

	private final Map<String, FragmentDefinition> fragments;

	private final int reportFields;

	private CompiledQuery(OperationDefinition operation, Map<String, FragmentDefinition> fragments,
			int reportFields) {
		this.operation = operation;
		this.fragments = fragments;
		this.reportFields = reportFields;
	}

	OperationDefinition operation() {
		return this.operation;
	}

	Map<String, FragmentDefinition> fragments() {
		return this.fragments;
	}

	/** The report fields the document asks for, as the per-request cap counts them. */
	int reportFields() {
		return this.reportFields;
	}

	/**
	 * The compiled form of a document's operation, or empty when it must be executed as usual.
	 * @param plan the plan of a document that execution answered without errors, so a valid one
	 * @param isReport whether a {@code Query} field is a report
	 * @param limits the depth and complexity every request must stay within
	 */
	static Optional<CompiledQuery> compile(DocumentPlan plan, GraphQLSchema schema, Predicate<String> isReport,
			Limits limits) {
		OperationDefinition operation = plan.operation();
		if (!plan.isQuery() || !operation.getDirectives().isEmpty()) {
			return Optional.empty();
		}
		Check check = new Check(schema, isReport, plan.fragments());
		if (!check.rootFields(operation.getSelectionSet(), schema.getQueryType(), 0) || check.deepest > limits.depth()
				|| check.fields > limits.complexity()) {
			return Optional.empty();
		}
		// A document that reads no report has nothing to gain: execution answers it at once.
		if (plan.reportFields() == 0) {
			return Optional.empty();
		}
		return Optional.of(new CompiledQuery(operation, plan.fragments(), plan.reportFields()));
	}

	/**
	 * The limits execution checks before it runs.
	 * @param depth the deepest nesting, a root field being 1, as graphql-java's depth limit counts
	 * @param complexity the most fields, each counting 1 and {@code __typename} 0, as its complexity limit counts
	 */
	record Limits(int depth, int complexity) {
	}

	/**
	 * Walks every selection, fragments expanded and nothing skipped, so its depth and field count
	 * bound those of any request, whatever its variables include.
	 */
	private static final class Check {

		/** Fragment spreads nested deeper than this are refused; validation refuses cycles anyway. */
		private static final int MAX_NESTING = 20;

		private final GraphQLCodeRegistry code;

		private final Predicate<String> isReport;

		private final Map<String, FragmentDefinition> fragments;

		private int deepest;

		private int fields;

		Check(GraphQLSchema schema, Predicate<String> isReport, Map<String, FragmentDefinition> fragments) {
			this.code = schema.getCodeRegistry();
			this.isReport = isReport;
			this.fragments = fragments;
		}

		boolean rootFields(SelectionSet selections, GraphQLObjectType query, int nesting) {
			return selections.getSelections().stream().allMatch(selection -> rootField(selection, query, nesting));
		}

		private boolean rootField(Selection<?> selection, GraphQLObjectType query, int nesting) {
			if (!onlyCollectionDirectives(selection) || nesting > MAX_NESTING) {
				return false;
			}
			if (selection instanceof Field field) {
				if (isTypeName(field)) {
					return typeName(1);
				}
				return this.isReport.test(field.getName())
						&& field(field, query.getFieldDefinition(field.getName()), 1);
			}
			SelectionSet fragment = fragmentSelections(selection, query);
			return fragment != null && rootFields(fragment, query, nesting + 1);
		}

		private boolean selections(SelectionSet selections, GraphQLObjectType type, int depth, int nesting) {
			return selections.getSelections().stream().allMatch(selection -> selection(selection, type, depth, nesting));
		}

		private boolean selection(Selection<?> selection, GraphQLObjectType type, int depth, int nesting) {
			if (!onlyCollectionDirectives(selection) || nesting > MAX_NESTING) {
				return false;
			}
			if (selection instanceof Field field) {
				if (isTypeName(field)) {
					return typeName(depth);
				}
				GraphQLFieldDefinition definition = type.getFieldDefinition(field.getName());
				return definition != null && readAsDefault(type, definition) && field(field, definition, depth);
			}
			SelectionSet fragment = fragmentSelections(selection, type);
			return fragment != null && selections(fragment, type, depth, nesting + 1);
		}

		/** The selections of an inline fragment or spread that applies to the type; null otherwise. */
		private SelectionSet fragmentSelections(Selection<?> selection, GraphQLObjectType type) {
			if (selection instanceof InlineFragment inline) {
				return applies(inline.getTypeCondition(), type) ? inline.getSelectionSet() : null;
			}
			if (selection instanceof FragmentSpread spread) {
				FragmentDefinition definition = this.fragments.get(spread.getName());
				return (definition != null && definition.getDirectives().isEmpty()
						&& applies(definition.getTypeCondition(), type)) ? definition.getSelectionSet() : null;
			}
			return null;
		}

		private static boolean isTypeName(Field field) {
			return Introspection.TypeNameMetaFieldDef.getName().equals(field.getName());
		}

		private boolean typeName(int depth) {
			this.deepest = Math.max(this.deepest, depth);
			return true;
		}

		private boolean field(Field field, GraphQLFieldDefinition definition, int depth) {
			if (definition == null) {
				return false;
			}
			this.deepest = Math.max(this.deepest, depth);
			this.fields++;
			GraphQLType type = GraphQLTypeUtil.unwrapAll(definition.getType());
			if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType) {
				return field.getSelectionSet() == null || field.getSelectionSet().getSelections().isEmpty();
			}
			return type instanceof GraphQLObjectType object && field.getSelectionSet() != null
					&& selections(field.getSelectionSet(), object, depth + 1, 0);
		}

		/**
		 * Whether the field's value is read from its parent as the default fetcher reads it: a row's
		 * entry by the field's name, or a {@link Freshness} component.
		 */
		private boolean readAsDefault(GraphQLObjectType type, GraphQLFieldDefinition field) {
			return CompiledAnswer.FRESHNESS_TYPE.equals(type.getName())
					|| !this.code.hasDataFetcher(FieldCoordinates.coordinates(type, field));
		}

		/** Only a condition naming the object type itself; an interface or union one keeps it executed. */
		private static boolean applies(graphql.language.TypeName condition, GraphQLObjectType type) {
			return condition == null || condition.getName().equals(type.getName());
		}

		private static boolean onlyCollectionDirectives(Selection<?> selection) {
			List<Directive> directives = (selection instanceof DirectivesContainer<?> container)
					? container.getDirectives() : List.of();
			return directives.stream().allMatch(directive -> COLLECTION_DIRECTIVES.contains(directive.getName()));
		}

	}

}
