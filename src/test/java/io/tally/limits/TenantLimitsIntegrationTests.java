package io.tally.limits;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.graphql.StatementCounter;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-tenant limits over real HTTP: a tenant past its request rate gets 429 with
 * {@code Retry-After} while another tenant is still served, a tenant whose read slots are all
 * taken gets 429 for a read that would reach the database, and a request over the report-field
 * cap (aliases counting) runs no SQL. Admins have limits of their own. Each refusal is counted by
 * reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(StatementCounter.class)
@TestPropertySource(properties = { "tally.limits.requests-per-second=1", "tally.limits.burst=3",
		"tally.limits.concurrent-reads=1", "tally.limits.read-wait=50ms", "tally.limits.overrides[0].role=analytics-admin",
		"tally.limits.overrides[0].burst=50", "tally.limits.overrides[0].max-report-fields=8", "tally.cache.enabled=false" })
class TenantLimitsIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "dailyRevenue(from: \"2026-04-01\", to: \"2026-04-01\") { totals { revenueCents } }";

	@Autowired
	ReadBulkhead bulkhead;

	@Autowired
	LimitsProperties limits;

	@Autowired
	GraphQlLimitsProperties graphQlLimits;

	@Autowired
	MeterRegistry meters;

	@Autowired
	StatementCounter statements;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES
				  ('rl-a', 'Rate A'), ('rl-b', 'Rate B'), ('rl-c', 'Reads C'), ('rl-d', 'Fields D'), ('rl-e', 'Admin E'),
				  ('rl-f', 'Held F');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'rl-d', 'D', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				VALUES ('rl-d', 1, '2026-04-01 12:00Z', 'paid', 4200);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void answersATenantPastItsRequestRateWith429AndRetryAfterWhileAnotherTenantIsServed() {
		double before = rejections("rate");
		String tenantA = this.issuer.tenantUser("rl-a");
		for (int i = 0; i < 3; i++) {
			assertThat(graphQl().post(tenantA, null, "{ " + REVENUE + " }").status()).isEqualTo(200);
		}

		Response refused = graphQl().post(tenantA, null, "{ " + REVENUE + " }");

		assertThat(refused.status()).isEqualTo(429);
		assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
		assertThat(refused.body()).contains("TOO_MANY_REQUESTS").doesNotContain("revenueCents");
		assertThat(graphQl().post(this.issuer.tenantUser("rl-b"), null, "{ " + REVENUE + " }").status()).isEqualTo(200);
		assertThat(rejections("rate")).isEqualTo(before + 1);
	}

	@Test
	void holdsA429BackForTheRejectionDelaySoALoopIgnoringRetryAfterSendsLittle() {
		String tenantF = this.issuer.tenantUser("rl-f");
		for (int i = 0; i < 3; i++) {
			graphQl().post(tenantF, null, "{ " + REVENUE + " }");
		}
		long started = System.nanoTime();

		Response refused = graphQl().post(tenantF, null, "{ " + REVENUE + " }");

		assertThat(refused.status()).isEqualTo(429);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("tally.limits.rejection-delay, 1s by default")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(refused.header("Retry-After")).isNotNull();
	}

	@Test
	void givesAdminsABucketOfTheirOwnSoTheyNeverUseUpATenantsShare() {
		for (int i = 0; i < 6; i++) {
			assertThat(graphQl().post(this.issuer.admin(), "rl-e", "{ " + REVENUE + " }").status()).isEqualTo(200);
		}
		assertThat(graphQl().post(this.issuer.tenantUser("rl-e"), null, "{ " + REVENUE + " }").status()).isEqualTo(200);
	}

	@Test
	void answersAReadWhoseTenantHasNoFreeReadSlotWith429() throws Exception {
		double before = rejections("reads");
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> slowRead = CompletableFuture.runAsync(() -> this.bulkhead
			.read(tenantLimits("rl-c"), () -> {
				holding.countDown();
				await(release);
				return null;
			}));
		assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
		try {
			Response refused = graphQl().post(this.issuer.tenantUser("rl-c"), null, "{ " + REVENUE + " }");

			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(refused.errorType()).isEqualTo("TOO_MANY_REQUESTS");
			assertThat(refused.errorMessage()).contains("report reads");
			assertThat(graphQl().post(this.issuer.tenantUser("rl-b"), null, "{ " + REVENUE + " }").status())
				.as("another tenant's slots are its own")
				.isEqualTo(200);
		}
		finally {
			release.countDown();
			slowRead.get(5, TimeUnit.SECONDS);
		}
		assertThat(graphQl().post(this.issuer.tenantUser("rl-c"), null, "{ " + REVENUE + " }").status()).isEqualTo(200);
		assertThat(rejections("reads")).isEqualTo(before + 1);
	}

	@Test
	void refusesMoreReportFieldsThanTheCapCountingAliasesBeforeAnySql() {
		double before = rejections("fields");
		String token = this.issuer.tenantUser("rl-d");
		int statementsBefore = this.statements.count();

		Response refused = graphQl().post(token, null, aliases(6));

		assertThat(refused.errorType()).isEqualTo("BAD_REQUEST");
		assertThat(refused.errorMessage()).contains("6 report fields").contains("at most 5");
		assertThat((Object) refused.path("$.data")).isNull();
		assertThat(this.statements.count()).isEqualTo(statementsBefore);
		assertThat(rejections("fields")).isEqualTo(before + 1);
		assertThat(graphQl().post(this.issuer.tenantUser("rl-d"), null,
				"query { ...Two ... on Query { c: " + REVENUE + " d: " + REVENUE + " e: " + REVENUE + " f: " + REVENUE
						+ " } } fragment Two on Query { a: " + REVENUE + " b: " + REVENUE + " }")
			.errorMessage()).as("fragments count too").contains("6 report fields");
	}

	@Test
	void answersExactlyTheCapAndLetsAnOverrideRaiseItForAdmins() {
		Response atCap = graphQl().post(this.issuer.tenantUser("rl-d"), null, aliases(5));
		assertThat(atCap.<Object>path("$.errors")).isNull();
		assertThat(atCap.<Integer>path("$.data.a4.totals.revenueCents")).isEqualTo(4200);

		Response admin = graphQl().post(this.issuer.admin(), "rl-d", aliases(8));
		assertThat(admin.<Object>path("$.errors")).isNull();
		assertThat(admin.<Integer>path("$.data.a7.totals.revenueCents")).isEqualTo(4200);
	}

	private static String aliases(int count) {
		StringBuilder document = new StringBuilder("{");
		for (int i = 0; i < count; i++) {
			document.append(" a").append(i).append(": ").append(REVENUE);
		}
		return document.append(" }").toString();
	}

	private double rejections(String reason) {
		var counter = this.meters.find("tally.limits.rejections").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The limits a tenant's own users are held to, as the request context gives them. */
	private CallerLimits tenantLimits(String tenant) {
		return new CallerLimits("tenant:" + tenant, this.limits.requestsPerSecond(), this.limits.burst(),
				this.limits.concurrentReads(), this.graphQlLimits.maxReportFields());
	}

}
