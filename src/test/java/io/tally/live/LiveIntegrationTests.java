package io.tally.live;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.tally.support.IntegrationTestSupport;
import io.tally.support.SseSubscription;
import io.tally.support.SseSubscription.Event;
import io.tally.support.TallyInstance;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live updates over Server-Sent Events, with real tokens: a refresh anywhere reaches every
 * subscriber of the tenant, a report subscription pushes the new numbers, streams are capped per
 * tenant, kept alive by heartbeats and ended when their token expires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "spring.graphql.http.sse.keep-alive=1s", "tally.live.max-subscribers-per-tenant=2",
		"tally.limits.overrides[0].role=partner" })
class LiveIntegrationTests extends IntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String REVENUE = "subscription { dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") "
			+ "{ totals { revenueCents } freshness { description } } }";

	@Autowired
	LiveSubscriptions subscriptions;

	@BeforeAll
	void fixture() {
		// From scratch each time, so the suite's one rerun of a failed test starts where the first run did.
		this.jdbc.sql("""
				DELETE FROM app.orders WHERE tenant_id IN ('lv-a', 'lv-b', 'lv-c');
				DELETE FROM app.customers WHERE tenant_id IN ('lv-a', 'lv-b', 'lv-c');
				DELETE FROM app.tenants WHERE id IN ('lv-a', 'lv-b', 'lv-c');
				INSERT INTO app.tenants (id, name) VALUES ('lv-a', 'Live A'), ('lv-b', 'Live B'), ('lv-c', 'Live C');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES
				  ('lv-a', 1, 'Ann', 'north'), ('lv-b', 1, 'Bea', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('lv-a', 1, '2026-05-01 12:00Z', 'paid', 100), ('lv-b', 1, '2026-05-01 12:00Z', 'paid', 7000);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void pushesEachTenantItsOwnNewNumbersAfterARefresh() throws Exception {
		try (SseSubscription a = new SseSubscription(this.port, this.issuer.tenantUser("lv-a"), null, REVENUE);
				SseSubscription b = new SseSubscription(this.port, this.issuer.tenantUser("lv-b"), null, REVENUE)) {
			assertThat(a.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
			assertThat(revenue(a.next(WAIT))).isEqualTo(100);
			assertThat(revenue(b.next(WAIT))).isEqualTo(7000);

			this.jdbc.sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) "
					+ "VALUES ('lv-a', 1, '2026-05-01 13:00Z', 'paid', 50)").update();
			refreshReport("dailyRevenue");

			Event pushed = a.next(WAIT);
			assertThat(revenue(pushed)).isEqualTo(150);
			assertThat(pushed.data().<String>path("$.data.dailyRevenue.freshness.description"))
				.startsWith("Updated ");
			assertThat(revenue(b.next(WAIT))).as("tenant B hears the refresh but keeps its own numbers").isEqualTo(7000);
		}
	}

	@Test
	void tellsSubscribersOnThisInstanceOfARefreshMadeByAnother() throws Exception {
		try (TallyInstance other = TallyInstance.start(Map.of());
				SseSubscription events = new SseSubscription(this.port, this.issuer.tenantUser("lv-c"), null,
						"subscription { reportRefreshed(reports: [\"dailyRevenue\"]) { report refreshedAt } }")) {
			await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-c") == 1);

			other.graphQl().post(this.issuer.admin(), null, "mutation { refreshReport(report: \"dailyRevenue\") { report } }");

			Event event = events.next(WAIT);
			assertThat(event).isNotNull();
			assertThat(event.data().<String>path("$.data.reportRefreshed.report")).isEqualTo("dailyRevenue");
			assertThat(Instant.parse(event.data().<String>path("$.data.reportRefreshed.refreshedAt")))
				.isAfter(Instant.now().minusSeconds(30));
		}
	}

	@Test
	void refusesATenantsThirdStreamUntilOneCloses() throws Exception {
		String token = this.issuer.tenantUser("lv-b");
		String document = "subscription { reportRefreshed { report } }";
		SseSubscription first = new SseSubscription(this.port, token, null, document);
		try (SseSubscription second = new SseSubscription(this.port, token, null, document)) {
			await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-b") == 2);
			try (SseSubscription third = new SseSubscription(this.port, token, null, document)) {
				Event refused = third.next(WAIT);
				assertThat(refused.data().<String>path("$.errors[0].extensions.classification"))
					.isEqualTo("LIMIT_EXCEEDED");
				assertThat(refused.data().<String>path("$.errors[0].message")).contains("lv-b", "2");
			}
			first.close();
			// The server notices a closed stream at its next write, a heartbeat at the latest.
			await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-b") == 1);
			try (SseSubscription again = new SseSubscription(this.port, token, null, document)) {
				await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-b") == 2);
			}
		}
	}

	@Test
	void refusesABadReportSubscriptionLikeAQueryWithoutHoldingASlot() throws Exception {
		String backwards = "subscription { dailyRevenue(from: \"2026-05-02\", to: \"2026-05-01\") { totals { revenueCents } } }";
		for (int attempt = 0; attempt < 3; attempt++) {
			try (SseSubscription refused = new SseSubscription(this.port, this.issuer.tenantUser("lv-a"), null, backwards)) {
				Event event = refused.next(WAIT);
				assertThat(event.data().<String>path("$.errors[0].extensions.classification")).isEqualTo("BAD_REQUEST");
				assertThat(event.data().<String>path("$.errors[0].message")).contains("from");
			}
		}
		// Streams of earlier tests are released at their next heartbeat; refused ones must hold none.
		await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-a") == 0);
	}

	@Test
	void keepsAQuietStreamAliveWithHeartbeatsAndEndsItWhenTheTokenExpires() throws Exception {
		String shortLived = this.issuer.token("brief", Map.of("tenant_id", "lv-c", "scope", "analytics:read"),
				TestIssuer.ISSUER, Instant.now().plusSeconds(4));
		try (SseSubscription events = new SseSubscription(this.port, shortLived, null,
				"subscription { reportRefreshed { report } }")) {
			Event end = events.next(WAIT);

			assertThat(end).isNotNull();
			assertThat(end.name()).isEqualTo("complete");
			assertThat(events.heartbeats()).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void tellsAStreamOfAnotherTenantWhyItIsRefused() throws Exception {
		try (SseSubscription refused = new SseSubscription(this.port, this.issuer.tenantUser("lv-a"), "lv-b", REVENUE)) {
			Event event = refused.next(WAIT);
			assertThat(event.name()).isEqualTo("next");
			assertThat(event.data().<String>path("$.errors[0].extensions.classification")).isEqualTo("FORBIDDEN");
			assertThat(event.data().<String>path("$.errors[0].message")).contains("lv-b");
			assertThat(refused.next(WAIT).name()).isEqualTo("complete");
		}
	}

	@Test
	void tellsAStreamNamingAnUnknownPersistedDocumentSo() throws Exception {
		Map<String, Object> body = Map.of("extensions",
				Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", "0".repeat(64))));
		try (SseSubscription refused = new SseSubscription(this.port, this.issuer.tenantUser("lv-a"), null, body)) {
			assertThat(refused.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
			Event event = refused.next(WAIT);
			assertThat(event.data().<String>path("$.errors[0].message")).isEqualTo("PersistedQueryNotFound");
			assertThat(refused.next(WAIT).name()).isEqualTo("complete");
		}
	}

	@Test
	void refusesAReportStreamOverTheCapBeforeReadingItsFirstAnswer() throws Exception {
		String token = this.issuer.tenantUser("lv-a");
		await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-a") == 0);
		try (SseSubscription first = new SseSubscription(this.port, token, null, REVENUE);
				SseSubscription second = new SseSubscription(this.port, token, null, REVENUE)) {
			assertThat(revenue(first.next(WAIT))).isNotNull();
			assertThat(revenue(second.next(WAIT))).isNotNull();
			// The same document: a subscription's answer is never kept, so the third is refused, not answered.
			try (SseSubscription third = new SseSubscription(this.port, token, null, REVENUE)) {
				Event refused = third.next(WAIT);
				assertThat(refused.data().<Object>path("$.data")).as("no answer before the refusal").isNull();
				assertThat(refused.data().<String>path("$.errors[0].extensions.classification")).isEqualTo("LIMIT_EXCEEDED");
			}
		}
	}

	@Test
	void countsAPartnersStreamsAgainstThePartnersOwnShare() throws Exception {
		String user = this.issuer.tenantUser("lv-c");
		String partner = this.issuer.token("partner", Map.of("tenant_ids", java.util.List.of("lv-c", "lv-a"), "roles",
				java.util.List.of("partner"), "scope", "analytics:read"));
		String document = "subscription { reportRefreshed { report } }";
		await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-c") == 0);
		try (SseSubscription a = new SseSubscription(this.port, user, null, document);
				SseSubscription b = new SseSubscription(this.port, user, null, document)) {
			await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-c") == 2);
			try (SseSubscription partners = new SseSubscription(this.port, partner, "lv-c", document)) {
				await().atMost(WAIT).until(() -> this.subscriptions.openFor("lv-c") == 3);
				try (SseSubscription usersThird = new SseSubscription(this.port, user, null, document)) {
					assertThat(usersThird.next(WAIT).data().<String>path("$.errors[0].extensions.classification"))
						.as("the tenant's users still hold only their own two").isEqualTo("LIMIT_EXCEEDED");
				}
			}
		}
	}

	@Test
	void refusesAStreamWithoutAValidToken() throws Exception {
		try (SseSubscription events = new SseSubscription(this.port, null, null, REVENUE)) {
			assertThat(events.response().statusCode()).isEqualTo(401);
		}
	}

	private static Integer revenue(Event event) {
		assertThat(event).as("an event within " + WAIT).isNotNull();
		return event.data().path("$.data.dailyRevenue.totals.revenueCents");
	}

}
