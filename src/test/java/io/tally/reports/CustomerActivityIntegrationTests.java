package io.tally.reports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tally.support.ConnectionPages;
import io.tally.support.Fixtures;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static io.tally.support.ReportErrors.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * customerActivity over HTTP on a hand-made fixture whose answers were worked out by hand
 * ({@code fixtures/customer-activity.sql}). Tenant ca-a has eight customers whose ids do not follow
 * their rank: two pairs tie on revenue (dense rank 1, 1, 2, 2, 3, 4), one customer's paid order is
 * worth 0 cents, one has only a pending order and one has no order at all. Failed and refunded
 * orders never count; one customer's paid orders were inserted out of time order. A region filter
 * keeps the rank among all the tenant's customers. Tenant ca-b has a customer with the same id who
 * would rank first if it leaked into ca-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerActivityIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	/** By revenue rank, then customer id. */
	private static final List<String> ALL = List.of("2", "4", "1", "6", "8", "3", "5", "7");

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "customer-activity");
		refreshReport("customerActivity");
	}

	@Test
	void listsEveryCustomerByDenseRevenueRankThenIdWithItsPaidOrders() {
		GraphQlTester.Response response = page(null, 500, null);

		response.path("customerActivity.edges[*].node.customerId").entityList(String.class).isEqualTo(ALL);
		response.path("customerActivity.edges[*].node.name")
			.entityList(String.class)
			.containsExactly("Bob", "Ann", "Dee", "Cid", "Hal", "Eve", "Gus", "Fay");
		response.path("customerActivity.edges[*].node.region")
			.entityList(String.class)
			.containsExactly("south", "north", "south", "north", "north", "north", "north", "east");
		response.path("customerActivity.edges[*].node.revenueRank")
			.entityList(Integer.class)
			.containsExactly(1, 1, 2, 2, 3, 4, 4, 4);
		response.path("customerActivity.edges[*].node.paidOrders")
			.entityList(Integer.class)
			.containsExactly(1, 3, 1, 3, 1, 0, 1, 0);
		response.path("customerActivity.edges[*].node.lifetimeRevenueCents")
			.entityList(Long.class)
			.containsExactly(6000L, 6000L, 4000L, 4000L, 100L, 0L, 0L, 0L);
		response.path("customerActivity.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
	}

	@Test
	void givesTheMeanGapBetweenPaidOrdersInDaysAndNullUnderTwoOrders() {
		page(null, 500, null).path("customerActivity.edges[*].node.avgDaysBetweenOrders")
			.entityList(Double.class)
			.containsExactly(null, 3.75, null, 0.35, null, null, null, null);
	}

	@Test
	void givesTheFirstAndLastPaidOrderTimesAndNullWithoutPaidOrders() {
		GraphQlTester.Response response = page(null, 500, null);

		assertThat(instants(response, "firstOrderAt")).containsExactly(Instant.parse("2026-02-01T00:00:00Z"),
				Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
				Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), null,
				Instant.parse("2026-01-05T00:00:00Z"), null);
		assertThat(instants(response, "lastOrderAt")).containsExactly(Instant.parse("2026-02-01T00:00:00Z"),
				Instant.parse("2026-01-08T12:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
				Instant.parse("2026-01-01T17:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), null,
				Instant.parse("2026-01-05T00:00:00Z"), null);
	}

	@Test
	void walksAllCustomersInSmallPagesWithoutGapsOrRepeats() {
		List<Map<String, Object>> all = nodes(page(null, 500, null));

		for (int first = 1; first <= 3; first++) {
			ConnectionPages pages = walk(null, first);

			assertThat(pages.nodes()).as("first: %d", first).isEqualTo(all);
			assertThat(pages.nodes()).extracting(node -> node.get("customerId")).isEqualTo(ALL);
			assertThat(pages.count()).as("first: %d", first).isEqualTo((ALL.size() + first - 1) / first);
		}
	}

	@Test
	void walksOneRegionInSmallPagesKeepingTheRankAmongAllCustomers() {
		List<Map<String, Object>> north = nodes(page("north", 500, null));
		ConnectionPages walked = walk("north", 2);

		assertThat(north).extracting(node -> node.get("customerId")).containsExactly("4", "6", "8", "3", "5");
		assertThat(north).extracting(node -> node.get("revenueRank")).containsExactly(1, 2, 3, 4, 4);
		assertThat(walked.nodes()).isEqualTo(north);
		assertThat(walked.count()).isEqualTo(3);
		GraphQlTester.Response east = page("east", 2, null);
		east.path("customerActivity.edges[*].node.customerId").entityList(String.class).containsExactly("7");
		east.path("customerActivity.edges[*].node.revenueRank").entityList(Integer.class).containsExactly(4);
		east.path("customerActivity.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
	}

	@Test
	void answersNoCustomersNotAnErrorForAnUnknownRegion() {
		GraphQlTester.Response response = page("atlantis", 2, null);

		response.path("customerActivity.edges").entityList(Object.class).hasSize(0);
		response.path("customerActivity.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
		response.path("customerActivity.pageInfo.endCursor").valueIsNull();
	}

	@Test
	void neverShowsAnotherTenantsCustomersOrOrders() {
		GraphQlTester.Response other = graphQlTester(this.issuer.tenantUser("ca-b")).documentName("customerActivity")
			.variable("first", 500)
			.execute();
		GraphQlTester.Response own = page(null, 500, null);

		other.path("customerActivity.edges[*].node.name").entityList(String.class).containsExactly("Zed");
		other.path("customerActivity.edges[*].node.lifetimeRevenueCents")
			.entityList(Long.class)
			.containsExactly(99999999L);
		assertThat(own.returnResponse().toMap().toString()).doesNotContain("Zed").doesNotContain("99999999");
	}

	@Test
	void acceptsFirst500AndRejectsFirst501NamingTheArgument() {
		page(null, 500, null).path("customerActivity.edges").entityList(Object.class).hasSize(8);
		assertBadRequest(page(null, 501, null), "'first'", "501");
	}

	@Test
	void rejectsACursorThisConnectionDidNotReturn() {
		String forged = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("tally:abc".getBytes(StandardCharsets.UTF_8));

		for (String after : List.of("abc", forged)) {
			GraphQlTester.Response response = page(null, 2, after);

			assertBadRequest(response, "'after'");
			assertThat(response.returnResponse().toMap().toString()).as(after).doesNotContain("Exception");
		}
	}

	private GraphQlTester.Response page(String region, int first, String after) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("region", region);
		variables.put("first", first);
		variables.put("after", after);
		return customerActivity(variables);
	}

	private GraphQlTester.Response customerActivity(Map<String, Object> variables) {
		return graphQlTester(this.issuer.tenantUser("ca-a")).documentName("customerActivity")
			.variables(variables)
			.execute();
	}

	private ConnectionPages walk(String region, int first) {
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("region", region);
		return ConnectionPages.walk(this::customerActivity, "customerActivity", arguments, first);
	}

	private static List<Map<String, Object>> nodes(GraphQlTester.Response response) {
		return response.path("customerActivity.edges[*].node").entityList(MAP).get();
	}

	private static List<Instant> instants(GraphQlTester.Response response, String field) {
		return response.path("customerActivity.edges[*].node." + field)
			.entityList(String.class)
			.get()
			.stream()
			.map(value -> (value != null) ? OffsetDateTime.parse(value).toInstant() : null)
			.toList();
	}

}
