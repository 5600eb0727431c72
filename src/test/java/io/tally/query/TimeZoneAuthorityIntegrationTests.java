package io.tally.query;

import java.time.LocalDate;
import java.util.List;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL is the one authority on time zones: tenants in zones the JVM's rules do not know or
 * count differently (a PostgreSQL-only name, an alias, the furthest west, half-hour and 45-minute
 * offsets, zones whose rules changed lately) get every range report with its default range ending
 * on today as PostgreSQL counts it, and an order on the local date PostgreSQL gives it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeZoneAuthorityIntegrationTests extends IntegrationTestSupport {

	private static final List<String> ZONES = List.of("America/Coyhaique", "EST", "Etc/GMT+12", "Asia/Kolkata",
			"Asia/Kathmandu", "America/Ciudad_Juarez", "Asia/Almaty", "Pacific/Kiritimati");

	@BeforeAll
	void fixture() {
		for (int i = 0; i < ZONES.size(); i++) {
			this.jdbc.sql("""
					INSERT INTO app.tenants (id, name, time_zone) VALUES (:tenant, :zone, :zone);
					INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, :tenant, 'C', 'north');
					-- 23:50 UTC on 2026-03-14: a different local date east and west of UTC.
					INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
					  (:tenant, 1, '2026-03-14 23:50Z', 'paid', 100);
					""").param("tenant", tenant(i)).param("zone", ZONES.get(i)).update();
		}
		List.of("dailyRevenue", "upsell", "jobProfit", "jobDurations").forEach(this::refreshReport);
	}

	@Test
	void everyRangeReportDefaultsToTheLast90DaysEndingOnPostgreSqlsTodayInEachZone() {
		for (int i = 0; i < ZONES.size(); i++) {
			LocalDate before = today(ZONES.get(i));
			Response response = graphQl().post(this.issuer.tenantUser(tenant(i)), null, """
					{ dailyRevenue { days { day } }
					  upsell { totals { completedJobs } }
					  jobProfit { totals { completedJobs } }
					  jobDurations { overall { completedJobs } } }""");
			LocalDate after = today(ZONES.get(i));

			assertThat(response.<Object>path("$.errors")).as(ZONES.get(i) + ": " + response.body()).isNull();
			List<String> days = response.path("$.data.dailyRevenue.days[*].day");
			assertThat(days).as(ZONES.get(i)).hasSize(90);
			assertThat(LocalDate.parse(days.get(89))).as(ZONES.get(i)).isIn(before, after);
		}
	}

	@Test
	void anOrderCountsOnTheLocalDatePostgreSqlGivesIt() {
		for (int i = 0; i < ZONES.size(); i++) {
			LocalDate local = this.jdbc.sql("SELECT ('2026-03-14 23:50Z'::timestamptz AT TIME ZONE :zone)::date")
				.param("zone", ZONES.get(i))
				.query(LocalDate.class)
				.single();
			Response response = graphQl().post(this.issuer.tenantUser(tenant(i)), null,
					"{ dailyRevenue(from: \"2026-03-13\", to: \"2026-03-16\") { days { day ordersCreated } } }");

			assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[?(@.day == '" + local + "')].ordersCreated"))
				.as(ZONES.get(i))
				.containsExactly(1);
			assertThat(response.<List<Integer>>path("$.data.dailyRevenue.days[*].ordersCreated").stream()
				.mapToInt(Integer::intValue)
				.sum()).isEqualTo(1);
		}
	}

	private LocalDate today(String zone) {
		return this.jdbc.sql("SELECT (now() AT TIME ZONE :zone)::date").param("zone", zone).query(LocalDate.class).single();
	}

	private static String tenant(int index) {
		return "tz-" + index;
	}

}
