package io.tally.query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;

/**
 * One report read as one statement batch: the transaction's settings and every section the
 * request asked for, in one string that pgjdbc sends as consecutive Parse/Bind/Execute messages
 * before a single Sync, so the whole read is one round trip, commit included. PostgreSQL runs
 * the messages in order, so each section runs after the settings took effect: the role's
 * permissions, the tenant filter and the statement timeout are all checked at execution.
 */
final class ReportBatch {

	/**
	 * Transaction-local settings. The batch runs in autocommit (one implicit transaction up to its
	 * Sync), so read-only is set here too. The plan cache mode is the report's
	 * ({@link QueryProperties#genericPlans()}): custom plans keep optional filters
	 * ({@code CAST(:region AS text) IS NULL OR ...}) and keyset paging planned for the values
	 * actually given; a generic plan, where measured as good, saves planning every read.
	 */
	static final String SETUP = """
			SELECT set_config('transaction_read_only', 'on', true),
			       set_config('role', :tally_role, true),
			       set_config('app.tenant_id', :tally_tenant, true),
			       set_config('statement_timeout', :tally_timeout, true),
			       set_config('plan_cache_mode', :tally_plans, true)""";

	/**
	 * The batch's last statement: whether the setup still holds. Every section relies on it (the
	 * tenant filter and the role's permissions), and it ends at the first Sync, which pgjdbc may
	 * send by itself in mid-batch (when it describes a statement or fears a full receive buffer).
	 * Without the tenant a report view shows no rows, so a lost setup would be answered as an
	 * empty report, a wrong number; checked here, it is an error instead.
	 */
	static final String SETUP_HELD = """
			SELECT current_setting('app.tenant_id', true) IS NOT DISTINCT FROM :tally_tenant
			       AND current_user = :tally_role
			       AND current_setting('transaction_read_only') = 'on'""";

	private final ReportDefinition report;

	private final List<ReportSection> sections;

	private final ResolvedArguments arguments;

	/** By section field, how the request writes its rows; a section without one is read as maps. */
	private final Map<String, RowLayout> layouts;

	private final String sql;

	private final Object[] values;

	/** Rows the sections returned, for the read's span. */
	private int rows;

	ReportBatch(ReportDefinition report, List<ReportSection> sections, ResolvedArguments arguments,
			Map<String, Object> settings) {
		this(report, Statement.of(sections), sections, arguments, settings, Map.of());
	}

	/**
	 * @param statement the batch's SQL for these sections, parsed once (see {@link Statement#of})
	 * @param layouts by section field, how the request writes its rows (see {@link RowLayout})
	 */
	ReportBatch(ReportDefinition report, Statement statement, List<ReportSection> sections,
			ResolvedArguments arguments, Map<String, Object> settings, Map<String, RowLayout> layouts) {
		this.report = report;
		this.layouts = layouts;
		this.sections = sections;
		this.arguments = arguments;
		Map<String, Object> parameters = new HashMap<>(arguments.parameters());
		parameters.putAll(settings);
		if (sections.stream().anyMatch(section -> section.shape() == ReportSection.Shape.EDGES)) {
			parameters.put(ReportDefinition.AFTER_PARAMETER, arguments.page().after());
			parameters.put(ReportDefinition.LIMIT_PARAMETER, arguments.page().first() + 1);
		}
		this.sql = statement.sql();
		this.values = NamedParameterUtils.buildValueArray(statement.parsed(), new MapSqlParameterSource(parameters),
				null);
	}

	String sql() {
		return this.sql;
	}

	int rows() {
		return this.rows;
	}

	List<Object> values() {
		return java.util.Arrays.asList(this.values);
	}

	/** The values of {@link #SETUP}'s parameters. */
	static Map<String, Object> settings(String role, String tenant, String statementTimeout, String planCacheMode) {
		return Map.of("tally_role", role, "tally_tenant", tenant, "tally_timeout", statementTimeout, "tally_plans",
				planCacheMode);
	}

	/** Binds, executes and reads every section's rows into its field's value. */
	Map<String, Object> read(PreparedStatement statement) throws SQLException {
		for (int i = 0; i < this.values.length; i++) {
			if (this.values[i] == null) {
				// Typed as text (every parameter sits in a CAST): with a parameter of unknown type,
				// pgjdbc describes a server-prepared statement first, and a described statement with
				// variable-width columns gets a Sync of its own, which would end the implicit
				// transaction, and with it the settings, before the sections run.
				statement.setNull(i + 1, Types.VARCHAR);
			}
			else {
				statement.setObject(i + 1, this.values[i]);
			}
		}
		statement.execute();
		Map<String, Object> fields = new HashMap<>();
		for (ReportSection section : this.sections) {
			if (!statement.getMoreResults()) {
				throw new IllegalStateException("Report '" + this.report.field() + "': " + section.file()
						+ " returned no result");
			}
			SectionRows rows = new SectionRows(this.report, section);
			RowLayout layout = (section.shape() != ReportSection.Shape.EDGES) ? this.layouts.get(section.field()) : null;
			try (ResultSet rs = statement.getResultSet()) {
				if (layout != null) {
					fields.put(section.field(), rows.json(rs, layout));
				}
				else {
					fields.putAll(value(section, rows, rows.maps(rs)));
				}
			}
			this.rows += rows.rows();
		}
		if (!setupHeld(statement)) {
			throw new IllegalStateException("Report '" + this.report.field()
					+ "': the read's settings (role, tenant, read-only) did not last to its end, so its rows cannot be trusted");
		}
		return fields;
	}

	private static boolean setupHeld(PreparedStatement statement) throws SQLException {
		if (!statement.getMoreResults()) {
			return false;
		}
		try (ResultSet rs = statement.getResultSet()) {
			return rs.next() && rs.getBoolean(1);
		}
	}

	private Map<String, Object> value(ReportSection section, SectionRows reader, List<Map<String, Object>> rows) {
		ResolvedArguments.Page page = this.arguments.page();
		return switch (section.shape()) {
			case ROWS -> Map.of(section.field(), rows);
			case ROW -> Map.of(section.field(), reader.single(rows));
			case EDGES -> Connections.page(rows, page.first(), page.after() != null);
		};
	}

	/**
	 * A batch's SQL: the settings, the sections' files and the final check, with every named
	 * parameter a {@code ?}. The same for every read of the same sections, so it is parsed once;
	 * parsing it for every read was a tenth of a miss's time in a profile. No report parameter is
	 * a list, so no value ever expands a {@code ?}.
	 *
	 * @param sql the batch with positional parameters
	 * @param parsed where each named parameter stood, to order a read's values
	 */
	record Statement(String sql, ParsedSql parsed) {

		static Statement of(List<ReportSection> sections) {
			StringBuilder sql = new StringBuilder(SETUP);
			for (ReportSection section : sections) {
				sql.append(";\n").append(withoutFinalSemicolon(section.sql()));
			}
			sql.append(";\n").append(SETUP_HELD);
			ParsedSql parsed = NamedParameterUtils.parseSqlStatement(sql.toString());
			return new Statement(NamedParameterUtils.substituteNamedParameters(parsed, new MapSqlParameterSource()),
					parsed);
		}

	}

	private static String withoutFinalSemicolon(String sql) {
		String trimmed = sql.strip();
		while (trimmed.endsWith(";")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
		}
		return trimmed;
	}

}
