package io.tally.reports;

import java.util.List;
import java.util.Map;

import io.tally.support.Fixtures;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static io.tally.support.ReportErrors.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * planUsage over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/plan-usage.sql}). Tenant pu-a has a plan whose active subscriptions have several
 * usage records (each subscription's price counts once), subscriptions priced differently from
 * their plan, cancelled and trialing subscriptions with usage that must not count, a plan with no
 * active subscription and one with none at all, and two plans of equal revenue whose ids (9, 10)
 * sort differently as numbers and as text. Tenant pu-b reuses the same plan and subscription ids
 * with amounts that must never show up for pu-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanUsageIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "plan-usage");
		refreshReport("planUsage");
	}

	@Test
	void countsEachActiveSubscriptionOnceHoweverManyUsageRecordsItHas() {
		planUsage("pu-a", null).path("planUsage.plans[0]")
			.entity(MAP)
			.isEqualTo(Map.of("planId", "2", "planName", "Pro", "activeSubscriptions", 2, "monthlyRevenueCents", 9500,
					"totalApiCalls", 650));
	}

	@Test
	void listsEveryPlanByRevenueDescendingThenNumericPlanIdWithZerosForPlansWithoutActiveSubscriptions() {
		GraphQlTester.Response response = planUsage("pu-a", null);

		response.path("planUsage.plans[*].planId").entityList(String.class).containsExactly("2", "9", "10", "3", "4");
		response.path("planUsage.plans[*].planName")
			.entityList(String.class)
			.containsExactly("Pro", "Basic", "Team", "Enterprise", "Legacy");
		response.path("planUsage.plans[*].activeSubscriptions").entityList(Integer.class).containsExactly(2, 1, 1, 0, 0);
		response.path("planUsage.plans[*].monthlyRevenueCents")
			.entityList(Long.class)
			.containsExactly(9500L, 1000L, 1000L, 0L, 0L);
		response.path("planUsage.plans[*].totalApiCalls").entityList(Long.class).containsExactly(650L, 0L, 10L, 0L, 0L);
	}

	@Test
	void neverShowsAnotherTenantsPlansSubscriptionsOrUsage() {
		planUsage("pu-b", null).path("planUsage.plans")
			.entityList(MAP)
			.singleElement()
			.isEqualTo(Map.of("planId", "2", "planName", "Other tenant plan", "activeSubscriptions", 1,
					"monthlyRevenueCents", 99999, "totalApiCalls", 5));
		assertThat(planUsage("pu-a", null).returnResponse().toMap().toString()).doesNotContain("99999")
			.doesNotContain("Other tenant plan");
	}

	@Test
	void refusesAnotherTenantPickedByHeaderAndReadsNothing() {
		GraphQlTester.Response response = planUsage("pu-a", "pu-b");

		assertRefused(response, "FORBIDDEN");
		assertThat(response.returnResponse().toMap().toString()).doesNotContain("99999");
	}

	private GraphQlTester.Response planUsage(String tenant, String tenantHeader) {
		return graphQlTester(this.issuer.tenantUser(tenant), tenantHeader).documentName("planUsage").execute();
	}

}
