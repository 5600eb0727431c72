package io.tally.freshness;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dailyRevenue's view is held in a recent and a history part (refreshed every 5 minutes and
 * daily): an answer says the age of the oldest part its range read, holds each part to its own
 * allowance, and names both when their ages differ; a refresh of the recent part alone is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitFreshnessIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($from: Date, $to: Date) {
			  dailyRevenue(from: $from, to: $to) {
			    totals { revenueCents }
			    freshness { refreshedAt ageSeconds stale description }
			  }
			}""";

	private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

	@Autowired
	private ViewRefresher refresher;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('sf-utc', 'Split freshness', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'sf-utc', 'C', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('sf-utc', 1, now(), 'paid', 1000),
				  ('sf-utc', 1, now() - interval '60 days', 'paid', 500);
				""").update();
		refreshReport("dailyRevenue");
		// The history was refreshed six hours ago, the recent part just now.
		this.jdbc.sql("""
				UPDATE tally.refresh_ledger SET started_at = started_at - interval '6 hours',
				                                finished_at = finished_at - interval '6 hours'
				WHERE view_name = 'daily_revenue_history'
				""").update();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ageSeconds(revenue(this.today.minusDays(89), this.today)) > 5 * 3600);
	}

	@Test
	@Order(1)
	void aLastSevenDaysAnswerReadsOnlyTheRecentPartAndSaysItsAge() {
		Response week = revenue(this.today.minusDays(6), this.today);

		assertThat(week.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1000);
		assertThat(ageSeconds(week)).isLessThan(600L);
		assertThat(week.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isFalse();
		assertThat(week.<String>path("$.data.dailyRevenue.freshness.description")).doesNotContain("older days");
	}

	@Test
	@Order(2)
	void aLongerRangeSaysTheHistorysOlderAgeNamesBothPartsAndIsNotStaleWithinTheHistorysAllowance() {
		Response quarter = revenue(this.today.minusDays(89), this.today);

		assertThat(quarter.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1500);
		assertThat(ageSeconds(quarter)).isBetween(6L * 3600 - 60, 6L * 3600 + 600);
		assertThat(quarter.<Boolean>path("$.data.dailyRevenue.freshness.stale"))
			.as("6 hours is within twice the daily history refresh").isFalse();
		assertThat(quarter.<String>path("$.data.dailyRevenue.freshness.description"))
			.startsWith("Updated 6 hours ago")
			.contains("recent days updated")
			.endsWith("older days 6 hours ago");
	}

	@Test
	@Order(3)
	void aRefreshOfTheRecentPartAloneIsServedAtOnce() {
		Response before = revenue(this.today.minusDays(89), this.today);
		this.jdbc.sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) "
				+ "VALUES ('sf-utc', 1, now(), 'paid', 7)").update();

		this.refresher.refresh("daily_revenue_recent", Duration.ofMinutes(5), true);

		assertThat(before.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1500);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(revenue(this.today.minusDays(89), this.today)
				.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1507));
	}

	private Response revenue(LocalDate from, LocalDate to) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("from", from.toString());
		variables.put("to", to.toString());
		Response response = graphQl().post(this.issuer.tenantUser("sf-utc"), null, QUERY, variables);
		assertThat(response.<Object>path("$.errors")).as(response.body()).isNull();
		return response;
	}

	private static long ageSeconds(Response response) {
		Integer age = response.<Integer>path("$.data.dailyRevenue.freshness.ageSeconds");
		String refreshedAt = response.<String>path("$.data.dailyRevenue.freshness.refreshedAt");
		assertThat(OffsetDateTime.parse(refreshedAt)).isNotNull();
		return age;
	}

}
