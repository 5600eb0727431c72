package io.tally.tenancy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.tally.support.IntegrationTestSupport;
import io.tally.support.Migrations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database half of tenant isolation. The role report queries run as can read the
 * tenant-filtered views and nothing else; and with a pool of one connection (the refresh listener
 * has its own, outside the pool), tenant after tenant reads its own rows only and leaves the
 * connection with no tenant, role or timeout set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "spring.datasource.hikari.maximum-pool-size=1", "tally.cache.enabled=false" })
class QueryRoleIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = """
			{ dailyRevenue(from: "2026-04-01", to: "2026-04-01") { totals { revenueCents } } }""";

	@Autowired
	DataSource dataSource;

	/** Flyway needs a second connection for its lock, so this context finds the schema migrated. */
	@DynamicPropertySource
	static void migratedBeforehand(DynamicPropertyRegistry registry) {
		Migrations.migrated();
		registry.add("spring.flyway.enabled", () -> "false");
	}

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('rol-a', 'Role A'), ('rol-b', 'Role B');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'rol-a', 'A', 'north'), (1, 'rol-b', 'B', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('rol-a', 1, '2026-04-01 12:00Z', 'paid', 101),
				  ('rol-b', 1, '2026-04-01 12:00Z', 'paid', 202);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void theQueryRoleIsNeitherSuperuserNorOwnerAndCannotBypassRowSecurity() {
		Map<String, Object> role = this.jdbc.sql("""
				SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin,
				       (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
				     + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
				     + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) AS owned
				FROM pg_roles r WHERE rolname = 'tally_reader'
				""").query().singleRow();

		assertThat(role).containsEntry("rolsuper", false)
			.containsEntry("rolbypassrls", false)
			.containsEntry("rolcreaterole", false)
			.containsEntry("rolcreatedb", false)
			.containsEntry("rolcanlogin", false)
			.containsEntry("owned", 0L);
	}

	@Test
	void theQueryRoleMayReadTheReportViewsAndNothingElse() {
		List<String> readable = this.jdbc.sql("""
				SELECT n.nspname || '.' || c.relname
				FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
				  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
				  AND has_table_privilege('tally_reader', c.oid, 'SELECT')
				""").query(String.class).list();
		List<String> writable = this.jdbc.sql("""
				SELECT c.oid::regclass::text
				FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
				  AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
				  AND has_table_privilege('tally_reader', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
				""").query(String.class).list();

		assertThat(readable).isNotEmpty().allMatch(name -> name.startsWith("report."));
		assertThat(readable).contains("report.daily_revenue", "report.current_tenant");
		assertThat(writable).isEmpty();
	}

	@Test
	void theQueryRoleIsDeniedTheMaterializedViewsAndTheSourceTables() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL ROLE tally_reader");
				statement.execute("SET LOCAL app.tenant_id = 'rol-a'");
				for (String relation : List.of("mv.daily_revenue_recent", "app.orders", "app.tenants", "tally.refresh_ledger")) {
					statement.execute("SAVEPOINT probe");
					assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM " + relation).close())
						.as(relation)
						.hasMessageContaining("permission denied");
					statement.execute("ROLLBACK TO SAVEPOINT probe");
				}
			}
			finally {
				connection.rollback();
			}
		}
	}

	@Test
	void oneConnectionServesTenantAfterTenantWithoutBleedingAndIsCleanAfterEach() throws SQLException {
		String tenantA = this.issuer.tenantUser("rol-a");
		String tenantB = this.issuer.tenantUser("rol-b");
		List<Integer> backends = new ArrayList<>();

		for (int round = 0; round < 3; round++) {
			assertThat(graphQl().post(tenantA, null, REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
				.isEqualTo(101);
			backends.add(assertClean());
			assertThat(graphQl().post(tenantB, null, REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
				.isEqualTo(202);
			backends.add(assertClean());
			assertThat(graphQl().post(tenantA, "rol-b", REVENUE).body()).doesNotContain("202");
			backends.add(assertClean());
		}

		assertThat(backends).as("every request used the pool's one free connection").containsOnly(backends.get(0));
	}

	/** Checks the connection the requests used carries nothing over, and returns its backend pid. */
	private int assertClean() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet settings = statement.executeQuery("""
						SELECT pg_backend_pid(), current_setting('app.tenant_id', true), current_user = session_user,
						       current_setting('statement_timeout'), (SELECT count(*) FROM report.daily_revenue)
						""")) {
			settings.next();
			assertThat(settings.getString(2)).as("app.tenant_id after the transaction").isNullOrEmpty();
			assertThat(settings.getBoolean(3)).as("the query role was reset").isTrue();
			assertThat(settings.getString(4)).as("statement_timeout after the transaction").isEqualTo("0");
			assertThat(settings.getLong(5)).as("rows visible with no tenant set").isZero();
			return settings.getInt(1);
		}
	}

}
