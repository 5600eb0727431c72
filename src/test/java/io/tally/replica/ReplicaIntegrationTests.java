package io.tally.replica;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.cache.ReportCache;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ReportRefresh;
import io.tally.freshness.ViewStatus;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.Prerequisites;
import io.tally.support.TallyInstance;
import io.tally.support.TestIssuer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Report reads against a real streaming replica of a real primary (see {@link StreamingReplica}):
 * reads go to the replica; a refresh the replica has not replayed is neither served nor claimed,
 * and what the replica served is kept and tagged under its own generation, never the primary's;
 * a replica lagging past a report's allowed staleness, a stopped one and a promoted one are
 * skipped for the primary. The steps build on each other, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Prerequisites.PostgresServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaIntegrationTests {

	private static final String DATABASE = "tally_replica_test";

	private static final String TENANT = "rep-shop";

	private static final String QUERY = """
			query($region: String) {
			  dailyRevenue(from: "2026-03-01", to: "2026-03-02", region: $region) {
			    totals { paidOrders revenueCents }
			    freshness { refreshedAt servedFrom }
			  }
			}""";

	/** dailyRevenue's allowed staleness here: short, so a paused replica soon lags past it. */
	private static final Duration MAX_STALENESS = Duration.ofSeconds(8);

	private final TestIssuer issuer = TestIssuer.get();

	private StreamingReplica cluster;

	private TallyInstance tally;

	@BeforeAll
	void startPrimaryReplicaAndTally() throws Exception {
		this.cluster = StreamingReplica.start();
		this.cluster.createDatabase(DATABASE);
		this.tally = start(true);
		primarySql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('rep-shop', 'Replica shop', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'rep-shop', 'North', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('rep-shop', 1, '2026-03-01 10:00Z', 'paid', 1000);
				""");
		ViewStatus first = refresh();
		this.cluster.awaitReplay();
		awaitReplicaGeneration(first.generation());
	}

	@AfterAll
	void stop() {
		if (this.tally != null) {
			this.tally.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	@Order(1)
	void readsReportsFromTheReplica() {
		double before = reads(replicaName());

		Response response = query(null);

		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1000);
		assertThat(response.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		assertThat(reads(replicaName())).isEqualTo(before + 1);
		assertThat(reads("primary")).isZero();
	}

	@Test
	@Order(2)
	void aRefreshNotYetReplayedIsNeitherServedNorClaimedButIsOnceReplayed() throws Exception {
		ViewStatus old = replicaStatus();
		this.cluster.pauseReplay();
		primarySql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES "
				+ "('rep-shop', 1, '2026-03-02 10:00Z', 'paid', 2000)");
		ViewStatus fresh = refresh();
		assertThat(fresh.generation()).isGreaterThan(old.generation());

		// A new argument, so the answer is read now rather than taken from the cache.
		Response behind = query("north");

		assertThat(behind.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1000);
		assertThat(behind.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		assertThat(refreshedAt(behind)).isEqualTo(micros(old.refreshedAt()));
		assertThat(query("north").<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");

		this.cluster.resumeReplay();
		this.cluster.awaitReplay();
		awaitReplicaGeneration(fresh.generation());
		Response replayed = query("north");

		assertThat(replayed.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(3000);
		assertThat(replayed.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		assertThat(refreshedAt(replayed)).isEqualTo(micros(fresh.refreshedAt()));
	}

	@Test
	@Order(3)
	void aLaggingReplicasAnswerIsKeptAndTaggedUnderItsOwnGenerationSoItsOldRowsNeverOutliveTheReplay()
			throws Exception {
		ViewStatus old = replicaStatus();
		this.cluster.pauseReplay();
		ViewStatus fresh;
		String etag;
		try {
			primarySql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES "
					+ "('rep-shop', 1, '2026-03-02 12:00Z', 'paid', 8000)");
			fresh = refresh();
			assertThat(fresh.generation()).isGreaterThan(old.generation());

			Response read = get(null);
			double hits = responseCacheHits();
			Response again = get(null);

			assertThat(read.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(3000);
			assertThat(refreshedAt(read)).isEqualTo(micros(old.refreshedAt()));
			assertThat(again.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(3000);
			assertThat(refreshedAt(again)).as("a kept answer is described from the replica's ledger, not the primary's")
				.isEqualTo(micros(old.refreshedAt()));
			assertThat(responseCacheHits()).as("kept while the replica still holds what it read").isEqualTo(hits + 1);
			etag = read.header("ETag");
			assertThat(get(etag).status()).as("the replica still serves that generation").isEqualTo(304);
		}
		finally {
			this.cluster.resumeReplay();
		}
		this.cluster.awaitReplay();
		awaitReplicaGeneration(fresh.generation());

		Response revalidated = get(etag);

		assertThat(revalidated.status()).as("the old rows' tag is not the new generation's").isEqualTo(200);
		assertThat(revalidated.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(11000);
		assertThat(refreshedAt(revalidated)).isEqualTo(micros(fresh.refreshedAt()));
		assertThat(revalidated.header("ETag")).isNotEqualTo(etag);
		assertThat(get(revalidated.header("ETag")).status()).isEqualTo(304);
	}

	@Test
	@Order(4)
	void aReplicaLaggingMorethanTheReportsAllowedStalenessIsSkippedForThePrimary() throws Exception {
		this.cluster.pauseReplay();
		try {
			primarySql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES "
					+ "('rep-shop', 1, '2026-03-02 11:00Z', 'paid', 4000)");
			ViewStatus fresh = refresh();
			double skippedBefore = skipped("lagging");
			await(() -> replicaLag().compareTo(MAX_STALENESS) > 0, "the replica's lag to pass the allowed staleness");

			Response response = query("south");

			assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isZero();
			Response all = query(null);
			assertThat(all.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(15000);
			assertThat(refreshedAt(all)).isEqualTo(micros(fresh.refreshedAt()));
			assertThat(reads("primary")).isEqualTo(2);
			assertThat(skipped("lagging")).isEqualTo(skippedBefore + 2);
		}
		finally {
			this.cluster.resumeReplay();
		}
		this.cluster.awaitReplay();
		await(() -> replicaLag().isZero(), "the replica to catch up");
	}

	@Test
	@Order(5)
	void aStoppedReplicaIsSkippedAndReadsGoToThePrimaryOrFailWhenFallbackIsOff() throws Exception {
		double primaryReads = reads("primary");
		this.cluster.stopReplica();
		try (TallyInstance strict = start(false)) {
			// Whether a check or this read's failed connection notices first, the read moves to the primary.
			Response response = query("east");

			assertThat(response.<Object>path("$.errors")).isNull();
			assertThat(reads("primary")).isEqualTo(primaryReads + 1);
			assertThat(replicaHealth(this.tally)).containsEntry("state", "down");
			assertThat(healthPage()).contains("\"state\":\"down\"").contains(replicaName());
			await(() -> "down".equals(replicaHealth(strict).get("state")), "the strict instance to see the replica down");
			assertThat(strict.bean(ReplicaHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);

			Response refused = strict.graphQl().post(this.issuer.tenantUser(TENANT), null, QUERY, Map.of());

			assertThat(refused.<String>path("$.errors[0].extensions.classification")).isEqualTo("UNAVAILABLE");
			assertThat(refused.<String>path("$.errors[0].message"))
				.isEqualTo("No read replica can serve this report now; retry later");
		}
		this.cluster.startReplica();
		await(() -> "following".equals(replicaHealth(this.tally).get("state")), "the replica to be followed again");
		double replicaReads = reads(replicaName());
		query("west");
		assertThat(reads(replicaName())).isEqualTo(replicaReads + 1);
	}

	@Test
	@Order(6)
	void aPromotedReplicaServesNothingMoreAndItsCachedAnswersAreDropped() throws Exception {
		query(null);
		assertThat(this.tally.bean(ReportCache.class).size(TENANT)).isPositive();
		this.cluster.promoteReplica();
		// Once promoted it takes writes of its own: rows and a ledger the primary never had.
		try (Connection promoted = this.cluster.replica(DATABASE); Statement statement = promoted.createStatement()) {
			statement.execute("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES "
					+ "('rep-shop', 1, '2026-03-01 12:00Z', 'paid', 500000)");
			statement.execute("REFRESH MATERIALIZED VIEW mv.daily_revenue_history");
			statement.execute("INSERT INTO tally.refresh_ledger (view_name, started_at, finished_at, outcome, row_count, "
					+ "instance) VALUES ('daily_revenue_history', now(), now(), 'success', 1, 'promoted')");
		}
		await(() -> "promoted".equals(replicaHealth(this.tally).get("state")), "the replica to be seen promoted");

		assertThat(this.tally.bean(ReportCache.class).size(TENANT)).isZero();
		double primaryReads = reads("primary");
		double hits = responseCacheHits();
		Response response = query(null);
		Response again = query(null);
		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(15000);
		assertThat(reads("primary")).isEqualTo(primaryReads + 1);
		assertThat(again.<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.as("kept under the primary's ledger, never the promoted replica's").isEqualTo(15000);
		assertThat(responseCacheHits()).isEqualTo(hits + 1);
	}

	private TallyInstance start(boolean primaryFallback) {
		return TallyInstance.start(Map.of("spring.datasource.url", this.cluster.primaryUrl(DATABASE),
				"spring.datasource.username", "postgres", "spring.datasource.password", "",
				"tally.datasource.replicas", this.cluster.replicaUrl(DATABASE), "tally.datasource.check-interval",
				"200ms", "tally.datasource.primary-fallback", String.valueOf(primaryFallback),
				"tally.reports.dailyRevenue.max-staleness", MAX_STALENESS.toString()));
	}

	private Response query(String region) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("region", region);
		Response response = this.tally.graphQl().post(this.issuer.tenantUser(TENANT), null, QUERY, variables);
		assertThat(response.<Object>path("$.errors")).as(response.body()).isNull();
		return response;
	}

	/** The query sent with GET, as a browser revalidating its copy would. */
	private Response get(String ifNoneMatch) {
		Map<String, String> headers = new HashMap<>();
		headers.put("Authorization", "Bearer " + this.issuer.tenantUser(TENANT));
		if (ifNoneMatch != null) {
			headers.put("If-None-Match", ifNoneMatch);
		}
		Response response = this.tally.graphQl().send("GET", "/graphql?query=" + encode(QUERY), headers);
		assertThat(response.status()).as(response.body()).isIn(200, 304);
		return response;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private double responseCacheHits() {
		var counter = this.tally.bean(MeterRegistry.class).find("tally.cache.responses").tag("result", "hit").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private ViewStatus refresh() {
		return this.tally.bean(ReportRefresh.class).refreshNow(report());
	}

	private ReportDefinition report() {
		return this.tally.bean(ReportCatalog.class).find("dailyRevenue").orElseThrow();
	}

	private void primarySql(String sql) throws SQLException {
		try (Connection primary = this.cluster.primary(DATABASE); Statement statement = primary.createStatement()) {
			statement.execute(sql);
		}
	}

	private void awaitReplicaGeneration(long generation) {
		await(() -> {
			return replicaStatus().generation() == generation;
		}, "the replica's ledger to reach generation " + generation);
	}

	/** dailyRevenue's status in the replica's copy of the ledger, both parts of its view. */
	private ViewStatus replicaStatus() {
		return LedgerSnapshot.of(report(), true, replica().state().ledger());
	}

	private Replica replica() {
		return this.tally.bean(ReplicaPools.class).all().get(0);
	}

	private String replicaName() {
		return replica().name();
	}

	private Duration replicaLag() {
		Duration lag = replica().state().lag();
		return (lag != null) ? lag : Duration.ZERO;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> replicaHealth(TallyInstance instance) {
		Map<String, Object> replicas = (Map<String, Object>) instance.bean(ReplicaHealthIndicator.class)
			.health()
			.getDetails()
			.get("replicas");
		return (Map<String, Object>) replicas.values().iterator().next();
	}

	/** What an operator sees on the health endpoint's replicas group. */
	private String healthPage() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.tally.managementPort() + "/actuator/health/replicas"))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private double reads(String source) {
		var counter = this.tally.bean(MeterRegistry.class).find("tally.replica.reads").tag("source", source).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double skipped(String reason) {
		var counter = this.tally.bean(MeterRegistry.class).find("tally.replica.skipped").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static Instant refreshedAt(Response response) {
		return OffsetDateTime.parse(response.<String>path("$.data.dailyRevenue.freshness.refreshedAt")).toInstant();
	}

	/** Answers give times to the microsecond, as PostgreSQL stores them. */
	private static Instant micros(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	private static void await(BooleanSupplier condition, String what) {
		Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
			.until(condition::getAsBoolean);
	}

}
