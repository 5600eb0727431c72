package io.tally.catalog;

import java.util.List;

/**
 * One field of a report type and the SQL file that fills it.
 *
 * @param field the field of the report type ({@code days})
 * @param file where the SQL came from, for messages ({@code sql/reports/daily_revenue/days.sql})
 * @param sql the query, with named parameters
 * @param shape how its rows become the field's value
 * @param columns the GraphQL fields of one row and the columns that feed them
 */
public record ReportSection(String field, String file, String sql, Shape shape, List<ReportColumn> columns) {

	/** How a section's rows become a value. */
	public enum Shape {

		/** A list field: every row, in the query's order. */
		ROWS,

		/** An object field: exactly one row. */
		ROW,

		/** A connection's {@code edges}: one page of rows, each with a cursor column. */
		EDGES

	}

}
