package io.tally.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The smallest fixture a test about serving answers (rather than about their numbers) needs:
 * tenants with one customer each, in region {@code north}, with one paid order each. Tests about
 * what the numbers mean load hand-made rows from {@code fixtures/} instead.
 */
public final class Shops {

	private Shops() {
	}

	/**
	 * Starts these tenants from nothing, so calling it again (a rerun) leaves the same rows.
	 * @param createdAt when every order was created, such as {@code 2026-05-01T12:00:00Z}
	 * @param totalCentsByTenant each tenant id and its one order's {@code total_cents}
	 */
	public static void withOnePaidOrder(JdbcClient jdbc, String createdAt, Map<String, Integer> totalCentsByTenant) {
		FixtureTenants.remove(jdbc, totalCentsByTenant.keySet());
		totalCentsByTenant.forEach((tenant, cents) -> jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES (:tenant, :tenant);
				""").param("tenant", tenant).update());
		totalCentsByTenant.forEach((tenant, cents) -> jdbc.sql("""
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, :tenant, 'Customer', 'north')
				""").param("tenant", tenant).update());
		totalCentsByTenant.forEach((tenant, cents) -> jdbc.sql("""
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				VALUES (:tenant, 1, :createdAt, 'paid', :cents)
				""")
			.param("tenant", tenant)
			.param("createdAt", Timestamp.from(Instant.parse(createdAt)))
			.param("cents", cents)
			.update());
	}

}
