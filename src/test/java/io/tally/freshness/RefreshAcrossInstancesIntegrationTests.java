package io.tally.freshness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Shops;
import io.tally.support.TallyInstance;
import io.tally.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one database, as two pods behind one Service: this test's application
 * (instance A) and a second Spring context (instance B, whose refreshes time out after 2 seconds).
 * One of them refreshes each view, both serve the new data soon after, and a refresh that fails
 * leaves the old data readable, marked stale, and the next refresh free to run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshAcrossInstancesIntegrationTests extends IntegrationTestSupport {

	/** Its orders are months old, so the history part of dailyRevenue holds them. */
	private static final String VIEW = "daily_revenue_history";

	@Autowired
	ReportCatalog catalog;

	@Autowired
	ReportRefresh refresh;

	@Autowired
	ViewRefresher refresher;

	@Autowired
	RefreshScheduler scheduler;

	@Autowired
	MeterRegistry meters;

	@Autowired
	LedgerSnapshot snapshot;

	private TallyInstance instanceB;

	private ReportDefinition dailyRevenue;

	@BeforeAll
	void fixture() {
		Shops.withOnePaidOrder(this.jdbc, "2026-06-01T12:00:00Z", Map.of("rx-a", 100, "rx-b", 100));
		this.dailyRevenue = this.catalog.find("dailyRevenue").orElseThrow();
		this.refresh.refreshNow(this.dailyRevenue);
		this.instanceB = TallyInstance.start(Map.of("tally.freshness.refresh-timeout", "2s"));
	}

	@AfterAll
	void stopInstanceB() {
		this.instanceB.close();
	}

	@Test
	void oneOfTwoInstancesTriggeredAtOnceRefreshesAndTheOtherSkipsWithoutWaiting() throws Exception {
		ViewRefresher refresherB = this.instanceB.bean(ViewRefresher.class);
		Duration interval = this.dailyRevenue.refreshIntervalOf(VIEW);
		addOrder("rx-a", 1);
		anIntervalPasses(VIEW);

		// While a refresh holds the view's lock, both instances return at once instead of queueing.
		try (Connection holder = TestDatabase.get().connect(); Statement statement = holder.createStatement()) {
			holder.setAutoCommit(false);
			statement.execute("SELECT pg_advisory_xact_lock(hashtextextended('tally.refresh.daily_revenue_history', 0))");
			assertThat(CompletableFuture.supplyAsync(() -> this.refresher.refresh(VIEW, interval, false))
				.get(30, TimeUnit.SECONDS)).isEmpty();
			assertThat(CompletableFuture.supplyAsync(() -> refresherB.refresh(VIEW, interval, false))
				.get(30, TimeUnit.SECONDS)).isEmpty();
			holder.rollback();
		}

		long before = lastLedgerId();
		List<Optional<ViewStatus.Outcome>> first = atOnce(() -> this.refresher.refresh(VIEW, interval, false),
				() -> refresherB.refresh(VIEW, interval, false));

		assertThat(first).containsOnlyOnce(Optional.of(ViewStatus.Outcome.SUCCESS));
		assertThat(first).allMatch(outcome -> outcome.isEmpty() || outcome.get() != ViewStatus.Outcome.FAILED);
		assertThat(ledgerOutcomesAfter(before)).as("the ledger shows one refresh").containsExactly("success");

		long afterFirst = lastLedgerId();
		List<Optional<ViewStatus.Outcome>> second = atOnce(() -> this.refresher.refresh(VIEW, interval, false),
				() -> refresherB.refresh(VIEW, interval, false));

		assertThat(second).as("within the same interval nobody refreshes again")
			.allMatch(outcome -> outcome.isEmpty() || outcome.get() == ViewStatus.Outcome.SKIPPED);
		assertThat(ledgerOutcomesAfter(afterFirst)).isEmpty();
	}

	@Test
	void bothInstancesSchedulesTickingTogetherRecordOneAttemptPerViewPerInterval() throws Exception {
		RefreshScheduler schedulerA = this.scheduler;
		RefreshScheduler schedulerB = this.instanceB.bean(RefreshScheduler.class);
		for (String view : this.catalog.views()) {
			anIntervalPasses(view);
			long before = lastLedgerId();

			atOnce(() -> schedulerA.tick(view), () -> schedulerB.tick(view));
			List<String> first = ledgerOutcomesAfter(view, before);
			long afterFirst = lastLedgerId();
			atOnce(() -> schedulerA.tick(view), () -> schedulerB.tick(view));

			assertThat(first).as("one refresh of %s, or one record that its sources had not changed", view)
				.singleElement()
				.isIn("success", "skipped");
			assertThat(ledgerOutcomesAfter(view, afterFirst)).as("nothing more for %s within the interval", view)
				.isEmpty();
		}
	}

	@Test
	void everyInstanceServesARefreshByAnotherSoonAfterItCommits() {
		GraphQlHttp b = this.instanceB.graphQl();
		int before = revenue(b, "rx-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents");
		assertThat(revenue(b, "rx-b").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");

		addOrder("rx-b", 5);
		this.refresh.refreshNow(this.dailyRevenue);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(revenue(b, "rx-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
				.isEqualTo(before + 5));
	}

	@Test
	void everyInstanceServesARefreshWhoseNotificationWasLostWithinThePollInterval() {
		GraphQlHttp a = graphQl();
		GraphQlHttp b = this.instanceB.graphQl();
		int before = revenue(b, "rx-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents");
		revenue(a, "rx-b");
		assertThat(revenue(a, "rx-b").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
		assertThat(revenue(b, "rx-b").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");

		// A refresh recorded in the ledger whose NOTIFY never arrived.
		this.jdbc.sql("""
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				VALUES ('rx-b', 1, '2026-06-01 14:00Z', 'paid', 7);
				REFRESH MATERIALIZED VIEW CONCURRENTLY mv.daily_revenue_history;
				INSERT INTO tally.refresh_ledger (view_name, started_at, finished_at, outcome, row_count, instance)
				VALUES ('daily_revenue_history', now(), clock_timestamp(), 'success', 1, 'an-instance-whose-notify-was-lost');
				""").update();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(revenue(a, "rx-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before + 7);
			assertThat(revenue(b, "rx-b").<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before + 7);
		});
	}

	@Test
	void aRefreshThatTimesOutEvictsNothingMarksAnswersStaleOnEveryInstanceAndTheNextOneSucceeds() throws Exception {
		bothInstancesHaveHeardOfTheLastRefresh();
		GraphQlHttp a = graphQl();
		GraphQlHttp b = this.instanceB.graphQl();
		int before = revenue(a, "rx-a").<Integer>path("$.data.dailyRevenue.totals.revenueCents");
		revenue(b, "rx-a");
		addOrder("rx-a", 3);

		ViewStatus failed;
		try (Connection blocker = blockSourceTable()) {
			// Instance B's refresh waits for the source table until its 2 second refresh timeout.
			failed = this.instanceB.bean(ReportRefresh.class).refreshNow(this.dailyRevenue);
			blocker.rollback();
		}

		assertThat(failed.lastAttemptFailed()).isTrue();
		assertThat(failed.lastAttempt().error()).contains("statement timeout");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (GraphQlHttp instance : List.of(a, b)) {
				Response answer = revenue(instance, "rx-a");
				assertThat(answer.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isTrue();
				assertThat(answer.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
				assertThat(answer.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before);
				assertThat(answer.<String>path("$.data.dailyRevenue.freshness.description"))
					.contains("the latest update failed");
			}
			for (int port : List.of(this.managementPort, this.instanceB.managementPort())) {
				Response health = GraphQlHttp.get(port, "/actuator/health/freshness");
				assertThat(health.status()).as("health agrees with the answers: stale").isEqualTo(503);
				assertThat(health.<String>path("$.components.viewFreshness.details.staleViews.daily_revenue.lastOutcome"))
					.isEqualTo("FAILED");
				assertThat(health.<String>path("$.components.viewFreshness.details.staleViews.daily_revenue.lastError"))
					.contains("statement timeout");
			}
		});

		assertThat(this.refresh.refreshNow(this.dailyRevenue).lastAttemptFailed()).isFalse();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (GraphQlHttp instance : List.of(a, b)) {
				Response answer = revenue(instance, "rx-a");
				assertThat(answer.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isFalse();
				assertThat(answer.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before + 3);
			}
			for (int port : List.of(this.managementPort, this.instanceB.managementPort())) {
				assertThat(GraphQlHttp.get(port, "/actuator/health/freshness")
					.<Object>path("$.components.viewFreshness.details.staleViews.daily_revenue")).isNull();
			}
		});
	}

	@Test
	void aRefreshWhoseBackendIsKilledLeavesTheOldDataReadableUnblockedAndReportsTheError() throws Exception {
		GraphQlHttp a = graphQl();
		int before = revenue(a, "rx-a").<Integer>path("$.data.dailyRevenue.totals.revenueCents");
		addOrder("rx-a", 2);

		CompletableFuture<ViewStatus> refreshing;
		try (Connection blocker = blockSourceTable()) {
			refreshing = CompletableFuture.supplyAsync(() -> this.refresh.refreshNow(this.dailyRevenue));
			int refresherPid = await().atMost(Duration.ofSeconds(10)).until(this::waitingRefreshPid, pid -> pid > 0);

			// Mid-refresh, an answer that is not cached is read from the view at once.
			Response uncached = graphQl().post(this.issuer.tenantUser("rx-a"), null,
					"{ dailyRevenue(from: \"2026-05-31\", to: \"2026-06-01\") { totals { revenueCents } freshness { servedFrom } } }");
			assertThat(uncached.errorMessage()).isNull();
			assertThat(uncached.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
			assertThat(uncached.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before);

			this.jdbc.sql("SELECT pg_terminate_backend(:pid)").param("pid", refresherPid).query().singleRow();
			// dailyRevenue's view has two parts: the refresh of the second waits on the same lock.
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				int next = waitingRefreshPid();
				if (next > 0) {
					this.jdbc.sql("SELECT pg_terminate_backend(:pid)").param("pid", next).query().singleRow();
				}
				return refreshing.isDone();
			});
			refreshing.get(30, TimeUnit.SECONDS);
			blocker.rollback();
		}

		Response status = graphQl().post(this.issuer.admin(), null, "{ reportStatus { report lastOutcome lastError } }");
		assertThat(status.<List<String>>path("$.data.reportStatus[?(@.report == 'dailyRevenue')].lastOutcome"))
			.containsExactly("FAILED");
		assertThat(status.<List<String>>path("$.data.reportStatus[?(@.report == 'dailyRevenue')].lastError"))
			.singleElement()
			.isNotNull();
		assertThat(this.jdbc.sql("SELECT view_name || ' ' || outcome FROM tally.refresh_ledger ORDER BY id DESC LIMIT 2")
			.query(String.class)
			.list()).as("both parts' refreshes failed").containsExactly("daily_revenue_recent failed", "daily_revenue_history failed");
		Response old = revenue(a, "rx-a");
		assertThat(old.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before);
		assertThat(old.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isTrue();
		assertThat(this.jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
				+ "(SELECT oid FROM pg_database WHERE datname = current_database())").query(Long.class).single())
			.as("no refresh lock is left behind").isZero();

		assertThat(this.refresh.refreshNow(this.dailyRevenue).lastAttemptFailed()).isFalse();
		Response fresh = revenue(a, "rx-a");
		assertThat(fresh.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(before + 2);
		assertThat(fresh.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isFalse();
	}

	@Test
	void aKilledListenerConnectionIsReopenedTheCacheClearedAndCounted() {
		GraphQlHttp a = graphQl();
		double reconnects = this.meters.counter("tally.refresh.listener.reconnects").count();
		revenue(a, "rx-b");
		assertThat(revenue(a, "rx-b").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");

		int killed = this.jdbc.sql("""
				SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE application_name = 'tally-refresh-listener' AND datname = current_database()
				""").query(Integer.class).single();

		assertThat(killed).as("A's and B's listeners").isGreaterThanOrEqualTo(2);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.meters.counter("tally.refresh.listener.reconnects").count() > reconnects);
		assertThat(revenue(a, "rx-b").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		await().atMost(Duration.ofSeconds(10)).until(() -> listeners() >= 2);
	}

	private Response revenue(GraphQlHttp instance, String tenant) {
		return instance.post(this.issuer.tenantUser(tenant), null, """
				{ dailyRevenue(from: "2026-06-01", to: "2026-06-01") {
				    totals { revenueCents }
				    freshness { refreshedAt stale servedFrom description }
				} }""");
	}

	/** A committed change to a source table whose statistics are published at once. */
	private void addOrder(String tenant, long cents) {
		this.jdbc.sql("""
				WITH added AS (
				    INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				    VALUES (:tenant, 1, '2026-06-01 15:00Z', 'paid', :cents)
				    RETURNING id)
				SELECT pg_stat_force_next_flush() FROM added
				""").param("tenant", tenant).param("cents", cents).query().listOfRows();
	}

	/** As if the view's last refresh were an hour old, without waiting an interval. */
	private void anIntervalPasses(String view) {
		this.jdbc.sql("""
				UPDATE tally.refresh_ledger SET started_at = started_at - interval '2 days',
				                                finished_at = finished_at - interval '2 days'
				WHERE view_name = :view
				""").param("view", view).update();
	}

	/** Holds app.orders so a refresh of the view waits for it; readers of the view are not affected. */
	private Connection blockSourceTable() throws Exception {
		Connection connection = TestDatabase.get().connect();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute("LOCK TABLE app.orders IN ACCESS EXCLUSIVE MODE");
		}
		return connection;
	}

	private int waitingRefreshPid() {
		return this.jdbc.sql("""
				SELECT coalesce(max(pid), 0) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'
				  AND query LIKE 'SELECT tally.refresh_view(%'
				""").query(Integer.class).single();
	}

	private long listeners() {
		return this.jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tally-refresh-listener' "
				+ "AND datname = current_database()").query(Long.class).single();
	}

	/**
	 * An earlier test may have refreshed through a refresher directly, which the instances learn of
	 * by notification; until they have, a cached answer may still be evicted under this test.
	 */
	private void bothInstancesHaveHeardOfTheLastRefresh() {
		long lastSuccess = this.jdbc.sql("""
				SELECT coalesce(max(id), 0) FROM tally.refresh_ledger WHERE view_name = :view AND outcome = 'success'
				""").param("view", VIEW).query(Long.class).single();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.snapshot.status(VIEW).generation() == lastSuccess
					&& this.instanceB.bean(LedgerSnapshot.class).status(VIEW).generation() == lastSuccess);
	}

	private long lastLedgerId() {
		return this.jdbc.sql("SELECT coalesce(max(id), 0) FROM tally.refresh_ledger").query(Long.class).single();
	}

	private List<String> ledgerOutcomesAfter(long id) {
		return ledgerOutcomesAfter(VIEW, id);
	}

	private List<String> ledgerOutcomesAfter(String view, long id) {
		return this.jdbc.sql("SELECT outcome FROM tally.refresh_ledger WHERE view_name = :view AND id > :id ORDER BY id")
			.param("view", view)
			.param("id", id)
			.query(String.class)
			.list();
	}

	@SafeVarargs
	private static <T> List<T> atOnce(java.util.function.Supplier<T>... tasks) throws Exception {
		CyclicBarrier barrier = new CyclicBarrier(tasks.length);
		ExecutorService threads = Executors.newFixedThreadPool(tasks.length);
		try {
			List<CompletableFuture<T>> futures = java.util.Arrays.stream(tasks)
				.map(task -> CompletableFuture.supplyAsync(() -> {
					try {
						barrier.await(30, TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
					return task.get();
				}, threads))
				.toList();
			return futures.stream().map(CompletableFuture::join).toList();
		}
		finally {
			threads.shutdownNow();
		}
	}

}
