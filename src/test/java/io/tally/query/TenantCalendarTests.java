package io.tally.query;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tally.graphql.NotFoundException;
import io.tally.support.Migrations;
import io.tally.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * A tenant's today comes from PostgreSQL, for zones the JVM does not know too, and is kept until
 * PostgreSQL says that local date ends (at most five minutes), on a fake ticker so no test waits.
 */
class TenantCalendarTests {

	private static JdbcClient jdbc;

	private final AtomicLong nanos = new AtomicLong();

	private final TenantCalendar calendar = new TenantCalendar(jdbc, this.nanos::get);

	@BeforeAll
	static void database() {
		TestDatabase database = Migrations.migrated();
		jdbc = JdbcClient.create(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
		jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('tc-coyhaique', 'PostgreSQL-only zone', 'America/Coyhaique'), ('tc-est', 'Alias', 'EST'),
				  ('tc-west', 'Furthest west', 'Etc/GMT+12'), ('tc-kolkata', 'Half hour', 'Asia/Kolkata'),
				  ('tc-kathmandu', '45 minutes', 'Asia/Kathmandu'), ('tc-juarez', 'Changed 2022', 'America/Ciudad_Juarez'),
				  ('tc-almaty', 'Changed 2024', 'Asia/Almaty'), ('tc-moving', 'Moves east', 'Etc/GMT+12')
				ON CONFLICT DO NOTHING
				""").update();
	}

	@Test
	void answersEachTenantsLocalDateAsPostgreSqlCountsIt() {
		for (String tenant : new String[] { "tc-coyhaique", "tc-est", "tc-west", "tc-kolkata", "tc-kathmandu",
				"tc-juarez", "tc-almaty" }) {
			LocalDate before = postgresToday(tenant);
			LocalDate today = this.calendar.today(tenant);
			LocalDate after = postgresToday(tenant);

			assertThat(today).as(tenant).isIn(before, after);
		}
	}

	@Test
	void keepsTheDateUntilPostgreSqlSaysItEndsAndAtMostFiveMinutes() {
		// The zone whose local midnight comes soonest, so its date is kept less than five minutes when it is that close.
		String soonest = jdbc.sql("""
				SELECT name FROM pg_timezone_names WHERE name NOT LIKE 'posix/%'
				ORDER BY ((now() AT TIME ZONE name)::date + 1)::timestamp AT TIME ZONE name LIMIT 1
				""").query(String.class).single();
		jdbc.sql("UPDATE app.tenants SET time_zone = :zone WHERE id = 'tc-est'").param("zone", soonest).update();
		try {
			for (String tenant : new String[] { "tc-est", "tc-west" }) {
				this.calendar.today(tenant);
				double left = secondsUntilLocalMidnight(tenant);

				assertThat(this.calendar.keptFor(tenant).orElseThrow().toMillis() / 1000.0).as(tenant)
					.isCloseTo(Math.min(left, TenantCalendar.LONGEST.toSeconds()), within(3.0));
			}
		}
		finally {
			jdbc.sql("UPDATE app.tenants SET time_zone = 'EST' WHERE id = 'tc-est'").update();
		}
	}

	@Test
	void asksAgainOnceTheKeptDateRunsOutSoAChangedZoneIsSeen() {
		LocalDate west = this.calendar.today("tc-moving");
		jdbc.sql("UPDATE app.tenants SET time_zone = 'Pacific/Kiritimati' WHERE id = 'tc-moving'").update();

		assertThat(this.calendar.today("tc-moving")).as("still kept").isEqualTo(west);
		this.nanos.addAndGet(TimeUnit.MINUTES.toNanos(5) + 1);
		// 26 hours east of Etc/GMT+12, Kiritimati is always one or two dates later.
		assertThat(this.calendar.today("tc-moving")).isAfter(west).isEqualTo(postgresToday("tc-moving"));
	}

	@Test
	void refusesATenantThatDoesNotExistNamingIt() {
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> this.calendar.today("tc-nobody"))
			.withMessageContaining("'tc-nobody'");
	}

	private static LocalDate postgresToday(String tenant) {
		return jdbc.sql("SELECT (now() AT TIME ZONE time_zone)::date FROM app.tenants WHERE id = :id")
			.param("id", tenant)
			.query(LocalDate.class)
			.single();
	}

	private static double secondsUntilLocalMidnight(String tenant) {
		return jdbc.sql("""
				SELECT extract(epoch FROM ((now() AT TIME ZONE time_zone)::date + 1)::timestamp AT TIME ZONE time_zone - now())
				FROM app.tenants WHERE id = :id
				""").param("id", tenant).query(BigDecimal.class).single().doubleValue();
	}

}
