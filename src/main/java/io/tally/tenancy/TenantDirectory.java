package io.tally.tenancy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tally.graphql.NotFoundException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tenants and their time zones. A tenant's zone decides what "today" and every local date
 * mean for its reports, so it is looked up once and kept briefly rather than read per request.
 */
@Component
public class TenantDirectory {

	private final JdbcClient jdbc;

	private final LoadingCache<String, Optional<ZoneId>> zones;

	TenantDirectory(JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.zones = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterWrite(Duration.ofMinutes(5))
			.build(this::loadZone);
	}

	/**
	 * The tenant's time zone.
	 * @throws NotFoundException when no such tenant exists
	 */
	public ZoneId zoneOf(String tenantId) {
		return this.zones.get(tenantId)
			.orElseThrow(() -> new NotFoundException("Tenant '" + tenantId + "' does not exist"));
	}

	public List<Tenant> all() {
		return this.jdbc.sql("SELECT id, name, time_zone, created_at FROM app.tenants ORDER BY id")
			.query(Tenant.class)
			.list();
	}

	private Optional<ZoneId> loadZone(String tenantId) {
		return this.jdbc.sql("SELECT time_zone FROM app.tenants WHERE id = :id")
			.param("id", tenantId)
			.query(String.class)
			.optional()
			.map(ZoneId::of);
	}

}
