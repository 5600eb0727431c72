package io.tally.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One report: a {@code Query} field marked {@code @report}, the view it reads and the SQL that
 * fills each field of its type.
 *
 * @param field the {@code Query} field name, which is also the report's public name
 * @param view the view name: {@code mv.<view>} is refreshed, {@code report.<view>} is read
 * @param refreshInterval how often the view is refreshed
 * @param maxStaleness how old its data may get before answers are marked stale
 * @param quietWindow the daily UTC window in which its view is not refreshed on schedule, or null
 * @param arguments the field's arguments that become SQL parameters, in schema order
 * @param sections one SQL query per field of the report type
 * @param parameterTypes the PostgreSQL type of every SQL parameter, as PostgreSQL describes it
 * @param connection whether the report type is a Relay connection paged by {@code first}/{@code after}
 * @param rules the checks and defaults of its arguments, from its SDL directives
 * @param split how the view is held as a recent and a history part, or null when it is one view
 */
public record ReportDefinition(String field, String view, Duration refreshInterval, Duration maxStaleness,
		QuietWindow quietWindow, List<ReportArgument> arguments, List<ReportSection> sections, Map<String, String> parameterTypes,
		boolean connection, ArgumentRules rules, ViewSplit split) {

	/** The argument holding a connection's page size. */
	public static final String FIRST = "first";

	/** The argument holding a connection's opaque cursor. */
	public static final String AFTER = "after";

	/** The SQL parameter an edges query gets: the page size plus one, to tell whether a next page exists. */
	public static final String LIMIT_PARAMETER = "limit";

	/** The SQL parameter an edges query gets: the decoded cursor of the last row already served. */
	public static final String AFTER_PARAMETER = "after";

	/** The column of an edges query that becomes each edge's cursor. */
	public static final String CURSOR_COLUMN = "cursor";

	/**
	 * By the field alone: a catalog holds one definition per field, and every cache hit hashes the
	 * report it counts a request for, so hashing every section's SQL and every rule each time was
	 * measurable. Equal definitions still have equal hashes; equality stays the record's own.
	 */
	@Override
	public int hashCode() {
		return this.field.hashCode();
	}

	/** The materialized views refreshed for this report: {@code <view>}, or its history and recent parts. */
	public List<String> materializedViews() {
		return (this.split == null) ? List.of(this.view)
				: List.of(this.view + ViewSplit.HISTORY, this.view + ViewSplit.RECENT);
	}

	/** How often one of its materialized views is refreshed: the history part on its own, longer interval. */
	public Duration refreshIntervalOf(String materializedView) {
		return (this.split != null && ViewSplit.isHistory(materializedView)) ? this.split.historyRefresh()
				: this.refreshInterval;
	}

	/**
	 * How old one of its materialized views may get before answers are stale: the history part
	 * may be twice its own interval old, or the report's allowance if that is longer.
	 */
	public Duration maxStalenessOf(String materializedView) {
		if (this.split != null && ViewSplit.isHistory(materializedView)) {
			Duration twice = this.split.historyRefresh().multipliedBy(2);
			return (twice.compareTo(this.maxStaleness) > 0) ? twice : this.maxStaleness;
		}
		return this.maxStaleness;
	}

}
