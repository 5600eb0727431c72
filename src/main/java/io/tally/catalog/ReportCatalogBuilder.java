package io.tally.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Reads the {@code @report} fields of a schema, loads each one's SQL and checks the two agree:
 * every SQL file exists, its parameters are the field's arguments, and its columns cover the
 * GraphQL type's fields with compatible types. Problems are collected, not thrown one at a time,
 * so a broken report is fixed in one round.
 */
final class ReportCatalogBuilder {

	static final String DIRECTIVE = "report";

	private static final Pattern VIEW_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final String FRESHNESS = "freshness";

	private static final String PAGE_INFO = "pageInfo";

	private static final String EDGES = "edges";

	private final ResourceLoader resourceLoader;

	private final String sqlLocation;

	private final SqlDescriber describer;

	private final Map<String, ReportPolicyProperties.Policy> policies;

	private final List<String> problems = new ArrayList<>();

	ReportCatalogBuilder(ResourceLoader resourceLoader, String sqlLocation, SqlDescriber describer) {
		this(resourceLoader, sqlLocation, describer, Map.of());
	}

	/**
	 * @param policies refresh policy overrides by report, from {@code tally.reports.*}
	 */
	ReportCatalogBuilder(ResourceLoader resourceLoader, String sqlLocation, SqlDescriber describer,
			Map<String, ReportPolicyProperties.Policy> policies) {
		this.resourceLoader = resourceLoader;
		this.sqlLocation = sqlLocation.endsWith("/") ? sqlLocation : sqlLocation + "/";
		this.describer = describer;
		this.policies = policies;
	}

	ReportCatalog build(GraphQLSchema schema) {
		List<ReportDefinition> reports = new ArrayList<>();
		for (GraphQLFieldDefinition field : schema.getQueryType().getFieldDefinitions()) {
			GraphQLAppliedDirective directive = field.getAppliedDirective(DIRECTIVE);
			if (directive != null) {
				ReportDefinition report = define(field, directive);
				if (report != null) {
					reports.add(report);
				}
			}
		}
		for (String overridden : this.policies.keySet()) {
			if (reports.stream().noneMatch(report -> report.field().equals(overridden))) {
				problem("tally.reports.%s: there is no report '%s'", overridden, overridden);
			}
		}
		if (!this.problems.isEmpty()) {
			throw new ReportCatalogException(this.problems);
		}
		return new ReportCatalog(reports);
	}

	private ReportDefinition define(GraphQLFieldDefinition field, GraphQLAppliedDirective directive) {
		String report = field.getName();
		String view = directive.getArgument("view").getValue();
		if (view == null || !VIEW_NAME.matcher(view).matches()) {
			return problem("Report '%s': view '%s' is not a lower-case SQL identifier", report, view);
		}
		ReportPolicyProperties.Policy policy = this.policies.getOrDefault(report,
				new ReportPolicyProperties.Policy(null, null, null));
		Duration refresh = (policy.refresh() != null) ? policy.refresh()
				: duration(report, "refresh", directive.getArgument("refresh").getValue());
		String staleness = directive.getArgument("maxStaleness").getValue();
		Duration maxStaleness = (policy.maxStaleness() != null) ? policy.maxStaleness()
				: (staleness != null) ? duration(report, "maxStaleness", staleness)
						: (refresh != null) ? refresh.multipliedBy(2) : null;
		String quiet = (policy.quietWindow() != null) ? policy.quietWindow()
				: directive.getArgument("quietWindow").getValue();
		QuietWindow quietWindow = (quiet != null) ? quietWindow(report, quiet) : null;
		if (!(GraphQLTypeUtil.unwrapNonNull(field.getType()) instanceof GraphQLObjectType type)) {
			return problem("Report '%s': its type must be an object type", report);
		}
		if (!hasFreshness(type)) {
			problem("Report '%s': type %s needs the field 'freshness: Freshness!'", report, type.getName());
		}
		boolean connection = type.getFieldDefinition(EDGES) != null && type.getFieldDefinition(PAGE_INFO) != null;
		List<ReportArgument> arguments = arguments(report, field, connection);
		Map<String, String> parameterTypes = new LinkedHashMap<>();
		Set<String> usedParameters = new HashSet<>();
		List<ReportSection> sections = new ArrayList<>();
		for (GraphQLFieldDefinition sectionField : type.getFieldDefinitions()) {
			String name = sectionField.getName();
			if (name.equals(FRESHNESS) || (connection && name.equals(PAGE_INFO))) {
				continue;
			}
			ReportSection section = section(report, view, type, sectionField, connection && name.equals(EDGES),
					parameterTypes);
			if (section != null) {
				checkParameters(report, section, arguments, usedParameters);
				sections.add(section);
			}
		}
		for (ReportArgument argument : arguments) {
			if (!usedParameters.contains(argument.parameter())) {
				problem("Report '%s': argument '%s' is not used as :%s by any of its SQL files in %s%s/", report,
						argument.name(), argument.parameter(), this.sqlLocation, view);
			}
		}
		if (refresh == null || maxStaleness == null || (quiet != null && quietWindow == null)) {
			return null;
		}
		return new ReportDefinition(report, view, refresh, maxStaleness, quietWindow, arguments, sections,
				Map.copyOf(parameterTypes), connection);
	}

	private List<ReportArgument> arguments(String report, GraphQLFieldDefinition field, boolean connection) {
		List<ReportArgument> arguments = new ArrayList<>();
		for (GraphQLArgument argument : field.getArguments()) {
			String type = GraphQLTypeUtil.unwrapAll(argument.getType()).getName();
			if (connection && argument.getName().equals(ReportDefinition.FIRST)) {
				expectType(report, argument, type, "Int");
			}
			else if (connection && argument.getName().equals(ReportDefinition.AFTER)) {
				expectType(report, argument, type, "String");
			}
			else {
				arguments.add(new ReportArgument(argument.getName(), snakeCase(argument.getName()), type,
						GraphQLTypeUtil.isNonNull(argument.getType())));
			}
		}
		return arguments;
	}

	private void expectType(String report, GraphQLArgument argument, String actual, String expected) {
		if (!actual.equals(expected)) {
			problem("Report '%s': connection argument '%s' must be %s, not %s", report, argument.getName(),
					expected, actual);
		}
	}

	private ReportSection section(String report, String view, GraphQLObjectType reportType,
			GraphQLFieldDefinition field, boolean edges, Map<String, String> parameterTypes) {
		String coordinates = reportType.getName() + "." + field.getName();
		GraphQLType unwrapped = GraphQLTypeUtil.unwrapNonNull(field.getType());
		boolean list = unwrapped instanceof GraphQLList;
		GraphQLNamedType element = GraphQLTypeUtil.unwrapAll(field.getType());
		if (!(element instanceof GraphQLObjectType rowType)) {
			return problem("Report '%s': field %s must be an object or a list of objects read from its own SQL file",
					report, coordinates);
		}
		ReportSection.Shape shape = ReportSection.Shape.ROW;
		if (edges) {
			GraphQLFieldDefinition node = rowType.getFieldDefinition("node");
			if (!list || node == null || !(GraphQLTypeUtil.unwrapAll(node.getType()) instanceof GraphQLObjectType nodeType)
					|| rowType.getFieldDefinition(ReportDefinition.CURSOR_COLUMN) == null) {
				return problem("Report '%s': connection field %s must be a list of edges with 'node' and 'cursor'",
						report, coordinates);
			}
			rowType = nodeType;
			shape = ReportSection.Shape.EDGES;
		}
		else if (list) {
			shape = ReportSection.Shape.ROWS;
		}
		String file = this.sqlLocation + view + "/" + snakeCase(field.getName()) + ".sql";
		String sql = load(file);
		if (sql == null) {
			return problem("Report '%s': field %s needs the SQL file %s, which does not exist", report, coordinates,
					file);
		}
		SqlDescriber.SqlDescription description;
		try {
			description = this.describer.describe(sql);
		}
		catch (SQLException ex) {
			return problem("Report '%s': %s does not run as the query role: %s", report, file, ex.getMessage());
		}
		description.parameters().forEach((name, type) -> {
			String previous = parameterTypes.putIfAbsent(name, type);
			if (previous != null && !previous.equals(type)) {
				problem("Report '%s': :%s is used as %s in %s but as %s elsewhere", report, name, type, file, previous);
			}
		});
		List<ReportColumn> columns = columns(report, file, rowType, description, shape);
		return new ReportSection(field.getName(), file, sql, shape, columns);
	}

	private List<ReportColumn> columns(String report, String file, GraphQLObjectType rowType,
			SqlDescriber.SqlDescription description, ReportSection.Shape shape) {
		Map<String, String> labelByField = new LinkedHashMap<>();
		for (String label : description.columnLabels()) {
			labelByField.put(JdbcUtils.convertUnderscoreNameToPropertyName(label), label);
		}
		if (shape == ReportSection.Shape.EDGES && !description.columns().containsKey(ReportDefinition.CURSOR_COLUMN)) {
			problem("Report '%s': %s must return a '%s' column for the edges' cursors", report, file,
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
				problem("Report '%s': field %s is %s; a report row holds only the scalars Int, Long, Float, Decimal, "
						+ "String, ID, Boolean, Date, DateTime and enums", report, coordinates,
						GraphQLTypeUtil.simplePrint(field.getType()));
				continue;
			}
			String label = labelByField.get(field.getName());
			if (label == null) {
				problem("Report '%s': field %s has no column %s in %s (it returns %s)", report, coordinates,
						snakeCase(field.getName()), file, String.join(", ", description.columnLabels()));
				continue;
			}
			String columnType = description.columns().get(label);
			if (!ColumnTypes.fits(columnType, typeName)) {
				problem("Report '%s': column %s of %s is %s, but field %s is %s, which takes %s", report, label, file,
						columnType, coordinates, typeName, ColumnTypes.accepted(typeName));
			}
			columns.add(new ReportColumn(label, field.getName(), typeName, GraphQLTypeUtil.isNonNull(field.getType())));
		}
		return columns;
	}

	private void checkParameters(String report, ReportSection section, List<ReportArgument> arguments,
			Set<String> used) {
		Set<String> allowed = new HashSet<>();
		arguments.forEach(argument -> allowed.add(argument.parameter()));
		if (section.shape() == ReportSection.Shape.EDGES) {
			allowed.add(ReportDefinition.AFTER_PARAMETER);
			allowed.add(ReportDefinition.LIMIT_PARAMETER);
		}
		List<String> parameters = SqlDescriber.parameterNames(section.sql());
		for (String parameter : parameters) {
			if (!allowed.contains(parameter)) {
				problem("Report '%s': %s uses :%s, which is not an argument of Query.%s", report, section.file(),
						parameter, report);
			}
			used.add(parameter);
		}
		if (section.shape() == ReportSection.Shape.EDGES
				&& !(parameters.contains(ReportDefinition.LIMIT_PARAMETER) && parameters.contains(ReportDefinition.AFTER_PARAMETER))) {
			problem("Report '%s': %s must page with :%s and :%s", report, section.file(),
					ReportDefinition.AFTER_PARAMETER, ReportDefinition.LIMIT_PARAMETER);
		}
	}

	private Duration duration(String report, String argument, String value) {
		try {
			Duration duration = Duration.parse(value);
			if (duration.isNegative() || duration.isZero()) {
				return problem("Report '%s': %s '%s' must be positive", report, argument, value);
			}
			return duration;
		}
		catch (DateTimeParseException | NullPointerException ex) {
			return problem("Report '%s': %s '%s' is not an ISO-8601 duration such as PT5M", report, argument, value);
		}
	}

	private QuietWindow quietWindow(String report, String value) {
		try {
			return QuietWindow.parse(value);
		}
		catch (IllegalArgumentException ex) {
			return problem("Report '%s': quietWindow %s", report, ex.getMessage());
		}
	}

	private static boolean hasFreshness(GraphQLObjectType type) {
		GraphQLFieldDefinition freshness = type.getFieldDefinition(FRESHNESS);
		return freshness != null && freshness.getType() instanceof GraphQLNonNull nonNull
				&& GraphQLTypeUtil.unwrapAll(nonNull).getName().equals("Freshness");
	}

	private String load(String location) {
		Resource resource = this.resourceLoader.getResource(location);
		if (!resource.exists()) {
			return null;
		}
		try {
			return resource.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
	}

	private <T> T problem(String format, Object... args) {
		this.problems.add(String.format(format, args));
		return null;
	}

	/** {@code providerId} to {@code provider_id}: SQL files and parameters are named in snake case. */
	static String snakeCase(String camelCase) {
		StringBuilder snake = new StringBuilder();
		for (char c : camelCase.toCharArray()) {
			if (Character.isUpperCase(c)) {
				snake.append('_').append(Character.toLowerCase(c));
			}
			else {
				snake.append(c);
			}
		}
		return snake.toString();
	}

}
