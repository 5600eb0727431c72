package io.tally.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.ReportRefresh;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.OwnPostgres;
import io.tally.support.TallyInstance;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults under load on a PostgreSQL server of the test's own ({@link OwnPostgres}), with readers
 * of two tenants asking all the while over HTTP with real tokens, and every answer they got
 * checked afterwards: the server restarted while a refresh runs, a refresh killed mid-way, and
 * the pool held by slow reads. Nothing a reader sees is another tenant's, older than its
 * freshness says, a 5xx or a stack trace; what cannot be answered is an {@code UNAVAILABLE} with
 * {@code Retry-After} within two seconds. The steps share the server, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultsIntegrationTests {

	private static final String DATABASE = "tally_faults_test";

	private static final String QUERY = """
			query($from: Date, $to: Date) {
			  dailyRevenue(from: $from, to: $to) {
			    totals { revenueCents }
			    freshness { refreshedAt ageSeconds stale servedFrom }
			  }
			}""";

	private static final LocalDate DAY = LocalDate.parse("2026-03-01");

	/** What each tenant's answers may total: its own orders only, before and after the test adds one. */
	private static final Map<String, List<Integer>> TOTALS = Map.of("flt-a", List.of(1000, 1500), "flt-b",
			List.of(2000), "flt-c", List.of(3000, 3700), "flt-d", List.of(4000));

	private final TestIssuer issuer = TestIssuer.get();

	/** Distinct date ranges, so that each request for one is a cache miss. */
	private final AtomicInteger ranges = new AtomicInteger();

	private OwnPostgres server;

	private TallyInstance scheduled;

	private TallyInstance manual;

	@BeforeAll
	void startServerAndTally() throws Exception {
		OwnPostgres.assumeAvailable();
		this.server = OwnPostgres.start();
		this.server.createDatabase(DATABASE);
		// Refreshes dailyRevenue every 3 s; the other views once at start-up.
		this.scheduled = start(Map.of("tally.freshness.scheduler-enabled", "true",
				"tally.reports.dailyRevenue.refresh", "3s", "tally.reports.dailyRevenue.history-refresh", "3s"));
		sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('flt-a', 'A', 'UTC'), ('flt-b', 'B', 'UTC'), ('flt-c', 'C', 'UTC'), ('flt-d', 'D', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'flt-a', 'A1', 'north'), (2, 'flt-b', 'B1', 'north'), (3, 'flt-c', 'C1', 'north'),
				  (4, 'flt-d', 'D1', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('flt-a', 1, '2026-03-01 10:00Z', 'paid', 1000), ('flt-b', 2, '2026-03-01 10:00Z', 'paid', 2000),
				  ('flt-c', 3, '2026-03-01 10:00Z', 'paid', 3000), ('flt-d', 4, '2026-03-01 10:00Z', 'paid', 4000);
				""");
		this.scheduled.bean(ReportRefresh.class).refreshNow(dailyRevenue(this.scheduled));
	}

	@AfterAll
	void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.manual, this.scheduled, this.server }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// The server and its directory go anyway.
			}
		}
	}

	@Test
	@Order(1)
	void aRestartWhileReadersAndARefreshRunServesCachedAnswersRefusesOthersFastAndRecovers() throws Exception {
		TallyInstance tally = this.scheduled;
		MeterRegistry meters = tally.bean(MeterRegistry.class);
		List<Key> cached = List.of(new Key("flt-a", DAY, DAY), new Key("flt-a", DAY, DAY.plusDays(1)),
				new Key("flt-b", DAY, DAY), new Key("flt-b", DAY, DAY.plusDays(1)));
		cached.forEach(key -> assertThat(ask(tally, key).revenue()).isNotNull());
		double reconnects = meters.counter("tally.refresh.listener.reconnects").count();
		double refusedDown = refused(meters, "down");

		try (TallyInstance closedAfterwards = tally; Readers readers = new Readers(tally, cached, List.of("flt-a", "flt-b"))) {
			Thread.sleep(1000);
			Instant stopped;
			Instant restarted;
			try (Connection locker = this.server.connect(DATABASE); Statement statement = locker.createStatement()) {
				// The next refresh waits on this lock, so it is mid-way when the server stops. Taken
				// before the source changes: a refresh could otherwise run and finish in between.
				locker.setAutoCommit(false);
				statement.execute("LOCK TABLE app.orders IN ACCESS EXCLUSIVE MODE");
				// A changed source, so the next scheduled refresh does run (an answer's total stays the same).
				sql("INSERT INTO app.customers (id, tenant_id, name, region) VALUES (10, 'flt-b', 'B2', 'south')");
				awaitBlockedBy(locker);
				this.server.stopServer();
			}
			catch (SQLException ex) {
				// The locking session ends with the server.
			}
			stopped = Instant.now();
			Thread.sleep(6000);
			assertThat(tally.bean(MeterRegistry.class).get("tally.datasource.primary.down").gauge().value())
				.isEqualTo(1);
			this.server.startServer();
			restarted = Instant.now();

			await().atMost(Duration.ofSeconds(30))
				.until(() -> meters.counter("tally.refresh.listener.reconnects").count() > reconnects);
			Instant changed = Instant.now();
			sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES "
					+ "('flt-a', 1, '2026-03-01 12:00Z', 'paid', 500)");
			await("the scheduled refresh to pick the new order up").atMost(Duration.ofSeconds(30))
				.until(() -> Integer.valueOf(1500).equals(ask(tally, cached.get(0)).revenue()));
			// On a quiet machine the refresh can come back before any reader of an uncached key asked again.
			Instant back = restarted;
			await("an uncached answer after the restart").atMost(Duration.ofSeconds(30))
				.until(() -> readers.seen()
					.stream()
					.anyMatch(s -> s.key().uncached() && s.sent().isAfter(back) && s.revenue() != null));
			Instant included = firstRefreshStartedAfter(changed);
			// Waits for flt-a's own answer, the one the last assertion reads: another tenant's answer
			// can claim that refresh first, and the readers stopped then (a flaky run did exactly that).
			await("flt-a's answer claiming the refresh that took the new order in").atMost(Duration.ofSeconds(30))
				.until(() -> readers.seen()
					.stream()
					.anyMatch(s -> s.key().tenant().equals("flt-a") && s.refreshedAt() != null
							&& !s.refreshedAt().isBefore(included)));
			readers.stop();

			List<Seen> seen = readers.seen();
			readers.assertNothingWrong(seen);
			List<Seen> outage = seen.stream()
				.filter(s -> s.sent().isAfter(stopped) && s.received().isBefore(restarted))
				.toList();
			List<Seen> cachedInOutage = outage.stream().filter(s -> !s.key().uncached()).toList();
			List<Seen> uncachedInOutage = outage.stream().filter(s -> s.key().uncached()).toList();
			assertThat(cachedInOutage).hasSizeGreaterThan(20).allSatisfy(s -> {
				assertThat(s.errorType()).as(s.body()).isNull();
				assertThat(s.servedFrom()).isEqualTo("CACHE");
			});
			assertThat(uncachedInOutage).hasSizeGreaterThan(5).allSatisfy(s -> {
				assertThat(s.errorType()).as(s.body()).isEqualTo("UNAVAILABLE");
				assertThat(s.retryAfter()).isEqualTo("1");
				assertThat(s.took()).isLessThan(Duration.ofSeconds(2));
			});
			Duration median = uncachedInOutage.stream().map(Seen::took).sorted().toList().get(uncachedInOutage.size() / 2);
			assertThat(median).as("refused at once while the database is known to be down, not after the pool's wait")
				.isLessThan(Duration.ofMillis(900));
			assertThat(refused(meters, "down")).isGreaterThan(refusedDown);

			Seen firstAnswer = seen.stream()
				.filter(s -> s.key().uncached() && s.sent().isAfter(restarted) && s.revenue() != null)
				.findFirst()
				.orElseThrow();
			Duration recovery = Duration.between(restarted, firstAnswer.received());
			System.out.printf("Outage %d ms: %d cached answers served, %d uncached refused (median %d ms, max %d ms);"
					+ " first uncached answer %d ms after the server accepted connections%n",
					Duration.between(stopped, restarted).toMillis(), cachedInOutage.size(), uncachedInOutage.size(),
					median.toMillis(), uncachedInOutage.stream().map(Seen::took).max(Duration::compareTo).orElseThrow()
						.toMillis(), recovery.toMillis());
			// The pool retries a lost database with a backoff of at most 5 s (Hikari's), the probe once a second.
			assertThat(recovery).as("answers resume within the stated time").isLessThan(Duration.ofSeconds(7));
			// The scheduled refresh ran again after the restart. An answer is never older than its
			// freshness says: once an answer claims the first refresh that began after the new order
			// was written, it shows the order. (Freshness may lag the rows by a ledger poll, never lead.)
			assertThat(seen).filteredOn(s -> s.key().tenant().equals("flt-a") && s.refreshedAt() != null
					&& !s.refreshedAt().isBefore(included))
				.isNotEmpty()
				.allSatisfy(s -> assertThat(s.revenue()).as(s.body()).isEqualTo(1500));
		}
		finally {
			// Its schedule would refresh behind the next steps' backs.
			this.scheduled = null;
		}
	}

	@Test
	@Order(2)
	void aRefreshKilledMidwayLeavesTheOldDataServingTheLedgerAndHealthSayFailedAndTheNextSucceeds()
			throws Exception {
		TallyInstance tally = manual();
		Key key = new Key("flt-c", DAY, DAY);
		Seen before = ask(tally, key);
		assertThat(before.revenue()).isEqualTo(3000);
		sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES "
				+ "('flt-c', 3, '2026-03-01 12:00Z', 'paid', 700)");

		try (Readers readers = new Readers(tally, List.of(key), List.of("flt-c"))) {
			ExecutorService refreshing = Executors.newSingleThreadExecutor();
			try (Connection locker = this.server.connect(DATABASE); Statement statement = locker.createStatement()) {
				locker.setAutoCommit(false);
				statement.execute("LOCK TABLE app.orders IN ACCESS EXCLUSIVE MODE");
				Future<?> refresh = refreshing
					.submit(() -> tally.bean(ReportRefresh.class).refreshNow(dailyRevenue(tally)));
				// Each part's refresh waits on the lock; each is killed there.
				Set<Integer> killed = new HashSet<>();
				while (!refresh.isDone()) {
					try (ResultSet rs = statement.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM "
							+ "pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))")) {
						while (rs.next()) {
							killed.add(rs.getInt(1));
						}
					}
					Thread.sleep(50);
				}
				refresh.get();
				locker.rollback();
				assertThat(killed).as("the history's refresh, then the recent part's").hasSizeGreaterThanOrEqualTo(2);
			}
			finally {
				refreshing.shutdownNow();
			}

			Map<String, String> outcomes = new HashMap<>();
			try (Connection connection = this.server.connect(DATABASE); Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT DISTINCT ON (view_name) view_name, outcome, error "
							+ "FROM tally.refresh_ledger ORDER BY view_name, id DESC")) {
				while (rs.next()) {
					outcomes.put(rs.getString(1), rs.getString(2) + ": " + rs.getString(3));
				}
			}
			assertThat(outcomes.get("daily_revenue_history")).startsWith("failed: ");
			assertThat(outcomes.get("daily_revenue_recent")).startsWith("failed: ");
			Response health = GraphQlHttp.get(tally.managementPort(), "/actuator/health/freshness");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.<String>path("$.components.viewFreshness.details.staleViews.daily_revenue.lastOutcome"))
				.isEqualTo("FAILED");
			Seen old = ask(tally, new Key("flt-c", DAY, DAY.plusDays(this.ranges.incrementAndGet())));
			assertThat(old.revenue()).as("an uncached answer still reads the old data").isEqualTo(3000);
			assertThat(old.stale()).isTrue();
			assertThat(old.refreshedAt()).isEqualTo(before.refreshedAt());

			tally.bean(ReportRefresh.class).refreshNow(dailyRevenue(tally));
			await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3700).equals(ask(tally, key).revenue()));
			Seen after = ask(tally, key);
			assertThat(after.stale()).isFalse();
			assertThat(after.refreshedAt()).isAfter(before.refreshedAt());
			assertThat(GraphQlHttp.get(tally.managementPort(), "/actuator/health/freshness").body())
				.doesNotContain("daily_revenue");
			readers.stop();
			List<Seen> seen = readers.seen();
			readers.assertNothingWrong(seen);
			assertThat(seen).filteredOn(s -> Integer.valueOf(3000).equals(s.revenue()))
				.allSatisfy(s -> assertThat(s.refreshedAt()).isEqualTo(before.refreshedAt()));
		}
	}

	@Test
	@Order(3)
	void aPoolHeldBySlowReadsRefusesTheRestFastAndRecovers() throws Exception {
		TallyInstance tally = manual();
		HikariDataSource pool = (HikariDataSource) tally.bean(DataSource.class);
		double refusedBusy = refused(tally.bean(MeterRegistry.class), "busy");
		ExecutorService clients = Executors.newFixedThreadPool(12);
		try (Connection locker = this.server.connect(DATABASE); Statement statement = locker.createStatement()) {
			locker.setAutoCommit(false);
			// Reads of the report's views wait on the lock a plain refresh holds till the end of its
			// transaction, each holding a pooled connection meanwhile.
			statement.execute("REFRESH MATERIALIZED VIEW mv.daily_revenue_history");
			statement.execute("REFRESH MATERIALIZED VIEW mv.daily_revenue_recent");
			List<Future<Seen>> asked = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				Key key = new Key("flt-d", DAY, DAY.plusDays(this.ranges.incrementAndGet()));
				asked.add(clients.submit(() -> ask(tally, key)));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 3);
			long deadline = System.nanoTime() + Duration.ofMillis(2500).toNanos();
			List<Seen> refused = new ArrayList<>();
			for (Future<Seen> future : asked) {
				try {
					refused.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
				}
				catch (java.util.concurrent.TimeoutException ex) {
					// One of the slow reads holding a connection.
				}
			}
			String blocked;
			try (ResultSet rs = statement.executeQuery("SELECT string_agg(left(query, 60), ' | ') FROM pg_stat_activity "
					+ "WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))")) {
				rs.next();
				blocked = rs.getString(1);
			}
			assertThat(refused).as("blocked: %s; pool: %d active, %d idle", blocked,
					pool.getHikariPoolMXBean().getActiveConnections(), pool.getHikariPoolMXBean().getIdleConnections())
				.hasSizeGreaterThanOrEqualTo(9)
				.allSatisfy(s -> {
				assertThat(s.status()).isEqualTo(200);
				assertThat(s.errorType()).as(s.body()).isEqualTo("UNAVAILABLE");
				assertThat(s.body()).contains("All report database connections are busy; retry in a moment");
				assertThat(s.retryAfter()).isEqualTo("1");
				// The pool's 1 s wait, plus what a loaded machine adds; a hang would be the 10 s request timeout.
				assertThat(s.took()).isLessThan(Duration.ofSeconds(3));
			});
			// The ledger poll (every second here) may be waiting its 1 s for a connection too; a pile-up
			// of requests would keep threads waiting for good.
			await("no pile-up").atMost(Duration.ofSeconds(3))
				.until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0);
			locker.rollback();
			for (Future<Seen> future : asked) {
				Seen seen = future.get(10, TimeUnit.SECONDS);
				assertThat(seen.status()).isEqualTo(200);
				assertThat(seen.revenue()).as(seen.body()).isIn(null, 4000);
			}
		}
		finally {
			clients.shutdownNow();
		}
		Seen recovered = ask(tally, new Key("flt-d", DAY, DAY.plusDays(this.ranges.incrementAndGet())));
		assertThat(recovered.revenue()).isEqualTo(4000);
		assertThat(recovered.took()).isLessThan(Duration.ofSeconds(1));
		MeterRegistry meters = tally.bean(MeterRegistry.class);
		assertThat(refused(meters, "busy")).isEqualTo(refusedBusy + 9);
		assertThat(meters.get("tally.datasource.primary.down").gauge().value()).as("busy is not down").isZero();
	}

	private TallyInstance manual() {
		if (this.manual == null) {
			// A pool of three, and read slots enough that the pool, not the tenant's slots, runs out.
			this.manual = start(Map.of("spring.datasource.hikari.maximum-pool-size", "3", "tally.limits.concurrent-reads",
					"50"));
		}
		return this.manual;
	}

	private TallyInstance start(Map<String, String> properties) {
		Map<String, String> all = new HashMap<>(properties);
		all.put("spring.datasource.url", this.server.url(DATABASE));
		all.put("spring.datasource.username", "postgres");
		all.put("spring.datasource.password", "");
		return TallyInstance.start(all);
	}

	private Seen ask(TallyInstance tally, Key key) {
		Instant sent = Instant.now();
		Map<String, Object> variables = Map.of("from", key.from().toString(), "to", key.to().toString());
		Response response = tally.graphQl().post(this.issuer.tenantUser(key.tenant()), null, QUERY, variables);
		return new Seen(key, sent, Instant.now(), response);
	}

	private void awaitBlockedBy(Connection locker) {
		await("a refresh to wait on the lock").atMost(Duration.ofSeconds(20)).until(() -> {
			try (Statement statement = locker.createStatement(); ResultSet rs = statement.executeQuery(
					"SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))")) {
				rs.next();
				return rs.getInt(1) > 0;
			}
		});
	}

	/** When the first successful refresh of every dailyRevenue part that began after this instant ended. */
	private Instant firstRefreshStartedAfter(Instant instant) throws SQLException {
		try (Connection connection = this.server.connect(DATABASE);
				PreparedStatement statement = connection.prepareStatement("""
						SELECT max(first_end) FROM (
						  SELECT view_name, min(finished_at) AS first_end FROM tally.refresh_ledger
						  WHERE view_name LIKE 'daily_revenue%' AND outcome = 'success' AND started_at > ?
						  GROUP BY view_name) parts
						""")) {
			statement.setTimestamp(1, java.sql.Timestamp.from(instant));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getTimestamp(1).toInstant();
			}
		}
	}

	private void sql(String sql) throws SQLException {
		try (Connection connection = this.server.connect(DATABASE); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static ReportDefinition dailyRevenue(TallyInstance tally) {
		return tally.bean(ReportCatalog.class).find("dailyRevenue").orElseThrow();
	}

	private static double refused(MeterRegistry meters, String reason) {
		var counter = meters.find("tally.datasource.refused").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * One report read a reader asks for.
	 * @param uncached whether it is a range never asked before
	 */
	private record Key(String tenant, LocalDate from, LocalDate to, boolean uncached) {

		Key(String tenant, LocalDate from, LocalDate to) {
			this(tenant, from, to, false);
		}

	}

	/** One answer as a reader saw it. */
	private record Seen(Key key, Instant sent, Instant received, Response response) {

		int status() {
			return this.response.status();
		}

		String body() {
			return this.response.body();
		}

		Duration took() {
			return Duration.between(this.sent, this.received);
		}

		Integer revenue() {
			return this.response.path("$.data.dailyRevenue.totals.revenueCents");
		}

		String errorType() {
			return this.response.errorType();
		}

		String retryAfter() {
			return this.response.header("Retry-After");
		}

		String servedFrom() {
			return this.response.path("$.data.dailyRevenue.freshness.servedFrom");
		}

		Boolean stale() {
			return this.response.path("$.data.dailyRevenue.freshness.stale");
		}

		Instant refreshedAt() {
			String at = this.response.path("$.data.dailyRevenue.freshness.refreshedAt");
			return (at != null) ? OffsetDateTime.parse(at).toInstant() : null;
		}

		Integer ageSeconds() {
			return this.response.path("$.data.dailyRevenue.freshness.ageSeconds");
		}

	}

	/**
	 * Readers asking all the while: three threads for the cached keys, one for a new range of one of
	 * the tenants every 100 ms, each pausing a little between requests to spare the machine.
	 */
	private final class Readers implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

		private final ExecutorService threads = Executors.newFixedThreadPool(4);

		Readers(TallyInstance tally, List<Key> cached, List<String> tenants) {
			for (int t = 0; t < 3; t++) {
				int offset = t;
				this.threads.execute(() -> {
					for (int i = offset; this.running.get(); i++) {
						this.seen.add(ask(tally, cached.get(i % cached.size())));
						pause(20);
					}
				});
			}
			this.threads.execute(() -> {
				for (int i = 0; this.running.get(); i++) {
					int range = DatabaseFaultsIntegrationTests.this.ranges.incrementAndGet();
					Key key = new Key(tenants.get(i % tenants.size()), DAY.minusDays(range / 300),
							DAY.plusDays(1 + range % 300), true);
					this.seen.add(ask(tally, key));
					pause(100);
				}
			});
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.threads.shutdown();
			assertThat(this.threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}

		List<Seen> seen() {
			return List.copyOf(this.seen);
		}

		/**
		 * No 5xx, no stack trace, no error but UNAVAILABLE; every total the tenant's own; every age
		 * what the refresh time says.
		 */
		void assertNothingWrong(List<Seen> seen) {
			assertThat(seen).isNotEmpty().allSatisfy(s -> {
				assertThat(s.status()).as(s.body()).isEqualTo(200);
				assertThat(s.body()).doesNotContain("Exception").doesNotContain("\tat ");
				if (s.errorType() != null) {
					assertThat(s.errorType()).as(s.body()).isEqualTo("UNAVAILABLE");
					assertThat(s.retryAfter()).isEqualTo("1");
					return;
				}
				assertThat(s.revenue()).as("%s's answer: %s", s.key().tenant(), s.body())
					.isIn(TOTALS.get(s.key().tenant()).toArray());
				long age = Duration.between(s.refreshedAt(), s.received()).toSeconds();
				assertThat((long) s.ageSeconds()).as("the age it states, against its refresh time")
					.isBetween(Duration.between(s.refreshedAt(), s.sent()).toSeconds() - 1, age + 1);
			});
		}

		@Override
		public void close() throws InterruptedException {
			if (this.running.get()) {
				stop();
			}
		}

		private static void pause(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
