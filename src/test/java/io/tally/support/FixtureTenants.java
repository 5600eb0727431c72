package io.tally.support;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tenants in the test database and a way to remove every row of some of them, so a fixture can
 * start from nothing however often it runs (Failsafe reruns a failed test once, and a duplicate key
 * would then hide the real failure). The tables are found from the foreign keys leading to
 * {@code app.tenants}, children first, so a new source table needs no change here.
 */
public final class FixtureTenants {

	/** Every table that references app.tenants, directly or through another, deepest first. */
	private static final String TABLES = """
			WITH RECURSIVE referencing (tbl, depth) AS (
			  SELECT 'app.tenants'::regclass, 0
			  UNION ALL
			  SELECT c.conrelid::regclass, r.depth + 1
			  FROM pg_constraint c JOIN referencing r ON c.confrelid = r.tbl
			  WHERE c.contype = 'f' AND c.conrelid <> c.confrelid AND r.depth < 20
			)
			SELECT tbl::text FROM referencing GROUP BY tbl ORDER BY max(depth) DESC, tbl::text
			""";

	private FixtureTenants() {
	}

	/** The ids in {@code app.tenants}; none while the schema is not migrated yet. */
	public static Set<String> ids(JdbcClient jdbc) {
		if (!migrated(jdbc)) {
			return Set.of();
		}
		return new TreeSet<>(jdbc.sql("SELECT id FROM app.tenants").query(String.class).list());
	}

	/** Deletes these tenants and every row of theirs in every table that references them. */
	public static void remove(JdbcClient jdbc, Collection<String> tenants) {
		if (tenants.isEmpty() || !migrated(jdbc)) {
			return;
		}
		List<String> tables = jdbc.sql(TABLES).query(String.class).list();
		for (String table : tables) {
			// Table names come from the catalog above, never from a test.
			String column = "app.tenants".equals(table) ? "id" : "tenant_id";
			jdbc.sql("DELETE FROM " + table + " WHERE " + column + " IN (:tenants)").param("tenants", tenants).update();
		}
	}

	private static boolean migrated(JdbcClient jdbc) {
		return jdbc.sql("SELECT to_regclass('app.tenants') IS NOT NULL").query(Boolean.class).single();
	}

}
