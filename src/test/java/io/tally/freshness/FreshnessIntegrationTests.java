package io.tally.freshness;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Shops;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Freshness and the cache, seen by a caller: the first answer comes from the view, the next from
 * the cache with its true age, and a refresh by this or any other instance makes the next answer
 * come from the view again, with the new data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessIntegrationTests extends IntegrationTestSupport {

	@Autowired
	ConfigurableApplicationContext context;

	@BeforeAll
	void fixture() {
		Shops.withOnePaidOrder(this.jdbc, "2026-05-01T12:00:00Z", Map.of("fr-a", 100, "fr-b", 100));
		refreshReport("dailyRevenue");
	}

	@Test
	void aRefreshTellsTheApplicationWhichViewAndReportsChanged() {
		// Whichever thread hears of the refresh first publishes: this one, or the refresh listener's.
		List<Object> heard = new CopyOnWriteArrayList<>();
		ApplicationListener<?> listener = ApplicationListener.forPayload(heard::add);
		this.context.addApplicationListener(listener);
		try {
			refreshReport("dailyRevenue");

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(heard)
					.as("the event the cache and subscriptions listen to, instead of freshness calling them")
					.anySatisfy(event -> {
						assertThat(event).isInstanceOf(ViewsRefreshed.class);
						assertThat(((ViewsRefreshed) event).views()).containsExactly("daily_revenue_recent");
						assertThat(((ViewsRefreshed) event).reports()).contains("dailyRevenue");
						assertThat(((ViewsRefreshed) event).notificationsMissed()).isFalse();
					}));
		}
		finally {
			this.context.removeApplicationListener(listener);
		}
	}

	@Test
	void servesTheSecondAnswerFromCacheWithItsTrueAgeAndTheNextFromTheViewAfterARefresh() throws Exception {
		Response first = revenue("fr-a");
		Thread.sleep(1100);
		Response second = revenue("fr-a");

		assertThat(first.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		assertThat(first.<Object>path("$.data.dailyRevenue.freshness.cachedAt")).isNull();
		assertThat(second.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
		assertThat(second.<String>path("$.data.dailyRevenue.freshness.cachedAt")).isNotNull();
		assertThat(second.<Integer>path("$.data.dailyRevenue.freshness.ageSeconds"))
			.isGreaterThan(first.<Integer>path("$.data.dailyRevenue.freshness.ageSeconds"));
		assertThat(second.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(100);
		assertThat(first.<Integer>path("$.data.dailyRevenue.freshness.refreshIntervalSeconds")).isEqualTo(300);
		assertThat(first.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isFalse();
		assertThat(first.<String>path("$.data.dailyRevenue.freshness.description")).matches("Updated (just now|\\d+ seconds? ago) · refreshes every 5 minutes");
		assertThat(second.<String>path("$.data.dailyRevenue.freshness.description")).doesNotContainIgnoringCase("cache");

		this.jdbc.sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) "
				+ "VALUES ('fr-a', 1, '2026-05-01 13:00Z', 'paid', 50)").update();
		assertThat(revenue("fr-a").<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.as("still the cached answer: the view was not refreshed").isEqualTo(100);
		Response refreshed = graphQl().post(this.issuer.admin(), null,
				"mutation { refreshReport(report: \"dailyRevenue\") { lastOutcome rowCount refreshedAt lastError } }");
		Response third = revenue("fr-a");

		assertThat(refreshed.<String>path("$.data.refreshReport.lastOutcome")).isEqualTo("SUCCESS");
		assertThat(refreshed.<Object>path("$.data.refreshReport.lastError")).isNull();
		assertThat(third.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		assertThat(third.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(150);
		assertThat(OffsetDateTime.parse(third.path("$.data.dailyRevenue.freshness.refreshedAt")))
			.isAfter(OffsetDateTime.parse(first.path("$.data.dailyRevenue.freshness.refreshedAt")));
	}

	@Test
	void dropsCachedAnswersWhenAnotherInstanceAnnouncesARefresh() {
		assertThat(revenue("fr-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(100);
		assertThat(revenue("fr-b").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");

		// Another instance: refreshes, writes the ledger and notifies, all outside this application.
		this.jdbc.sql("""
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				VALUES ('fr-b', 1, '2026-05-01 14:00Z', 'paid', 7);
				REFRESH MATERIALIZED VIEW CONCURRENTLY mv.daily_revenue_history;
				INSERT INTO tally.refresh_ledger (view_name, started_at, finished_at, outcome, row_count, instance)
				VALUES ('daily_revenue_history', now(), clock_timestamp(), 'success', 1, 'another-instance');
				NOTIFY tally_refresh, 'daily_revenue_history';
				""").update();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(revenue("fr-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
				.isEqualTo(107));
	}

	@Test
	void reportsEachViewsLastRefreshToAdmins() {
		Response status = graphQl().post(this.issuer.admin(), null,
				"{ reportStatus { report view lastOutcome rowCount refreshIntervalSeconds refreshedAt } }");

		assertThat(status.<List<String>>path("$.data.reportStatus[?(@.report == 'dailyRevenue')].view"))
			.containsExactly("daily_revenue");
		assertThat(status.<List<String>>path("$.data.reportStatus[?(@.report == 'dailyRevenue')].lastOutcome"))
			.containsExactly("SUCCESS");
	}

	private Response revenue(String tenant) {
		return graphQl().post(this.issuer.tenantUser(tenant), null, """
				{ dailyRevenue(from: "2026-05-01", to: "2026-05-01") {
				    totals { revenueCents }
				    freshness { refreshedAt ageSeconds refreshIntervalSeconds nextRefreshAt stale servedFrom cachedAt description }
				} }""");
	}

}
