package io.tally.reports;

import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * planUsage over HTTP on a hand-made fixture whose answers were worked out by hand. Tenant pu-a has
 * a plan whose active subscriptions have several usage records (each subscription's price counts
 * once), subscriptions priced differently from their plan, cancelled and trialing subscriptions
 * with usage that must not count, a plan with no active subscription and one with none at all,
 * and two plans of equal revenue whose ids (9, 10) sort differently as numbers and as text.
 * Tenant pu-b reuses the same plan and subscription ids with amounts that must never show up for pu-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanUsageIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			{ planUsage { plans { planId planName activeSubscriptions monthlyRevenueCents totalApiCalls } } }""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('pu-a', 'Plan shop', 'Europe/Berlin'), ('pu-b', 'Other plan shop', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'pu-a', 'Customer', 'north'), (1, 'pu-b', 'Other tenant customer', 'north');
				INSERT INTO app.plans (id, tenant_id, name, monthly_price_cents) VALUES
				  (2, 'pu-a', 'Pro', 5000),
				  (3, 'pu-a', 'Enterprise', 20000), -- only trialing and cancelled subscriptions
				  (4, 'pu-a', 'Legacy', 700),       -- no subscription at all
				  (9, 'pu-a', 'Basic', 1000),
				  (10, 'pu-a', 'Team', 1200),
				  (2, 'pu-b', 'Other tenant plan', 5000);
				INSERT INTO app.subscriptions (id, tenant_id, plan_id, customer_id, status, monthly_price_cents, started_at, cancelled_at) VALUES
				  (1, 'pu-a', 2, 1, 'active',    4500, '2026-01-01Z', NULL), -- discounted: the subscription's price counts
				  (2, 'pu-a', 2, 1, 'active',    5000, '2026-01-01Z', NULL),
				  (3, 'pu-a', 2, 1, 'cancelled', 5000, '2026-01-01Z', '2026-02-01Z'),
				  (4, 'pu-a', 9, 1, 'active',    1000, '2026-01-01Z', NULL),
				  (5, 'pu-a', 3, 1, 'trialing', 20000, '2026-01-01Z', NULL),
				  (6, 'pu-a', 10, 1, 'active',   1000, '2026-01-01Z', NULL), -- Team at Basic's price: a revenue tie
				  (1, 'pu-b', 2, 1, 'active',   99999, '2026-01-01Z', NULL);
				INSERT INTO app.usage_records (tenant_id, subscription_id, recorded_at, api_calls) VALUES
				  ('pu-a', 1, '2026-03-01Z', 100), ('pu-a', 1, '2026-03-02Z', 200), ('pu-a', 1, '2026-03-03Z', 300),
				  ('pu-a', 2, '2026-03-01Z', 50),
				  ('pu-a', 3, '2026-03-01Z', 1000),  -- cancelled: not counted
				  ('pu-a', 5, '2026-03-01Z', 7777),  -- trialing: not counted
				  ('pu-a', 6, '2026-03-01Z', 10), ('pu-a', 6, '2026-03-02Z', 0),
				  ('pu-b', 1, '2026-03-01Z', 5);
				-- Pro (2):        active 1 and 2 -> 2 subscriptions, 4500 + 5000 = 9500 (not 3 x 4500 + 5000),
				--                 calls 100 + 200 + 300 + 50 = 650
				-- Basic (9):      active 4 -> 1, 1000, no usage -> 0 calls
				-- Team (10):      active 6 -> 1, 1000, 10 + 0 = 10 calls
				-- Enterprise (3): nothing active -> 0, 0, 0;  Legacy (4): no subscription -> 0, 0, 0
				-- Order: 9500; then 1000 twice, by planId 9 < 10 (as numbers); then 0 twice, by planId 3 < 4
				""").update();
		refreshReport("planUsage");
	}

	@Test
	void countsEachActiveSubscriptionOnceHoweverManyUsageRecordsItHas() {
		Response response = graphQl().post(this.issuer.tenantUser("pu-a"), null, QUERY);

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<Map<String, Object>>path("$.data.planUsage.plans[0]")).containsExactlyInAnyOrderEntriesOf(
				Map.of("planId", "2", "planName", "Pro", "activeSubscriptions", 2, "monthlyRevenueCents", 9500,
						"totalApiCalls", 650));
	}

	@Test
	void listsEveryPlanByRevenueDescendingThenNumericPlanIdWithZerosForPlansWithoutActiveSubscriptions() {
		Response response = graphQl().post(this.issuer.tenantUser("pu-a"), null, QUERY);

		assertThat(response.<List<Object>>path("$.data.planUsage.plans[*].planId")).containsExactly("2", "9", "10", "3",
				"4");
		assertThat(response.<List<Object>>path("$.data.planUsage.plans[*].planName")).containsExactly("Pro", "Basic",
				"Team", "Enterprise", "Legacy");
		assertThat(response.<List<Integer>>path("$.data.planUsage.plans[*].activeSubscriptions"))
			.containsExactly(2, 1, 1, 0, 0);
		assertThat(response.<List<Integer>>path("$.data.planUsage.plans[*].monthlyRevenueCents"))
			.containsExactly(9500, 1000, 1000, 0, 0);
		assertThat(response.<List<Integer>>path("$.data.planUsage.plans[*].totalApiCalls"))
			.containsExactly(650, 0, 10, 0, 0);
	}

	@Test
	void neverShowsAnotherTenantsPlansSubscriptionsOrUsage() {
		Response other = graphQl().post(this.issuer.tenantUser("pu-b"), null, QUERY);

		assertThat(other.<List<Map<String, Object>>>path("$.data.planUsage.plans")).singleElement()
			.isEqualTo(Map.of("planId", "2", "planName", "Other tenant plan", "activeSubscriptions", 1,
					"monthlyRevenueCents", 99999, "totalApiCalls", 5));
		assertThat(graphQl().post(this.issuer.tenantUser("pu-a"), null, QUERY).body()).doesNotContain("99999")
			.doesNotContain("Other tenant plan");
	}

	@Test
	void refusesAnotherTenantPickedByHeaderAndReadsNothing() {
		Response response = graphQl().post(this.issuer.tenantUser("pu-a"), "pu-b", QUERY);

		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(response.<Object>path("$.data")).isNull();
		assertThat(response.body()).doesNotContain("99999");
	}

}
