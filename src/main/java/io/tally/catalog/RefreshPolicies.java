package io.tally.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;

import graphql.schema.GraphQLAppliedDirective;

/**
 * Resolves each report's refresh policy: the {@code @report} directive's values, each overridden
 * per deployment by {@code tally.reports.<field>.*}, with a maximum staleness of twice the
 * interval when neither gives one.
 */
final class RefreshPolicies {

	private static final ReportPolicyProperties.Policy NO_OVERRIDE = new ReportPolicyProperties.Policy(null, null,
			null, null);

	private final Map<String, ReportPolicyProperties.Policy> overrides;

	private final Problems problems;

	RefreshPolicies(Map<String, ReportPolicyProperties.Policy> overrides, Problems problems) {
		this.overrides = overrides;
		this.problems = problems;
	}

	/**
	 * @return the report's policy, or null when part of it is invalid (the problem is recorded)
	 */
	RefreshPolicy resolve(String report, GraphQLAppliedDirective directive) {
		ReportPolicyProperties.Policy override = this.overrides.getOrDefault(report, NO_OVERRIDE);
		Duration refresh = (override.refresh() != null) ? override.refresh()
				: duration(report, "refresh", directive.getArgument("refresh").getValue());
		String staleness = directive.getArgument("maxStaleness").getValue();
		Duration maxStaleness = (override.maxStaleness() != null) ? override.maxStaleness()
				: (staleness != null) ? duration(report, "maxStaleness", staleness)
						: (refresh != null) ? refresh.multipliedBy(2) : null;
		String quiet = (override.quietWindow() != null) ? override.quietWindow()
				: directive.getArgument("quietWindow").getValue();
		QuietWindow quietWindow = (quiet != null) ? quietWindow(report, quiet) : null;
		if (refresh == null || maxStaleness == null || (quiet != null && quietWindow == null)) {
			return null;
		}
		String recent = directive.getArgument("recent").getValue();
		String historyRefresh = directive.getArgument("historyRefresh").getValue();
		if ((recent == null) != (historyRefresh == null)) {
			return this.problems.add("Report '%s': a split view needs both recent and historyRefresh", report);
		}
		if (recent == null && override.historyRefresh() != null) {
			return this.problems.add("tally.reports.%s.history-refresh: report '%s' is not split (its @report has no "
					+ "recent:), so it has no history part", report, report);
		}
		ViewSplit split = null;
		if (recent != null) {
			Duration window = duration(report, "recent", recent);
			Duration history = (override.historyRefresh() != null) ? override.historyRefresh()
					: duration(report, "historyRefresh", historyRefresh);
			if (window == null || history == null) {
				return null;
			}
			if (window.toDays() < 1 || !window.equals(Duration.ofDays(window.toDays()))) {
				return this.problems.add("Report '%s': recent '%s' must be whole days such as P7D", report, recent);
			}
			split = new ViewSplit(window, history);
		}
		return new RefreshPolicy(refresh, maxStaleness, quietWindow, split);
	}

	/** An override for a report that does not exist is a typo the operator should hear about. */
	void checkOverridesNameReports(Collection<String> reports) {
		for (String overridden : this.overrides.keySet()) {
			if (!reports.contains(overridden)) {
				this.problems.add("tally.reports.%s: there is no report '%s'", overridden, overridden);
			}
		}
	}

	private Duration duration(String report, String argument, String value) {
		try {
			Duration duration = Duration.parse(value);
			if (duration.isNegative() || duration.isZero()) {
				return this.problems.add("Report '%s': %s '%s' must be positive", report, argument, value);
			}
			return duration;
		}
		catch (DateTimeParseException | NullPointerException ex) {
			return this.problems.add("Report '%s': %s '%s' is not an ISO-8601 duration such as PT5M", report,
					argument, value);
		}
	}

	private QuietWindow quietWindow(String report, String value) {
		try {
			return QuietWindow.parse(value);
		}
		catch (IllegalArgumentException ex) {
			return this.problems.add("Report '%s': quietWindow %s", report, ex.getMessage());
		}
	}

	/**
	 * @param refresh how often the view is refreshed
	 * @param maxStaleness how old its data may get before answers are marked stale
	 * @param quietWindow the daily UTC window without scheduled refreshes, or null
	 * @param split the recent and history parts of the view, or null when it is one view
	 */
	record RefreshPolicy(Duration refresh, Duration maxStaleness, QuietWindow quietWindow, ViewSplit split) {
	}

}
