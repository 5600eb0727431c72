package io.tally.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.GraphQLContext;
import io.tally.catalog.ReportColumn;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.response.AnswerWriter;
import io.tally.response.Utf8Json;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * One section's result set, read into its field's value: rows as maps for execution, or written
 * as JSON under a request's {@link RowLayout}, cell by cell from the result set.
 */
final class SectionRows {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ReportDefinition report;

	private final ReportSection section;

	private int rows;

	SectionRows(ReportDefinition report, ReportSection section) {
		this.report = report;
		this.section = section;
	}

	int rows() {
		return this.rows;
	}

	/** Every row as a map of its fields, in the query's order. */
	List<Map<String, Object>> maps(ResultSet rs) throws SQLException {
		List<Map<String, Object>> rows = new ArrayList<>();
		int[] indexes = indexes(rs);
		while (rs.next()) {
			Map<String, Object> row = new LinkedHashMap<>();
			for (int i = 0; i < indexes.length; i++) {
				ReportColumn column = this.section.columns().get(i);
				row.put(column.field(), value(rs, column, indexes[i]));
			}
			if (this.section.shape() == ReportSection.Shape.EDGES) {
				row.put(Connections.CURSOR_KEY, rs.getString(ReportDefinition.CURSOR_COLUMN));
			}
			rows.add(row);
		}
		this.rows = rows.size();
		return rows;
	}

	/** The one row of a {@code ROW} section. */
	Object single(List<Map<String, Object>> rows) {
		exactlyOne(rows.size());
		return rows.get(0);
	}

	/**
	 * The section's value written as JSON: the list of its rows, or for a {@code ROW} section its
	 * one row, each cell serialized by its field's scalar as execution serializes it.
	 * @throws UnwritableValue when a scalar refuses a value, which execution reports as a field error
	 */
	Utf8Json json(ResultSet rs, RowLayout layout) throws SQLException {
		List<RowLayout.Cell> cells = layout.cells();
		ReportColumn[] columns = new ReportColumn[cells.size()];
		int[] indexes = new int[cells.size()];
		for (int i = 0; i < columns.length; i++) {
			String field = cells.get(i).field();
			if (field != null) {
				columns[i] = this.section.columns().stream().filter(c -> c.field().equals(field)).findFirst().orElseThrow();
				indexes[i] = rs.findColumn(columns[i].column());
			}
		}
		boolean list = this.section.shape() == ReportSection.Shape.ROWS;
		ByteArrayBuilder bytes = new ByteArrayBuilder(list ? 4096 : 256);
		try (JsonGenerator generator = JSON.createGenerator(bytes)) {
			if (list) {
				generator.writeStartArray();
			}
			while (rs.next()) {
				if (++this.rows > 1 && !list) {
					continue;
				}
				generator.writeStartObject();
				for (int i = 0; i < columns.length; i++) {
					generator.writeName(cells.get(i).key());
					if (columns[i] == null) {
						generator.writeString(cells.get(i).typeName());
					}
					else {
						AnswerWriter.writeScalar(generator, serialize(cells.get(i), value(rs, columns[i], indexes[i])));
					}
				}
				generator.writeEndObject();
			}
			if (list) {
				generator.writeEndArray();
			}
			else {
				exactlyOne(this.rows);
			}
		}
		return new Utf8Json(bytes.toByteArray());
	}

	private static Object serialize(RowLayout.Cell cell, Object value) {
		if (value == null) {
			return null;
		}
		try {
			return cell.scalar().getCoercing().serialize(value, GraphQLContext.getDefault(), Locale.ROOT);
		}
		catch (RuntimeException refused) {
			throw new UnwritableValue(refused);
		}
	}

	private void exactlyOne(int rows) {
		if (rows != 1) {
			throw new IllegalStateException("Report '" + this.report.field() + "': " + this.section.file()
					+ " must return exactly one row but returned " + rows);
		}
	}

	/** Each column's position, found by name once per result rather than once per row and column. */
	private int[] indexes(ResultSet rs) throws SQLException {
		int[] indexes = new int[this.section.columns().size()];
		for (int i = 0; i < indexes.length; i++) {
			indexes[i] = rs.findColumn(this.section.columns().get(i).column());
		}
		return indexes;
	}

	private Object value(ResultSet rs, ReportColumn column, int index) throws SQLException {
		Object value = switch (column.graphQlType()) {
			case "Date" -> rs.getObject(index, LocalDate.class);
			case "DateTime" -> instant(rs.getObject(index, OffsetDateTime.class));
			case "ID" -> rs.getString(index);
			default -> rs.getObject(index);
		};
		if (value == null && column.nonNull()) {
			throw new IllegalStateException("Report '" + this.report.field() + "': " + this.section.file()
					+ " returned NULL in column " + column.column() + " for the non-null field " + column.field());
		}
		return value;
	}

	/** PostgreSQL's +-infinity, which the driver gives as the largest and smallest OffsetDateTime, is no instant. */
	private static OffsetDateTime instant(OffsetDateTime value) {
		return (OffsetDateTime.MAX.equals(value) || OffsetDateTime.MIN.equals(value)) ? null : value;
	}

}
