package io.tally.tenancy;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tenants. (What day it is for a tenant comes from PostgreSQL, the one authority on time
 * zones: see the query package's TenantCalendar.)
 */
@Component
public class TenantDirectory {

	private final JdbcClient jdbc;

	TenantDirectory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public List<Tenant> all() {
		return this.jdbc.sql("SELECT id, name, time_zone, created_at FROM app.tenants ORDER BY id")
			.query(Tenant.class)
			.list();
	}

}
