package io.tally.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.catalog.CatalogProperties;
import io.tally.catalog.ReportColumn;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.graphql.UnavailableException;
import io.tally.replica.ReadRouting;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads one report for one tenant. All of a report's queries run in one read-only transaction
 * that first switches to the query role and sets the tenant and a statement timeout, all
 * transaction-local, in a single round trip: the settings vanish at commit, so a pooled
 * connection never carries one tenant into the next request. Custom plans keep the optional
 * filters ({@code CAST(:region AS text) IS NULL OR ...}) planned for the values actually given.
 */
@Repository
class ReportQueryRepository {

	/** PostgreSQL's SQLSTATE for reading a materialized view that was never populated. */
	private static final String NOT_POPULATED = "55000";

	private final JdbcClient jdbc;

	private final TransactionTemplate readOnly;

	private final String role;

	private final String statementTimeout;

	private final Clock clock;

	private final MeterRegistry meters;

	ReportQueryRepository(ReadRouting routing, CatalogProperties catalog, QueryProperties properties, Clock clock,
			MeterRegistry meters) {
		// Reads go where the request's route points: a replica, or the primary.
		this.jdbc = JdbcClient.create(routing.dataSource());
		this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(routing.dataSource()));
		this.readOnly.setReadOnly(true);
		this.role = catalog.queryRole();
		this.statementTimeout = String.valueOf(properties.statementTimeout().toMillis());
		this.clock = clock;
		this.meters = meters;
	}

	/** Reads the report, timed as {@code tally.query.duration} by report and outcome (success or error). */
	ReportData read(ReportDefinition report, String tenant, ResolvedArguments arguments) {
		Timer.Sample sample = Timer.start(this.meters);
		String outcome = "error";
		try {
			ReportData data = readTransaction(report, tenant, arguments);
			outcome = "success";
			return data;
		}
		finally {
			sample.stop(Timer.builder("tally.query.duration")
				.description("Report reads from the database, all of a report's queries in one transaction")
				.tag("report", report.field())
				.tag("outcome", outcome)
				.register(this.meters));
		}
	}

	private ReportData readTransaction(ReportDefinition report, String tenant, ResolvedArguments arguments) {
		try {
			return this.readOnly.execute(status -> {
				this.jdbc.sql("""
						SELECT set_config('role', :role, true),
						       set_config('app.tenant_id', :tenant, true),
						       set_config('statement_timeout', :timeout, true),
						       set_config('plan_cache_mode', 'force_custom_plan', true)
						""")
					.param("role", this.role)
					.param("tenant", tenant)
					.param("timeout", this.statementTimeout)
					.query()
					.singleRow();
				Map<String, Object> sections = new HashMap<>();
				for (ReportSection section : report.sections()) {
					sections.putAll(readSection(report, section, arguments));
				}
				return new ReportData(sections, this.clock.instant());
			});
		}
		catch (DataAccessException ex) {
			if (ex.getCause() instanceof SQLException sql && NOT_POPULATED.equals(sql.getSQLState())) {
				throw new UnavailableException("Report '" + report.field()
						+ "' is not ready yet: its view has not finished its first refresh");
			}
			throw ex;
		}
	}

	private Map<String, Object> readSection(ReportDefinition report, ReportSection section,
			ResolvedArguments arguments) {
		Map<String, Object> parameters = new HashMap<>(arguments.parameters());
		ResolvedArguments.Page page = arguments.page();
		if (section.shape() == ReportSection.Shape.EDGES) {
			parameters.put(ReportDefinition.AFTER_PARAMETER, page.after());
			parameters.put(ReportDefinition.LIMIT_PARAMETER, page.first() + 1);
		}
		List<Map<String, Object>> rows = this.jdbc.sql(section.sql())
			.params(parameters)
			.query(rowMapper(report, section))
			.list();
		return switch (section.shape()) {
			case ROWS -> Map.of(section.field(), rows);
			case ROW -> Map.of(section.field(), single(report, section, rows));
			case EDGES -> Connections.page(rows, page.first(), page.after() != null);
		};
	}

	private static Object single(ReportDefinition report, ReportSection section, List<Map<String, Object>> rows) {
		if (rows.size() != 1) {
			throw new IllegalStateException("Report '" + report.field() + "': " + section.file()
					+ " must return exactly one row but returned " + rows.size());
		}
		return rows.get(0);
	}

	private static RowMapper<Map<String, Object>> rowMapper(ReportDefinition report, ReportSection section) {
		boolean edges = section.shape() == ReportSection.Shape.EDGES;
		return (rs, rowNumber) -> {
			Map<String, Object> row = new LinkedHashMap<>();
			for (ReportColumn column : section.columns()) {
				Object value = value(rs, column);
				if (value == null && column.nonNull()) {
					throw new IllegalStateException("Report '" + report.field() + "': " + section.file()
							+ " returned NULL in column " + column.column() + " for the non-null field "
							+ column.field());
				}
				row.put(column.field(), value);
			}
			if (edges) {
				row.put(Connections.CURSOR_KEY, rs.getString(ReportDefinition.CURSOR_COLUMN));
			}
			return row;
		};
	}

	private static Object value(ResultSet rs, ReportColumn column) throws SQLException {
		return switch (column.graphQlType()) {
			case "Date" -> rs.getObject(column.column(), LocalDate.class);
			case "DateTime" -> rs.getObject(column.column(), OffsetDateTime.class);
			case "ID" -> rs.getString(column.column());
			default -> rs.getObject(column.column());
		};
	}

}
