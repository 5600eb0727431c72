package io.tally.query;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.tally.catalog.CatalogProperties;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.graphql.UnavailableException;
import io.tally.replica.ReadRouting;
import io.tally.tracing.Spans;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.stereotype.Repository;

/**
 * Reads one report for one tenant. The sections asked for run in one read-only transaction that
 * first switches to the query role and sets the tenant and a statement timeout, all
 * transaction-local, sent with the queries in one round trip ({@link ReportBatch}). The
 * connection stays in autocommit: PostgreSQL runs every message up to the batch's single Sync as
 * one implicit transaction and commits it there, so no BEGIN, COMMIT or connection reconfiguration
 * costs a round trip, and the settings vanish at that commit, so a pooled connection never carries
 * one tenant into the next request.
 */
@Repository
class ReportQueryRepository {

	/** PostgreSQL's SQLSTATE for reading a materialized view that was never populated. */
	private static final String NOT_POPULATED = "55000";

	private final JdbcTemplate jdbc;

	private final String role;

	private final String statementTimeout;

	private final QueryProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Spans spans;

	/** By report and outcome, registered once rather than looked up by its tags on every read. */
	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/** Each report's batch per selection of its sections, parsed once: a handful per report. */
	private final Map<StatementKey, ReportBatch.Statement> statements = new ConcurrentHashMap<>();

	ReportQueryRepository(ReadRouting routing, CatalogProperties catalog, QueryProperties properties, Clock clock,
			MeterRegistry meters, Spans spans) {
		this.spans = spans;
		// Reads go where the request's route points: a replica, or the primary.
		this.jdbc = new JdbcTemplate(routing.dataSource());
		this.role = catalog.queryRole();
		this.statementTimeout = String.valueOf(properties.statementTimeout().toMillis());
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * Reads the sections of a report the request asked for, timed as {@code tally.query.duration}
	 * by report and outcome (success or error), in a span that names the report, its sections, the
	 * statement and the rows read: never an argument's value, nor the tenant unless turned on.
	 */
	ReportData read(ReportDefinition report, String tenant, ResolvedArguments arguments,
			List<ReportSection> sections, Map<String, RowLayout> layouts) {
		Timer.Sample sample = Timer.start(this.meters);
		String outcome = "error";
		try {
			String names = String.join(",", sections.stream().map(ReportSection::field).toList());
			Observation span = this.spans.span("tally.report.read", "report read", tenant)
				.highCardinalityKeyValue("tally.report", report.field())
				.highCardinalityKeyValue("tally.sections", names)
				.highCardinalityKeyValue("db.system.name", "postgresql")
				.highCardinalityKeyValue("db.query.summary", report.field() + "(" + names + ")");
			ReportData data = Spans.observe(span, () -> readTransaction(report, tenant, arguments, sections, layouts, span),
					read -> "success");
			outcome = "success";
			return data;
		}
		finally {
			sample.stop(this.timers.computeIfAbsent(report.field() + "|" + outcome,
					key -> Timer.builder("tally.query.duration")
						.description("Report reads from the database, all of a report's queries in one transaction")
						.tag("report", report.field())
						.tag("outcome", key.substring(key.indexOf('|') + 1))
						.register(this.meters)));
		}
	}

	private ReportData readTransaction(ReportDefinition report, String tenant, ResolvedArguments arguments,
			List<ReportSection> sections, Map<String, RowLayout> layouts, Observation span) {
		if (sections.isEmpty()) {
			// Only freshness (or __typename) was asked for: there is nothing to read.
			span.highCardinalityKeyValue("tally.rows", "0");
			return new ReportData(Map.of(), this.clock.instant());
		}
		ReportBatch.Statement statement = this.statements.computeIfAbsent(
				new StatementKey(report.field(), sections.stream().map(ReportSection::field).toList()),
				key -> ReportBatch.Statement.of(sections));
		ReportBatch batch = new ReportBatch(report, statement, sections, arguments,
				ReportBatch.settings(this.role, tenant, this.statementTimeout, this.properties.planCacheMode(report.field())),
				layouts);
		try {
			ReportData data = new ReportData(
					this.jdbc.execute(batch.sql(), (PreparedStatementCallback<Map<String, Object>>) batch::read),
					this.clock.instant());
			span.highCardinalityKeyValue("tally.rows", String.valueOf(batch.rows()));
			return data;
		}
		catch (DataAccessException ex) {
			if (ex.getCause() instanceof SQLException sql && NOT_POPULATED.equals(sql.getSQLState())) {
				throw new UnavailableException("Report '" + report.field()
						+ "' is not ready yet: its view has not finished its first refresh");
			}
			throw ex;
		}
	}

	private record StatementKey(String report, List<String> sections) {
	}

}
