package io.tally.cache;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory budget over HTTP with a budget of 1 MB, about fifty 30-day answers (their rows and
 * the kept answer together): many tenants asking many distinct ranges get every number right
 * while the budget holds, and a tenant flooding distinct ranges leaves a quiet tenant's hot
 * answers cached. Tenants are this run's own, so a rerun starts clean.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "tally.cache.max-bytes=256KB")
class CacheBudgetIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = """
			query ($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) {
			    days { day revenueCents }
			    totals { paidOrders revenueCents }
			    freshness { servedFrom }
			} }""";

	private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

	private static final int DAYS = 90;

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final List<String> tenants = new ArrayList<>();

	private final List<String> tokens = new ArrayList<>();

	@Autowired
	CacheBudget budget;

	@Autowired
	MeterRegistry meters;

	@BeforeAll
	void fixture() {
		for (int i = 1; i <= 8; i++) {
			String tenant = "mb-" + this.run + "-" + i;
			this.tenants.add(tenant);
			this.tokens.add(this.issuer.tenantUser(tenant));
			this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES (:tenant, :tenant)").param("tenant", tenant).update();
			this.jdbc.sql("INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, :tenant, 'Customer', 'north')")
				.param("tenant", tenant)
				.update();
			// One paid order a day; tenant i's order of day d is 1000 i + d cents.
			this.jdbc.sql("""
					INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
					SELECT :tenant, 1, timestamptz '2026-01-01 12:00:00+00' + d * interval '1 day', 'paid', :base + d
					FROM generate_series(0, :last) AS d
					""").param("tenant", tenant).param("base", 1000 * i).param("last", DAYS - 1).update();
		}
		refreshReport("dailyRevenue");
	}

	@Test
	void manyTenantsAskingManyDistinctRangesGetEveryNumberRightWhileTheBudgetHolds() {
		GraphQlHttp http = graphQl();
		double evictedBefore = evictions("share") + evictions("size");
		for (int round = 0; round < 2; round++) {
			for (int start = 0; start < 30; start++) {
				for (int i = 1; i <= 6; i++) {
					assertRight(http, i, start, 30);
				}
			}
			assertThat(this.budget.usedBytes()).as("weighed bytes after round %d", round)
				.isLessThanOrEqualTo(this.budget.maxBytes());
		}

		assertThat(evictions("share") + evictions("size") - evictedBefore).as("entries the budget evicted").isPositive();
		double cached = gauge("tally.cache.bytes", "reports") + gauge("tally.cache.bytes", "answers");
		assertThat(cached).isPositive().isLessThanOrEqualTo(this.budget.maxBytes());
	}

	@Test
	void aQuietTenantsHotAnswersSurviveALoudTenantsFlood() {
		GraphQlHttp http = graphQl();
		for (int start = 0; start < 3; start++) {
			assertRight(http, 7, start, 7);
		}

		for (int start = 0; start < 60; start++) {
			for (int length = 20; length <= 30; length += 10) {
				assertRight(http, 8, start, length);
			}
			for (int start7 = 0; start7 < 3; start7++) {
				assertThat(assertRight(http, 7, start7, 7)).as("quiet tenant's answer %d while the flood runs", start7)
					.isEqualTo("CACHE");
			}
		}

		assertThat(this.budget.usedBytes()).isLessThanOrEqualTo(this.budget.maxBytes());
	}

	/** Asks tenant i for {@code length} days from day {@code start}, checks the numbers, returns where they came from. */
	private String assertRight(GraphQlHttp http, int i, int start, int length) {
		LocalDate from = FIRST_DAY.plusDays(start);
		LocalDate to = from.plusDays(length - 1);
		Response response = http.post(this.tokens.get(i - 1), null, REVENUE,
				Map.of("from", from.toString(), "to", to.toString()));
		assertThat(response.errorMessage()).isNull();
		long expected = 0;
		for (int d = start; d < start + length; d++) {
			expected += 1000L * i + d;
		}
		assertThat(response.<Number>path("$.data.dailyRevenue.totals.revenueCents").longValue())
			.as("tenant %d, %s to %s", i, from, to)
			.isEqualTo(expected);
		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.paidOrders")).isEqualTo(length);
		assertThat(response.<Number>path("$.data.dailyRevenue.days[0].revenueCents").longValue())
			.isEqualTo(1000L * i + start);
		assertThat(response.<String>path("$.data.dailyRevenue.days[-1].day")).isEqualTo(to.toString());
		return response.path("$.data.dailyRevenue.freshness.servedFrom");
	}

	private double evictions(String cause) {
		return this.meters.find("tally.cache.budget.evictions").tag("cause", cause).counters().stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private double gauge(String name, String cache) {
		return this.meters.get(name).tag("cache", cache).gauge().value();
	}

}
