package io.tally.freshness;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The table PostgreSQL lacks: when each view was refreshed, and how that went.
 */
@Repository
public class RefreshLedger {

	private final JdbcClient jdbc;

	RefreshLedger(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param sourceFingerprint the source tables' change counters the attempt saw, or null
	 */
	void record(String view, ViewStatus.Attempt attempt, String instance, String sourceFingerprint) {
		this.jdbc.sql("""
				INSERT INTO tally.refresh_ledger (view_name, started_at, finished_at, outcome, row_count, error, instance,
				                                  source_fingerprint)
				VALUES (:view, :startedAt, :finishedAt, :outcome, :rowCount, :error, :instance, :sourceFingerprint)
				""")
			.param("view", view)
			.param("startedAt", Timestamp.from(attempt.startedAt()))
			.param("finishedAt", Timestamp.from(attempt.finishedAt()))
			.param("outcome", attempt.outcome().column())
			.param("rowCount", attempt.rowCount())
			.param("error", attempt.error())
			.param("instance", instance)
			.param("sourceFingerprint", sourceFingerprint)
			.update();
	}

	/**
	 * The source fingerprint of the view's last refresh, when that refresh succeeded and was not
	 * followed by a failed one; null otherwise, so a view whose last attempt failed is retried.
	 */
	String lastRefreshFingerprint(String view) {
		List<String> fingerprints = this.jdbc.sql("""
				SELECT CASE WHEN outcome = 'success' THEN source_fingerprint END
				FROM tally.refresh_ledger
				WHERE view_name = :view AND outcome <> 'skipped'
				ORDER BY id DESC LIMIT 1
				""")
			.param("view", view)
			.query((rs, row) -> rs.getString(1))
			.list();
		return fingerprints.isEmpty() ? null : fingerprints.get(0);
	}

	/**
	 * The latest success and the latest attempt of each view, in one round trip. A skip after the
	 * latest success found the sources unchanged, so the data was current then too: it counts as
	 * the time of refresh, but not as a new generation.
	 */
	Map<String, ViewStatus> statuses(Collection<String> views) {
		return statuses(this.jdbc, views);
	}

	/**
	 * The same, read from any copy of the ledger, such as a read replica's, which tells what data
	 * that copy holds.
	 */
	public static Map<String, ViewStatus> statuses(JdbcClient jdbc, Collection<String> views) {
		Map<String, ViewStatus> statuses = new LinkedHashMap<>();
		views.forEach(view -> statuses.put(view, ViewStatus.never(view)));
		jdbc.sql("""
				SELECT v.view_name,
				       s.id          AS success_id,
				       coalesce(k.finished_at, s.finished_at) AS success_finished_at,
				       a.outcome, a.started_at, a.finished_at, a.row_count, a.error
				FROM unnest(string_to_array(:views, ',')) AS v (view_name)
				LEFT JOIN LATERAL (
				    SELECT id, finished_at FROM tally.refresh_ledger l
				    WHERE l.view_name = v.view_name AND l.outcome = 'success'
				    ORDER BY id DESC LIMIT 1
				) s ON true
				LEFT JOIN LATERAL (
				    SELECT max(finished_at) AS finished_at FROM tally.refresh_ledger l
				    WHERE l.view_name = v.view_name AND l.outcome = 'skipped' AND l.id > s.id
				) k ON true
				LEFT JOIN LATERAL (
				    SELECT outcome, started_at, finished_at, row_count, error FROM tally.refresh_ledger l
				    WHERE l.view_name = v.view_name AND l.outcome <> 'skipped'
				    ORDER BY id DESC LIMIT 1
				) a ON true
				""")
			.param("views", String.join(",", views))
			.query((rs, row) -> status(rs))
			.list()
			.forEach(status -> statuses.put(status.view(), status));
		return statuses;
	}

	private static ViewStatus status(ResultSet rs) throws SQLException {
		String outcome = rs.getString("outcome");
		ViewStatus.Attempt attempt = (outcome != null) ? new ViewStatus.Attempt(
				ViewStatus.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT)), instant(rs, "started_at"),
				instant(rs, "finished_at"), (Long) rs.getObject("row_count"), rs.getString("error")) : null;
		return new ViewStatus(rs.getString("view_name"), rs.getLong("success_id"), instant(rs, "success_finished_at"),
				attempt);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/** Whether the view was refreshed, or found unchanged, by any instance within this window. */
	boolean refreshedWithin(String view, Duration window) {
		return this.jdbc.sql("""
				SELECT EXISTS (
				    SELECT 1 FROM tally.refresh_ledger
				    WHERE view_name = :view AND outcome IN ('success', 'skipped')
				      AND started_at > now() - make_interval(secs => :millis / 1000.0))
				""")
			.param("view", view)
			.param("millis", window.toMillis())
			.query(Boolean.class)
			.single();
	}

	/** Whether an incremental view was last rebuilt in full, by any instance, within this window. */
	boolean rebuiltWithin(String view, Duration window) {
		return this.jdbc.sql("""
				SELECT EXISTS (
				    SELECT 1 FROM tally.incremental_views
				    WHERE view_name = :view AND rebuilt_at > now() - make_interval(secs => :millis / 1000.0))
				""")
			.param("view", view)
			.param("millis", window.toMillis())
			.query(Boolean.class)
			.single();
	}

}
