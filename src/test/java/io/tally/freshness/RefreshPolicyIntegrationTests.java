package io.tally.freshness;

import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Shops;
import io.tally.support.TallyInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Each report's refresh policy: interval, allowed staleness and quiet window from the schema,
 * overridden by {@code tally.reports.*} (instance B here overrides planUsage and jobDurations),
 * skipping a refresh whose source tables did not change, and the health component naming the
 * views older than allowed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshPolicyIntegrationTests extends IntegrationTestSupport {

	/** dailyRevenue's history part: the orders of these tests are months old. */
	private static final String HISTORY = "daily_revenue_history";


	private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

	@Autowired
	ReportCatalog catalog;

	@Autowired
	ReportRefresh refresh;

	@Autowired
	ViewRefresher refresher;

	@Autowired
	RefreshScheduler scheduler;

	private TallyInstance instanceB;

	@BeforeAll
	void fixture() {
		Shops.withOnePaidOrder(this.jdbc, "2026-07-01T12:00:00Z", Map.of("po-a", 100));
		LocalTime now = LocalTime.now(ZoneOffset.UTC);
		this.instanceB = TallyInstance.start(Map.of("tally.reports.planUsage.refresh", "PT1M",
				"tally.reports.planUsage.max-staleness", "1s", "tally.reports.jobDurations.quiet-window",
				now.minusHours(1).format(HH_MM) + "-" + now.plusHours(1).format(HH_MM)));
	}

	@AfterAll
	void stopInstanceB() {
		this.instanceB.close();
	}

	@Test
	void propertiesOverrideTheRefreshPolicyOfTheSchemaDirective() {
		String document = "{ reportStatus { report refreshIntervalSeconds maxStalenessSeconds } }";
		Response a = graphQl().post(this.issuer.admin(), null, document);
		Response b = this.instanceB.graphQl().post(this.issuer.admin(), null, document);

		assertThat(a.<List<Integer>>path("$.data.reportStatus[?(@.report == 'planUsage')].refreshIntervalSeconds"))
			.containsExactly(900);
		assertThat(a.<List<Integer>>path("$.data.reportStatus[?(@.report == 'planUsage')].maxStalenessSeconds"))
			.containsExactly(1800);
		assertThat(b.<List<Integer>>path("$.data.reportStatus[?(@.report == 'planUsage')].refreshIntervalSeconds"))
			.containsExactly(60);
		assertThat(b.<List<Integer>>path("$.data.reportStatus[?(@.report == 'planUsage')].maxStalenessSeconds"))
			.containsExactly(1);
	}

	@Test
	void noScheduledRefreshRunsInsideAQuietWindow() {
		anIntervalPasses("job_durations_recent");
		long before = lastLedgerId();

		Optional<ViewStatus.Outcome> quiet = this.instanceB.bean(RefreshScheduler.class).tick("job_durations_recent");

		assertThat(quiet).isEmpty();
		assertThat(ledgerOutcomesAfter("job_durations_recent", before)).isEmpty();
		assertThat(this.instanceB.bean(MeterRegistry.class)
			.counter("tally.refresh.attempts", "view", "job_durations_recent", "outcome", "quiet")
			.count()).isEqualTo(1);
		assertThat(this.scheduler.tick("job_durations_recent")).as("instance A has no quiet window").isPresent();
		assertThat(ledgerOutcomesAfter("job_durations_recent", before)).hasSize(1);
	}

	@Test
	void aViewWhoseSourceTablesDidNotChangeIsSkippedAndTheLedgerSaysSo() {
		ReportDefinition dailyRevenue = this.catalog.find("dailyRevenue").orElseThrow();
		this.refresh.refreshNow(dailyRevenue);

		// The first check may still see the statistics of writes made before that refresh.
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			anIntervalPasses(HISTORY);
			return this.refresher.refresh(HISTORY, dailyRevenue.refreshIntervalOf(HISTORY), false);
		}, outcome -> outcome.equals(Optional.of(ViewStatus.Outcome.SKIPPED)));

		Map<String, Object> skipped = this.jdbc.sql("""
				SELECT outcome, source_fingerprint = (SELECT source_fingerprint FROM tally.refresh_ledger
				                                      WHERE view_name = 'daily_revenue_history' AND outcome = 'success'
				                                      ORDER BY id DESC LIMIT 1) AS same_sources
				FROM tally.refresh_ledger WHERE view_name = 'daily_revenue_history' ORDER BY id DESC LIMIT 1
				""").query().singleRow();
		assertThat(skipped).containsEntry("outcome", "skipped").containsEntry("same_sources", true);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Response answer = revenue();
			assertThat(answer.<Boolean>path("$.data.dailyRevenue.freshness.stale"))
				.as("a skip confirms the data is current").isFalse();
			assertThat(answer.<Integer>path("$.data.dailyRevenue.freshness.ageSeconds")).isLessThan(60);
			assertThat(OffsetDateTime.parse(answer.path("$.data.dailyRevenue.freshness.nextRefreshAt")))
				.as("the next refresh is due an interval after the check, never in the past")
				.isAfter(OffsetDateTime.now())
				.isEqualTo(OffsetDateTime.parse(answer.path("$.data.dailyRevenue.freshness.refreshedAt"))
					.plus(dailyRevenue.refreshInterval()));
		});

		this.jdbc.sql("""
				WITH added AS (
				    INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				    VALUES ('po-a', 1, '2026-07-01 13:00Z', 'paid', 11)
				    RETURNING id)
				SELECT pg_stat_force_next_flush() FROM added
				""").query().listOfRows();
		anIntervalPasses(HISTORY);

		assertThat(this.refresher.refresh(HISTORY, dailyRevenue.refreshIntervalOf(HISTORY), false))
			.contains(ViewStatus.Outcome.SUCCESS);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(revenue().<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(111));
	}

	@Test
	void anIncrementalViewIsRebuiltOncePerRebuildIntervalWhateverItsRoutineRefreshes() {
		String view = "sales_vs_target";
		this.refresh.refreshNow(this.catalog.find("salesVsTarget").orElseThrow());
		assertThat(this.scheduler.rebuildTick(view)).as("rebuilt a moment ago").contains(ViewStatus.Outcome.SKIPPED);

		this.jdbc.sql("UPDATE tally.incremental_views SET rebuilt_at = now() - interval '2 days' WHERE view_name = :view")
			.param("view", view)
			.update();
		assertThat(this.scheduler.rebuildTick(view)).as("a day since the last rebuild").contains(ViewStatus.Outcome.SUCCESS);
		assertThat(this.jdbc.sql("SELECT rebuilt_at > now() - interval '1 minute' FROM tally.incremental_views WHERE view_name = :view")
			.param("view", view)
			.query(Boolean.class)
			.single()).as("the rebuild is recorded").isTrue();
	}

	@Test
	void theHealthComponentNamesViewsOlderThanTheirAllowedStaleness() {
		this.instanceB.bean(ReportRefresh.class).refreshNow(this.catalog.find("planUsage").orElseThrow());

		// Instance B allows planUsage one second; A allows the schema's default of twice 15 minutes.
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			Response b = health(this.instanceB.managementPort());
			assertThat(b.status()).isEqualTo(503);
			assertThat(b.<String>path("$.components.viewFreshness.details.staleViews.plan_usage.report"))
				.isEqualTo("planUsage");
			assertThat(b.<Integer>path("$.components.viewFreshness.details.staleViews.plan_usage.maxStalenessSeconds"))
				.isEqualTo(1);
		});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Response a = health(this.managementPort);
			assertThat(a.<String>path("$.components.viewFreshness.status")).isNotNull();
			assertThat(a.<Object>path("$.components.viewFreshness.details.staleViews.plan_usage")).isNull();
		});
	}

	@Test
	void anInvalidPolicyStopsStartUpNamingTheReportAndTheProblem() {
		assertThatException().isThrownBy(() -> TallyInstance.start(Map.of("tally.reports.dailyRevenue.quiet-window", "2am-4am")))
			.satisfies(ex -> assertThat(messages(ex)).contains("quietWindow").contains("02:00-04:00"));
		assertThatException().isThrownBy(() -> TallyInstance.start(Map.of("tally.reports.dailyRevenu.refresh", "PT1M")))
			.satisfies(ex -> assertThat(messages(ex)).contains("tally.reports.dailyRevenu: there is no report 'dailyRevenu'"));
	}

	private Response revenue() {
		return graphQl().post(this.issuer.tenantUser("po-a"), null, """
				{ dailyRevenue(from: "2026-07-01", to: "2026-07-01") {
				    totals { revenueCents }
				    freshness { refreshedAt ageSeconds stale servedFrom nextRefreshAt }
				} }""");
	}

	private static Response health(int port) {
		return GraphQlHttp.get(port, "/actuator/health/freshness");
	}

	/** As if the view's last refresh were an hour old, without waiting an interval. */
	private void anIntervalPasses(String view) {
		this.jdbc.sql("""
				UPDATE tally.refresh_ledger SET started_at = started_at - interval '2 days',
				                                finished_at = finished_at - interval '2 days'
				WHERE view_name = :view
				""").param("view", view).update();
	}

	private long lastLedgerId() {
		return this.jdbc.sql("SELECT coalesce(max(id), 0) FROM tally.refresh_ledger").query(Long.class).single();
	}

	private List<String> ledgerOutcomesAfter(String view, long id) {
		return this.jdbc.sql("SELECT outcome FROM tally.refresh_ledger WHERE view_name = :view AND id > :id ORDER BY id")
			.param("view", view)
			.param("id", id)
			.query(String.class)
			.list();
	}

	private static String messages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
