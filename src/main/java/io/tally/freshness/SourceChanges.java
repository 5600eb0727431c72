package io.tally.freshness;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells whether a view's source tables may have changed, from PostgreSQL's cumulative table
 * statistics: per source table, rows inserted + updated + deleted and the live row count (which
 * catches TRUNCATE). The tables are found through the view's dependencies, through plain views and
 * into partitions. The counters only grow, also for writes that roll back, so an unchanged
 * fingerprint means no committed change, with one caveat: a backend publishes its counts when it
 * goes idle, at most about once a second, so a write from the last second may be seen one refresh
 * later. When counting is off or the view calls a user function (which may read any table), there
 * is no fingerprint and the view is always refreshed. {@code tally.recent_edge}, the window of a
 * split view's parts, reads only the clock: skipping such a part keeps its edge where it was,
 * which the other part still meets, so it does not force refreshes. An incremental view is a table,
 * so its sources are those of its definition view ({@code mv.<view>_definition}).
 */
@Component
class SourceChanges {

	private final JdbcClient jdbc;

	SourceChanges(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param view the view name, {@code mv.<view>}
	 * @return the source tables' change counters, or null when they cannot tell
	 */
	String fingerprint(String view) {
		return this.jdbc.sql("""
				WITH RECURSIVE sources (oid) AS (
				    SELECT oid FROM pg_class WHERE oid IN (to_regclass(:view), to_regclass(:view || '_definition'))
				  UNION
				    SELECT x.oid
				    FROM sources s
				    CROSS JOIN LATERAL (
				        SELECT d.refobjid
				        FROM pg_rewrite r
				        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
				         AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
				        WHERE r.ev_class = s.oid
				        UNION ALL
				        SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = s.oid
				    ) x (oid)
				)
				SELECT CASE WHEN current_setting('track_counts')::boolean
				             AND NOT EXISTS (
				                 SELECT 1 FROM sources s
				                 JOIN pg_rewrite r ON r.ev_class = s.oid
				                 JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
				                 WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid >= 16384
				                   AND d.refobjid IS DISTINCT FROM to_regprocedure('tally.recent_edge(text,integer)'))
				            THEN coalesce(string_agg(t.relid || ':' || (t.n_tup_ins + t.n_tup_upd + t.n_tup_del)
				                                     || ':' || t.n_live_tup, ',' ORDER BY t.relid), '')
				       END
				FROM sources s
				JOIN pg_stat_all_tables t ON t.relid = s.oid
				WHERE s.oid <> to_regclass(:view)::oid AND s.oid IS DISTINCT FROM to_regclass(:view || '_definition')::oid
				""")
			.param("view", "mv." + view)
			.query((rs, row) -> rs.getString(1))
			.list()
			.get(0);
	}

}
