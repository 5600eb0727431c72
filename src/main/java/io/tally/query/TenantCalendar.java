package io.tally.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tally.graphql.NotFoundException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What day it is for each tenant, as PostgreSQL tells it. PostgreSQL is the one authority on time
 * zones: the views count local dates with its zone rules, and the JVM's rules differ (it does not
 * know every zone PostgreSQL accepts, and their versions differ), so "today" comes from the same
 * place. It is asked once per tenant, with the time left until that local date ends, and kept
 * that long (a duration, so the two clocks never need to agree), at most {@link #LONGEST}, so a
 * changed zone or a removed tenant is seen soon. No request pays a round trip for it otherwise.
 */
@Component
class TenantCalendar {

	/** The longest a tenant's date is kept, even when its local midnight is further away. */
	static final Duration LONGEST = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final LoadingCache<String, Optional<Today>> days;

	@Autowired
	TenantCalendar(JdbcClient jdbc) {
		this(jdbc, Ticker.systemTicker());
	}

	TenantCalendar(JdbcClient jdbc, Ticker ticker) {
		this.jdbc = jdbc;
		this.days = Caffeine.newBuilder()
			.maximumSize(100_000)
			.ticker(ticker)
			.expireAfter(Expiry.<String, Optional<Today>>creating((tenant, today) -> today.map(Today::keep).orElse(LONGEST)))
			.build(this::load);
	}

	/**
	 * The tenant's local date now.
	 * @throws NotFoundException when no such tenant exists
	 */
	LocalDate today(String tenant) {
		return this.days.get(tenant)
			.orElseThrow(() -> new NotFoundException("Tenant '" + tenant + "' does not exist"))
			.date();
	}

	/** How much longer the tenant's date is kept, for tests. */
	Optional<Duration> keptFor(String tenant) {
		return this.days.policy().expireVariably().flatMap(expiry -> expiry.getExpiresAfter(tenant));
	}

	private Optional<Today> load(String tenant) {
		return this.jdbc.sql("""
				SELECT local.today,
				       extract(epoch FROM ((local.today + 1)::timestamp AT TIME ZONE t.time_zone) - now()) AS seconds_left
				FROM app.tenants t
				CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE t.time_zone)::date AS today) local
				WHERE t.id = :id
				""")
			.param("id", tenant)
			.query(TenantCalendar::today)
			.optional();
	}

	private static Today today(ResultSet rs, int row) throws SQLException {
		long millisLeft = rs.getBigDecimal("seconds_left").movePointRight(3).longValue();
		return new Today(rs.getObject("today", LocalDate.class), Duration.ofMillis(Math.max(0, millisLeft)));
	}

	/**
	 * @param date the tenant's local date
	 * @param left the time until that date ends
	 */
	record Today(LocalDate date, Duration left) {

		Duration keep() {
			return (this.left.compareTo(LONGEST) < 0) ? this.left : LONGEST;
		}

	}

}
