package io.tally.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TallyInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repeated miss neither parses nor plans its statements again: the driver prepares them on the
 * server once per connection, and for a report read with generic plans PostgreSQL plans each once
 * and reuses the plan. Proven from the server's own counters, {@code pg_prepared_statements}, of
 * both connections of an instance with a pool of two, each held while it is asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerPreparedStatementsIntegrationTests extends IntegrationTestSupport {

	private static final String DOCUMENT = "query ($from: Date!, $to: Date!) { dailyRevenue(from: $from, to: $to) "
			+ "{ days { day revenueCents } } }";

	private static final int MISSES = 30;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('sp-a', 'Prepared A') ON CONFLICT DO NOTHING;
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('sp-a', 1, 'Ann', 'north')
				  ON CONFLICT DO NOTHING;
				DELETE FROM app.orders WHERE tenant_id = 'sp-a';
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('sp-a', 1, '2026-05-01 12:00Z', 'paid', 700), ('sp-a', 1, '2026-05-03 12:00Z', 'paid', 500);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void preparesARepeatedMissOnceOnTheServerAndReusesItsGenericPlan() throws SQLException {
		try (TallyInstance instance = TallyInstance.start(Map.of("tally.cache.enabled", "false",
				"spring.datasource.hikari.maximum-pool-size", "2", "spring.datasource.hikari.minimum-idle", "2"))) {
			for (int i = 0; i < MISSES; i++) {
				// Each miss asks for another range, so only the statements repeat, never an answer.
				Response answer = instance.graphQl().post(this.issuer.tenantUser("sp-a"), null, DOCUMENT,
						Map.of("from", "2026-04-" + String.format("%02d", 1 + i), "to", "2026-05-03"));
				assertThat(answer.<List<Integer>>path("$.data.dailyRevenue.days[*].revenueCents")).as(answer.body())
					.contains(700, 500);
			}
			List<Map<String, Object>> prepared = new ArrayList<>();
			DataSource pool = instance.bean(DataSource.class);
			// Both held at once, so each of the pool's two sessions is asked about its own statements.
			try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
				prepared.addAll(preparedDailyRevenue(first));
				prepared.addAll(preparedDailyRevenue(second));
			}
			assertThat(prepared).as("the days section, prepared on the server under a driver-assigned name")
				.isNotEmpty()
				.allSatisfy(statement -> assertThat((String) statement.get("name")).startsWith("S_"));
			long generic = prepared.stream().mapToLong(statement -> ((Number) statement.get("generic_plans")).longValue()).sum();
			long custom = prepared.stream().mapToLong(statement -> ((Number) statement.get("custom_plans")).longValue()).sum();
			// The driver prepares on the server from its fifth execution (prepareThreshold) on each connection.
			assertThat(generic).as("executions on one generic plan").isGreaterThanOrEqualTo(MISSES - 2 * 5);
			assertThat(custom).as("plans made for particular values").isZero();
		}
	}

	private static List<Map<String, Object>> preparedDailyRevenue(Connection connection) throws SQLException {
		List<Map<String, Object>> rows = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements "
						+ "WHERE statement LIKE '%report.daily_revenue%'")) {
			while (rs.next()) {
				rows.add(Map.of("name", rs.getString(1), "generic_plans", rs.getLong(2), "custom_plans", rs.getLong(3)));
			}
		}
		return rows;
	}

}
