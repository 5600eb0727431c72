package io.tally.catalog;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;

import org.springframework.core.io.ResourceLoader;

/**
 * Reads the {@code @report} fields of a schema into the catalog: {@link RefreshPolicies} resolves
 * each one's refresh policy, {@link ReportSqlMatcher} checks its SDL against its SQL and
 * {@link ArgumentRulesReader} reads its argument rules. Problems
 * of all reports are collected and thrown together.
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

	private final Problems problems = new Problems();

	private final RefreshPolicies policies;

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
		this.policies = new RefreshPolicies(policies, this.problems);
	}

	ReportCatalog build(GraphQLSchema schema) {
		List<ReportDefinition> reports = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (GraphQLFieldDefinition field : schema.getQueryType().getFieldDefinitions()) {
			GraphQLAppliedDirective directive = field.getAppliedDirective(DIRECTIVE);
			if (directive != null) {
				names.add(field.getName());
				ReportDefinition report = define(field, directive);
				if (report != null) {
					reports.add(report);
				}
			}
		}
		this.policies.checkOverridesNameReports(names);
		this.problems.throwIfAny();
		return new ReportCatalog(reports);
	}

	private ReportDefinition define(GraphQLFieldDefinition field, GraphQLAppliedDirective directive) {
		String report = field.getName();
		String view = directive.getArgument("view").getValue();
		if (view == null || !VIEW_NAME.matcher(view).matches()) {
			return this.problems.add("Report '%s': view '%s' is not a lower-case SQL identifier", report, view);
		}
		RefreshPolicies.RefreshPolicy policy = this.policies.resolve(report, directive);
		if (!(GraphQLTypeUtil.unwrapNonNull(field.getType()) instanceof GraphQLObjectType type)) {
			return this.problems.add("Report '%s': its type must be an object type", report);
		}
		if (!hasFreshness(type)) {
			this.problems.add("Report '%s': type %s needs the field 'freshness: Freshness!'", report, type.getName());
		}
		boolean connection = type.getFieldDefinition(EDGES) != null && type.getFieldDefinition(PAGE_INFO) != null;
		ReportSqlMatcher matcher = new ReportSqlMatcher(report,
				new SqlFolder(this.resourceLoader, this.sqlLocation + view + "/"), this.describer, this.problems);
		List<ReportSection> sections = new ArrayList<>();
		for (GraphQLFieldDefinition sectionField : type.getFieldDefinitions()) {
			String name = sectionField.getName();
			if (!name.equals(FRESHNESS) && !(connection && name.equals(PAGE_INFO))) {
				ReportSection section = matcher.section(type, sectionField, connection && name.equals(EDGES));
				if (section != null) {
					sections.add(section);
				}
			}
		}
		List<ReportArgument> arguments = matcher.arguments(field, connection, sections);
		sections.forEach(section -> matcher.checkParameters(section, arguments));
		ArgumentRules rules = new ArgumentRulesReader(report, this.problems).read(field, connection);
		if (policy == null) {
			return null;
		}
		if (policy.split() != null) {
			checkSplit(report, view, policy.split());
		}
		return new ReportDefinition(report, view, policy.refresh(), policy.maxStaleness(), policy.quietWindow(),
				arguments, sections, matcher.parameterTypes(), connection, rules, policy.split());
	}

	/**
	 * A split view's parts exist, and their comments name the recent window their SQL computes, so
	 * the directive and the SQL cannot drift apart unnoticed.
	 */
	private void checkSplit(String report, String view, ViewSplit split) {
		String window = "(recent: P" + split.recentDays() + "D)";
		for (String part : List.of(view + ViewSplit.HISTORY, view + ViewSplit.RECENT)) {
			try {
				String comment = this.describer.materializedViewComment(part);
				if (comment == null) {
					this.problems.add("Report '%s': its view is split, but there is no materialized view mv.%s", report,
							part);
				}
				else if (!comment.contains(window)) {
					this.problems.add("Report '%s': the comment on mv.%s must say '%s' as the directive does, showing"
							+ " its SQL computes that window; it says '%s'", report, part, window, comment);
				}
			}
			catch (SQLException ex) {
				this.problems.add("Report '%s': cannot look up mv.%s: %s", report, part, ex.getMessage());
			}
		}
	}

	private static boolean hasFreshness(GraphQLObjectType type) {
		GraphQLFieldDefinition freshness = type.getFieldDefinition(FRESHNESS);
		return freshness != null && freshness.getType() instanceof GraphQLNonNull nonNull
				&& GraphQLTypeUtil.unwrapAll(nonNull).getName().equals("Freshness");
	}

}
