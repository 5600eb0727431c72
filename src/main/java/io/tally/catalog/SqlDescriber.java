package io.tally.catalog;

import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.SqlParameter;
import org.springframework.jdbc.core.namedparam.EmptySqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;

/**
 * Asks PostgreSQL what a report query returns and expects, without running it. The description
 * runs as the query role, so a query reading anything that role may not read fails here, at
 * start-up, instead of at a caller's first request.
 */
class SqlDescriber {

	private final DataSource dataSource;

	private final String queryRole;

	SqlDescriber(DataSource dataSource, String queryRole) {
		this.dataSource = dataSource;
		this.queryRole = queryRole;
	}

	/** The named parameters of a query in order of first use. */
	static List<String> parameterNames(String sql) {
		ParsedSql parsed = NamedParameterUtils.parseSqlStatement(sql);
		return NamedParameterUtils.buildSqlParameterList(parsed, new EmptySqlParameterSource())
			.stream()
			.map(SqlParameter::getName)
			.distinct()
			.toList();
	}

	SqlDescription describe(String sql) throws SQLException {
		ParsedSql parsed = NamedParameterUtils.parseSqlStatement(sql);
		List<String> positional = NamedParameterUtils
			.buildSqlParameterList(parsed, new EmptySqlParameterSource())
			.stream()
			.map(SqlParameter::getName)
			.toList();
		String jdbcSql = NamedParameterUtils.parseSqlStatementIntoString(sql);
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				try (PreparedStatement role = connection.prepareStatement("SELECT set_config('role', ?, true)")) {
					role.setString(1, this.queryRole);
					role.execute();
				}
				try (PreparedStatement statement = connection.prepareStatement(jdbcSql)) {
					return new SqlDescription(columns(statement.getMetaData()),
							parameters(statement.getParameterMetaData(), positional));
				}
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(autoCommit);
			}
		}
	}

	/**
	 * The comment on materialized view {@code mv.<name>}: empty when it has none, null when there is
	 * no such materialized view.
	 */
	String materializedViewComment(String name) throws SQLException {
		String sql = "SELECT coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c"
				+ " JOIN pg_namespace n ON n.oid = c.relnamespace"
				+ " WHERE n.nspname = 'mv' AND c.relname = ? AND c.relkind = 'm'";
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, name);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next() ? rows.getString(1) : null;
			}
		}
	}

	private static Map<String, String> columns(ResultSetMetaData metaData) throws SQLException {
		Map<String, String> columns = new LinkedHashMap<>();
		for (int i = 1; i <= metaData.getColumnCount(); i++) {
			columns.put(metaData.getColumnLabel(i), metaData.getColumnTypeName(i));
		}
		return columns;
	}

	private static Map<String, String> parameters(ParameterMetaData metaData, List<String> positional)
			throws SQLException {
		Map<String, String> types = new LinkedHashMap<>();
		for (int i = 1; i <= metaData.getParameterCount(); i++) {
			types.putIfAbsent(positional.get(i - 1), metaData.getParameterTypeName(i));
		}
		return types;
	}

	/**
	 * What PostgreSQL says about a query.
	 *
	 * @param columns result column label to PostgreSQL type name, in order
	 * @param parameters parameter name to the PostgreSQL type it is used as
	 */
	record SqlDescription(Map<String, String> columns, Map<String, String> parameters) {

		List<String> columnLabels() {
			return new ArrayList<>(this.columns.keySet());
		}

	}

}
