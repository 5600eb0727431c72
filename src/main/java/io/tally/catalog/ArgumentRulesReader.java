package io.tally.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLTypeUtil;

/**
 * Reads a report field's argument rules from its SDL directives and checks they fit the field:
 * {@code @dateRange} names two {@code Date} arguments, {@code @years} sits on an {@code Int} or a
 * {@code Date}, {@code @page} on a connection, and every bound is sensible. The directives are
 * declared in {@code schema/tally.graphqls}.
 */
final class ArgumentRulesReader {

	static final String DATE_RANGE = "dateRange";

	static final String YEARS = "years";

	static final String PAGE = "page";

	/** The largest page a directive may allow: a page is read and held in memory at once. */
	private static final int PAGE_CEILING = 10_000;

	private final String report;

	private final Problems problems;

	ArgumentRulesReader(String report, Problems problems) {
		this.report = report;
		this.problems = problems;
	}

	ArgumentRules read(GraphQLFieldDefinition field, boolean connection) {
		return new ArgumentRules(dateRange(field), years(field.getArguments()), page(field, connection));
	}

	private ArgumentRules.DateRange dateRange(GraphQLFieldDefinition field) {
		GraphQLAppliedDirective directive = field.getAppliedDirective(DATE_RANGE);
		if (directive == null) {
			return null;
		}
		String start = directive.getArgument("start").getValue();
		String end = directive.getArgument("end").getValue();
		int defaultDays = directive.getArgument("defaultDays").getValue();
		int maxDays = directive.getArgument("maxDays").getValue();
		boolean fits = isDate(field, start, "start") & isDate(field, end, "end");
		if (start.equals(end)) {
			return this.problems.add("Report '%s': @dateRange needs two different arguments, not '%s' twice",
					this.report, start);
		}
		if (maxDays < 1 || defaultDays < 1 || defaultDays > maxDays) {
			return this.problems.add("Report '%s': @dateRange needs 1 <= defaultDays <= maxDays, not defaultDays %d "
					+ "and maxDays %d", this.report, defaultDays, maxDays);
		}
		return fits ? new ArgumentRules.DateRange(start, end, defaultDays, maxDays) : null;
	}

	private boolean isDate(GraphQLFieldDefinition field, String name, String role) {
		GraphQLArgument argument = field.getArgument(name);
		if (argument == null || !GraphQLTypeUtil.unwrapAll(argument.getType()).getName().equals("Date")) {
			this.problems.add("Report '%s': @dateRange(%s: \"%s\") must name a Date argument of Query.%s", this.report,
					role, name, this.report);
			return false;
		}
		return true;
	}

	private Map<String, ArgumentRules.Years> years(List<GraphQLArgument> arguments) {
		Map<String, ArgumentRules.Years> years = new LinkedHashMap<>();
		for (GraphQLArgument argument : arguments) {
			GraphQLAppliedDirective directive = argument.getAppliedDirective(YEARS);
			if (directive == null) {
				continue;
			}
			String type = GraphQLTypeUtil.unwrapAll(argument.getType()).getName();
			int min = directive.getArgument("min").getValue();
			int max = directive.getArgument("max").getValue();
			if (!type.equals("Int") && !type.equals("Date")) {
				this.problems.add("Report '%s': @years on argument '%s' needs an Int or a Date, not %s", this.report,
						argument.getName(), type);
			}
			else if (min > max) {
				this.problems.add("Report '%s': @years on argument '%s' has min %d after max %d", this.report,
						argument.getName(), min, max);
			}
			else {
				years.put(argument.getName(), new ArgumentRules.Years(min, max));
			}
		}
		return Map.copyOf(years);
	}

	private ArgumentRules.Page page(GraphQLFieldDefinition field, boolean connection) {
		GraphQLAppliedDirective directive = field.getAppliedDirective(PAGE);
		if (directive == null) {
			return connection ? this.problems.add("Report '%s': a connection needs @page(defaultSize:, maxSize:) "
					+ "to say how many edges `first` may ask for", this.report) : null;
		}
		if (!connection) {
			return this.problems.add("Report '%s': @page is for connections (edges and pageInfo)", this.report);
		}
		int defaultSize = directive.getArgument("defaultSize").getValue();
		int maxSize = directive.getArgument("maxSize").getValue();
		if (defaultSize < 1 || defaultSize > maxSize || maxSize > PAGE_CEILING) {
			return this.problems.add("Report '%s': @page needs 1 <= defaultSize <= maxSize <= %d, not defaultSize %d "
					+ "and maxSize %d", this.report, PAGE_CEILING, defaultSize, maxSize);
		}
		return new ArgumentRules.Page(defaultSize, maxSize);
	}

}
