package io.tally.compiled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.introspection.Introspection;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLTypeUtil;
import io.tally.catalog.ReportColumn;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.query.RowLayout;

/**
 * The sections of one report field whose rows a request can have written as JSON while they are
 * read: a list or single row selected once (two selections of one section under different aliases
 * would need two layouts of the same rows), whose selected fields are all its columns or
 * {@code __typename}. A connection's edges stay rows: their page is cut from them first.
 */
final class RowLayouts {

	private static final String TYPE_NAME = Introspection.TypeNameMetaFieldDef.getName();

	private RowLayouts() {
	}

	/**
	 * @param reportType the report's object type
	 * @param selection the report field's selection, collected
	 * @param collect collects the fields of a sub-selection on its object type
	 */
	static Map<String, RowLayout> of(ReportDefinition report, GraphQLObjectType reportType,
			MergedSelectionSet selection, BiFunction<GraphQLObjectType, MergedField, MergedSelectionSet> collect) {
		Map<String, Integer> selections = new HashMap<>();
		selection.getSubFieldsList().forEach(field -> selections.merge(field.getName(), 1, Integer::sum));
		Map<String, RowLayout> layouts = new HashMap<>();
		for (MergedField field : selection.getSubFieldsList()) {
			ReportSection section = report.sections()
				.stream()
				.filter(s -> s.field().equals(field.getName()) && s.shape() != ReportSection.Shape.EDGES)
				.findFirst()
				.orElse(null);
			if (section != null && selections.get(field.getName()) == 1) {
				GraphQLObjectType rowType = (GraphQLObjectType) GraphQLTypeUtil
					.unwrapAll(reportType.getFieldDefinition(field.getName()).getType());
				RowLayout layout = layout(section, rowType, collect.apply(rowType, field));
				if (layout != null) {
					layouts.put(section.field(), layout);
				}
			}
		}
		return layouts;
	}

	private static RowLayout layout(ReportSection section, GraphQLObjectType rowType, MergedSelectionSet cells) {
		List<RowLayout.Cell> layout = new ArrayList<>();
		for (MergedField cell : cells.getSubFieldsList()) {
			if (TYPE_NAME.equals(cell.getName())) {
				layout.add(RowLayout.Cell.typeName(cell.getResultKey(), rowType.getName()));
				continue;
			}
			GraphQLFieldDefinition definition = rowType.getFieldDefinition(cell.getName());
			boolean column = section.columns().stream().map(ReportColumn::field).anyMatch(cell.getName()::equals);
			if (!column || !(GraphQLTypeUtil.unwrapNonNull(definition.getType()) instanceof GraphQLScalarType scalar)) {
				return null;
			}
			layout.add(RowLayout.Cell.column(cell.getResultKey(), cell.getName(), scalar));
		}
		return new RowLayout(List.copyOf(layout));
	}

}
