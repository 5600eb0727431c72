package io.tally.reports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * customerActivity over HTTP on a hand-made fixture whose answers were worked out by hand. Tenant
 * ca-a has eight customers whose ids do not follow their rank: two pairs tie on revenue (dense rank
 * 1, 1, 2, 2, 3, 4), one customer's paid order is worth 0 cents, one has only a pending order and one
 * has no order at all. Failed and refunded orders never count; one customer's paid orders were
 * inserted out of time order. A region filter keeps the rank among all the tenant's customers.
 * Tenant ca-b has a customer with the same id who would rank first if it leaked into ca-a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerActivityIntegrationTests extends IntegrationTestSupport {

	private static final String QUERY = """
			query($region: String, $first: Int, $after: String) {
			  customerActivity(region: $region, first: $first, after: $after) {
			    edges { cursor node { customerId name region paidOrders lifetimeRevenueCents firstOrderAt lastOrderAt
			                          avgDaysBetweenOrders revenueRank } }
			    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
			  }
			}""";

	/** By revenue rank, then customer id. */
	private static final List<String> ALL = List.of("2", "4", "1", "6", "8", "3", "5", "7");

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('ca-a', 'Paris shop', 'Europe/Paris'), ('ca-b', 'Other shop', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'ca-a', 'Dee', 'south'), (2, 'ca-a', 'Bob', 'south'), (3, 'ca-a', 'Eve', 'north'),
				  (4, 'ca-a', 'Ann', 'north'), (5, 'ca-a', 'Gus', 'north'), (6, 'ca-a', 'Cid', 'north'),
				  (7, 'ca-a', 'Fay', 'east'),  (8, 'ca-a', 'Hal', 'north'),
				  (1, 'ca-b', 'Zed', 'north');
				INSERT INTO app.orders (id, tenant_id, customer_id, created_at, status, total_cents) VALUES
				  (1,  'ca-a', 4, '2026-01-01 00:00Z', 'paid',     1000),
				  (2,  'ca-a', 4, '2026-01-02 00:00Z', 'failed',  99999),
				  (3,  'ca-a', 4, '2026-01-03 00:00Z', 'paid',     2000),
				  (4,  'ca-a', 4, '2026-01-05 00:00Z', 'refunded', 5000),
				  (5,  'ca-a', 4, '2026-01-08 12:00Z', 'paid',     3000),
				  (6,  'ca-a', 2, '2026-02-01 00:00Z', 'paid',     6000),
				  (7,  'ca-a', 6, '2026-01-01 17:00Z', 'paid',     1000), -- inserted before Cid's earlier orders
				  (8,  'ca-a', 6, '2026-01-01 08:00Z', 'paid',     1500),
				  (9,  'ca-a', 6, '2026-01-01 00:00Z', 'paid',     1500),
				  (10, 'ca-a', 1, '2026-03-01 00:00Z', 'paid',     4000),
				  (11, 'ca-a', 3, '2026-01-10 00:00Z', 'pending',   700),
				  (12, 'ca-a', 5, '2026-01-05 00:00Z', 'paid',        0),
				  (13, 'ca-a', 8, '2026-01-02 00:00Z', 'paid',      100),
				  (1,  'ca-b', 1, '2026-01-01 00:00Z', 'paid', 99999999);
				-- id name region paid revenue first .. last              avg days between      rank
				--  2 Bob  south  1    6000    Feb 1                      null (one order)      1
				--  4 Ann  north  3    6000    Jan 1 .. Jan 8 12:00       (2 + 5.5) / 2 = 3.75  1
				--  1 Dee  south  1    4000    Mar 1                      null                  2
				--  6 Cid  north  3    4000    Jan 1 00:00 .. 17:00       8 h, 9 h: 8.5 / 24 = 0.354 -> 0.35  2
				--  8 Hal  north  1     100    Jan 2                      null                  3
				--  3 Eve  north  0       0    null (pending only)        null                  4
				--  5 Gus  north  1       0    Jan 5 (a 0-cent order)     null                  4
				--  7 Fay  east   0       0    null (no order)            null                  4
				-- north: 4, 6, 8, 3, 5 with ranks 1, 2, 3, 4, 4; east: 7 with rank 4 (not re-ranked to 1)
				""").update();
		refreshReport("customerActivity");
	}

	@Test
	void listsEveryCustomerByDenseRevenueRankThenIdWithItsPaidOrders() {
		Response response = page(null, 500, null);

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Object>>path("$.data.customerActivity.edges[*].node.customerId")).isEqualTo(ALL);
		assertThat(response.<List<Object>>path("$.data.customerActivity.edges[*].node.name"))
			.containsExactly("Bob", "Ann", "Dee", "Cid", "Hal", "Eve", "Gus", "Fay");
		assertThat(response.<List<Object>>path("$.data.customerActivity.edges[*].node.region"))
			.containsExactly("south", "north", "south", "north", "north", "north", "north", "east");
		assertThat(response.<List<Integer>>path("$.data.customerActivity.edges[*].node.revenueRank"))
			.containsExactly(1, 1, 2, 2, 3, 4, 4, 4);
		assertThat(response.<List<Integer>>path("$.data.customerActivity.edges[*].node.paidOrders"))
			.containsExactly(1, 3, 1, 3, 1, 0, 1, 0);
		assertThat(response.<List<Integer>>path("$.data.customerActivity.edges[*].node.lifetimeRevenueCents"))
			.containsExactly(6000, 6000, 4000, 4000, 100, 0, 0, 0);
		assertThat(response.<Boolean>path("$.data.customerActivity.pageInfo.hasNextPage")).isFalse();
	}

	@Test
	void givesTheMeanGapBetweenPaidOrdersInDaysAndNullUnderTwoOrders() {
		Response response = page(null, 500, null);

		assertThat(response.<List<Object>>path("$.data.customerActivity.edges[*].node.avgDaysBetweenOrders"))
			.containsExactly(null, 3.75, null, 0.35, null, null, null, null);
	}

	@Test
	void givesTheFirstAndLastPaidOrderTimesAndNullWithoutPaidOrders() {
		Response response = page(null, 500, null);

		assertThat(instants(response.path("$.data.customerActivity.edges[*].node.firstOrderAt"))).containsExactly(
				Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"),
				Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"),
				Instant.parse("2026-01-02T00:00:00Z"), null, Instant.parse("2026-01-05T00:00:00Z"), null);
		assertThat(instants(response.path("$.data.customerActivity.edges[*].node.lastOrderAt"))).containsExactly(
				Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-01-08T12:00:00Z"),
				Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-01-01T17:00:00Z"),
				Instant.parse("2026-01-02T00:00:00Z"), null, Instant.parse("2026-01-05T00:00:00Z"), null);
	}

	@Test
	void walksAllCustomersInSmallPagesWithoutGapsOrRepeats() {
		List<Map<String, Object>> all = page(null, 500, null).path("$.data.customerActivity.edges[*].node");

		for (int first = 1; first <= 3; first++) {
			Pages pages = walk(null, first);

			assertThat(pages.nodes()).as("first: %d", first).isEqualTo(all);
			assertThat(pages.nodes()).extracting(node -> node.get("customerId")).isEqualTo(ALL);
			assertThat(pages.count()).as("first: %d", first).isEqualTo((ALL.size() + first - 1) / first);
		}
	}

	@Test
	void walksOneRegionInSmallPagesKeepingTheRankAmongAllCustomers() {
		List<Map<String, Object>> north = page("north", 500, null).path("$.data.customerActivity.edges[*].node");
		Pages walked = walk("north", 2);

		assertThat(north).extracting(node -> node.get("customerId")).containsExactly("4", "6", "8", "3", "5");
		assertThat(north).extracting(node -> node.get("revenueRank")).containsExactly(1, 2, 3, 4, 4);
		assertThat(walked.nodes()).isEqualTo(north);
		assertThat(walked.count()).isEqualTo(3);
		Response east = page("east", 2, null);
		assertThat(east.<List<Object>>path("$.data.customerActivity.edges[*].node.customerId")).containsExactly("7");
		assertThat(east.<List<Integer>>path("$.data.customerActivity.edges[*].node.revenueRank")).containsExactly(4);
		assertThat(east.<Boolean>path("$.data.customerActivity.pageInfo.hasNextPage")).isFalse();
	}

	@Test
	void answersNoCustomersNotAnErrorForAnUnknownRegion() {
		Response response = page("atlantis", 2, null);

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<List<Object>>path("$.data.customerActivity.edges")).isEmpty();
		assertThat(response.<Boolean>path("$.data.customerActivity.pageInfo.hasNextPage")).isFalse();
		assertThat(response.<Object>path("$.data.customerActivity.pageInfo.endCursor")).isNull();
	}

	@Test
	void neverShowsAnotherTenantsCustomersOrOrders() {
		Response other = graphQl().post(this.issuer.tenantUser("ca-b"), null, QUERY, Map.of("first", 500));
		Response own = page(null, 500, null);

		assertThat(other.<List<Object>>path("$.data.customerActivity.edges[*].node.name")).containsExactly("Zed");
		assertThat(other.<List<Integer>>path("$.data.customerActivity.edges[*].node.lifetimeRevenueCents"))
			.containsExactly(99999999);
		assertThat(own.body()).doesNotContain("Zed").doesNotContain("99999999");
	}

	@Test
	void acceptsFirst500AndRejectsFirst501NamingTheArgument() {
		Response ok = page(null, 500, null);
		Response tooMany = page(null, 501, null);

		assertThat(ok.<Object>path("$.errors")).isNull();
		assertThat(ok.<List<Object>>path("$.data.customerActivity.edges")).hasSize(8);
		tooMany.assertBadRequest("'first'", "501");
	}

	@Test
	void rejectsACursorThisConnectionDidNotReturn() {
		String forged = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("tally:abc".getBytes(StandardCharsets.UTF_8));

		for (String after : List.of("abc", forged)) {
			Response response = page(null, 2, after);

			assertThat(response.errorType()).as(after).isEqualTo("BAD_REQUEST");
			assertThat(response.errorMessage()).as(after).contains("'after'");
			assertThat(response.<Object>path("$.data")).as(after).isNull();
			assertThat(response.body()).as(after).doesNotContain("Exception");
		}
	}

	private Response page(String region, int first, String after) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("region", region);
		variables.put("first", first);
		variables.put("after", after);
		return graphQl().post(this.issuer.tenantUser("ca-a"), null, QUERY, variables);
	}

	/** Follows endCursor while hasNextPage, collecting every page's nodes. */
	private Pages walk(String region, int first) {
		List<Map<String, Object>> nodes = new ArrayList<>();
		String after = null;
		int count = 0;
		boolean hasNextPage;
		do {
			Response page = page(region, first, after);
			assertThat(page.<Object>path("$.errors")).as(page.body()).isNull();
			List<Map<String, Object>> pageNodes = page.path("$.data.customerActivity.edges[*].node");
			assertThat(pageNodes).hasSizeBetween(1, first);
			assertThat(page.<Boolean>path("$.data.customerActivity.pageInfo.hasPreviousPage")).isEqualTo(after != null);
			nodes.addAll(pageNodes);
			hasNextPage = page.path("$.data.customerActivity.pageInfo.hasNextPage");
			after = page.path("$.data.customerActivity.pageInfo.endCursor");
			count++;
		}
		while (hasNextPage && count < 50);
		return new Pages(nodes, count);
	}

	private static List<Instant> instants(List<String> values) {
		return values.stream().map(value -> (value != null) ? OffsetDateTime.parse(value).toInstant() : null).toList();
	}

	private record Pages(List<Map<String, Object>> nodes, int count) {
	}

}
