package io.tally.catalog;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import org.springframework.jdbc.support.JdbcUtils;

/**
 * Matches one report's SDL with its SQL: each field of the report type has an SQL file whose
 * columns cover the field's row type with compatible types, and the field's arguments are exactly
 * the SQL files' parameters. Names match by snake case: column and parameter {@code provider_id}
 * is field and argument {@code providerId}.
 */
final class ReportSqlMatcher {

	private final String report;

	private final SqlFolder folder;

	private final SqlDescriber describer;

	private final Problems problems;

	/** The PostgreSQL type of every parameter over all the report's files. */
	private final Map<String, String> parameterTypes = new LinkedHashMap<>();

	ReportSqlMatcher(String report, SqlFolder folder, SqlDescriber describer, Problems problems) {
		this.report = report;
		this.folder = folder;
		this.describer = describer;
		this.problems = problems;
	}

	Map<String, String> parameterTypes() {
		return Map.copyOf(this.parameterTypes);
	}

	/**
	 * The field's arguments bound to the SQL parameters of the same name in snake case; a
	 * connection's {@code first} and {@code after} page instead.
	 */
	List<ReportArgument> arguments(GraphQLFieldDefinition field, boolean connection, List<ReportSection> sections) {
		Map<String, String> parameterByArgument = new HashMap<>();
		for (ReportSection section : sections) {
			for (String parameter : SqlDescriber.parameterNames(section.sql())) {
				parameterByArgument.put(JdbcUtils.convertUnderscoreNameToPropertyName(parameter), parameter);
			}
		}
		List<ReportArgument> arguments = new ArrayList<>();
		for (GraphQLArgument argument : field.getArguments()) {
			String name = argument.getName();
			String type = GraphQLTypeUtil.unwrapAll(argument.getType()).getName();
			if (connection && name.equals(ReportDefinition.FIRST)) {
				expectType(argument, type, "Int");
			}
			else if (connection && name.equals(ReportDefinition.AFTER)) {
				expectType(argument, type, "String");
			}
			else if (!parameterByArgument.containsKey(name)) {
				this.problems.add("Report '%s': argument '%s' is not used (as :%s in snake case) by any of its SQL "
						+ "files in %s", this.report, name, name, this.folder.location());
			}
			else {
				arguments.add(new ReportArgument(name, parameterByArgument.get(name), type,
						GraphQLTypeUtil.isNonNull(argument.getType())));
			}
		}
		return arguments;
	}

	/** Every parameter of a section is an argument, and an edges query pages with {@code :after} and {@code :limit}. */
	void checkParameters(ReportSection section, List<ReportArgument> arguments) {
		Set<String> allowed = new HashSet<>();
		arguments.forEach(argument -> allowed.add(argument.parameter()));
		if (section.shape() == ReportSection.Shape.EDGES) {
			allowed.add(ReportDefinition.AFTER_PARAMETER);
			allowed.add(ReportDefinition.LIMIT_PARAMETER);
		}
		List<String> parameters = SqlDescriber.parameterNames(section.sql());
		for (String parameter : parameters) {
			if (!allowed.contains(parameter)) {
				this.problems.add("Report '%s': %s uses :%s, which is not an argument of Query.%s", this.report,
						section.file(), parameter, this.report);
			}
		}
		if (section.shape() == ReportSection.Shape.EDGES && !(parameters.contains(ReportDefinition.LIMIT_PARAMETER)
				&& parameters.contains(ReportDefinition.AFTER_PARAMETER))) {
			this.problems.add("Report '%s': %s must page with :%s and :%s", this.report, section.file(),
					ReportDefinition.AFTER_PARAMETER, ReportDefinition.LIMIT_PARAMETER);
		}
	}

	/**
	 * The section filling one field of the report type, from its SQL file.
	 * @return the section, or null when it does not match (the problem is recorded)
	 */
	ReportSection section(GraphQLObjectType reportType, GraphQLFieldDefinition field, boolean edges) {
		String coordinates = reportType.getName() + "." + field.getName();
		GraphQLType unwrapped = GraphQLTypeUtil.unwrapNonNull(field.getType());
		boolean list = unwrapped instanceof GraphQLList;
		GraphQLNamedType element = GraphQLTypeUtil.unwrapAll(field.getType());
		if (!(element instanceof GraphQLObjectType rowType)) {
			return this.problems.add(
					"Report '%s': field %s must be an object or a list of objects read from its own SQL file",
					this.report, coordinates);
		}
		ReportSection.Shape shape = ReportSection.Shape.ROW;
		if (edges) {
			GraphQLFieldDefinition node = rowType.getFieldDefinition("node");
			if (!list || node == null
					|| !(GraphQLTypeUtil.unwrapAll(node.getType()) instanceof GraphQLObjectType nodeType)
					|| rowType.getFieldDefinition(ReportDefinition.CURSOR_COLUMN) == null) {
				return this.problems.add(
						"Report '%s': connection field %s must be a list of edges with 'node' and 'cursor'",
						this.report, coordinates);
			}
			rowType = nodeType;
			shape = ReportSection.Shape.EDGES;
		}
		else if (list) {
			shape = ReportSection.Shape.ROWS;
		}
		String sql = this.folder.sql(field.getName());
		if (sql == null) {
			return this.problems.add("Report '%s': field %s needs the SQL file %s<%s in snake case>.sql, "
					+ "which does not exist", this.report, coordinates, this.folder.location(), field.getName());
		}
		String file = this.folder.file(field.getName());
		SqlDescriber.SqlDescription description;
		try {
			description = this.describer.describe(sql);
		}
		catch (SQLException ex) {
			return this.problems.add("Report '%s': %s does not run as the query role: %s", this.report, file,
					ex.getMessage());
		}
		description.parameters().forEach((name, type) -> {
			String previous = this.parameterTypes.putIfAbsent(name, type);
			if (previous != null && !previous.equals(type)) {
				this.problems.add("Report '%s': :%s is used as %s in %s but as %s elsewhere", this.report, name, type,
						file, previous);
			}
		});
		return new ReportSection(field.getName(), file, sql, shape, columns(file, rowType, description, shape));
	}

	private List<ReportColumn> columns(String file, GraphQLObjectType rowType, SqlDescriber.SqlDescription description,
			ReportSection.Shape shape) {
		Map<String, String> labelByField = new LinkedHashMap<>();
		for (String label : description.columnLabels()) {
			labelByField.put(JdbcUtils.convertUnderscoreNameToPropertyName(label), label);
		}
		if (shape == ReportSection.Shape.EDGES && !description.columns().containsKey(ReportDefinition.CURSOR_COLUMN)) {
			this.problems.add("Report '%s': %s must return a '%s' column for the edges' cursors", this.report, file,
					ReportDefinition.CURSOR_COLUMN);
		}
		List<ReportColumn> columns = new ArrayList<>();
		for (GraphQLFieldDefinition field : rowType.getFieldDefinitions()) {
			String coordinates = rowType.getName() + "." + field.getName();
			GraphQLNamedType type = GraphQLTypeUtil.unwrapAll(field.getType());
			String typeName = (type instanceof GraphQLEnumType) ? "String" : type.getName();
			if (!(type instanceof GraphQLScalarType || type instanceof GraphQLEnumType)
					|| GraphQLTypeUtil.unwrapNonNull(field.getType()) instanceof GraphQLList
					|| !ColumnTypes.isScalarKnown(typeName)) {
				this.problems.add("Report '%s': field %s is %s; a report row holds only the scalars Int, Long, Float, "
						+ "Decimal, String, ID, Boolean, Date, DateTime and enums", this.report, coordinates,
						GraphQLTypeUtil.simplePrint(field.getType()));
				continue;
			}
			String label = labelByField.get(field.getName());
			if (label == null) {
				this.problems.add("Report '%s': field %s has no column (%s in snake case) in %s (it returns %s)",
						this.report, coordinates, field.getName(), file, String.join(", ", description.columnLabels()));
				continue;
			}
			String columnType = description.columns().get(label);
			if (!ColumnTypes.fits(columnType, typeName)) {
				this.problems.add("Report '%s': column %s of %s is %s, but field %s is %s, which takes %s", this.report,
						label, file, columnType, coordinates, typeName, ColumnTypes.accepted(typeName));
			}
			columns.add(new ReportColumn(label, field.getName(), typeName, GraphQLTypeUtil.isNonNull(field.getType())));
		}
		return columns;
	}

	private void expectType(GraphQLArgument argument, String actual, String expected) {
		if (!actual.equals(expected)) {
			this.problems.add("Report '%s': connection argument '%s' must be %s, not %s", this.report,
					argument.getName(), expected, actual);
		}
	}

}
