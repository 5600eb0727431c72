package io.tally.query;

import java.util.List;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportSection;
import io.tally.graphql.StatementCounter;
import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A miss reads only the sections the selection touches, and sends the transaction's settings and
 * those queries to PostgreSQL as one statement batch: the SQL the application hands to the
 * driver is recorded and compared with the report's SQL files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(StatementCounter.class)
class SelectedSectionsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	StatementCounter statements;

	@Autowired
	ReportCatalog catalog;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('ss-a', 'Sections A');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'ss-a', 'A', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('ss-a', 1, '2026-07-01 10:00Z', 'paid', 1200), ('ss-a', 1, '2026-07-02 10:00Z', 'failed', 300);
				""").update();
		refreshReport("dailyRevenue");
		refreshReport("customerActivity");
	}

	@Test
	void onlyTheSelectedSectionsAreReadInOneBatchWithTheSettings() {
		GraphQlHttp http = graphQl();
		String token = this.issuer.tenantUser("ss-a");

		List<String> daysOnly = sent(() -> assertThat(http.post(token, null,
				"{ dailyRevenue(from: \"2026-07-01\", to: \"2026-07-02\") { days { day revenueCents } } }")
			.<List<Integer>>path("$.data.dailyRevenue.days[*].revenueCents")).containsExactly(1200, 0));
		assertThat(daysOnly).singleElement().satisfies(batch -> {
			assertThat(batch).contains("set_config('app.tenant_id'").contains(body("dailyRevenue", "days"));
			assertThat(batch).doesNotContain(body("dailyRevenue", "totals"));
		});

		List<String> totalsOnly = sent(() -> assertThat(http.post(token, null,
				"{ dailyRevenue(from: \"2026-07-01\", to: \"2026-07-02\") { totals { revenueCents ordersCreated } } }")
			.<Integer>path("$.data.dailyRevenue.totals.ordersCreated")).isEqualTo(2));
		assertThat(totalsOnly).singleElement().satisfies(batch -> {
			assertThat(batch).contains(body("dailyRevenue", "totals")).doesNotContain(body("dailyRevenue", "days"));
		});
	}

	@Test
	void freshnessAloneReadsNothingAndPageInfoAloneReadsTheEdges() {
		GraphQlHttp http = graphQl();
		String token = this.issuer.tenantUser("ss-a");
		assertThat(sent(() -> assertThat(http.post(token, null,
				"{ dailyRevenue(from: \"2026-06-01\", to: \"2026-06-02\") { freshness { stale } } }")
			.<Boolean>path("$.data.dailyRevenue.freshness.stale")).isFalse())).isEmpty();
		assertThat(sent(() -> assertThat(http.post(token, null, "{ customerActivity { pageInfo { hasNextPage } } }")
			.<Boolean>path("$.data.customerActivity.pageInfo.hasNextPage")).isFalse()))
			.singleElement()
			.satisfies(batch -> assertThat(batch).contains(body("customerActivity", "edges")));
	}

	/** The statements touching a tenant that the action sent, settings and reports. */
	private List<String> sent(Runnable action) {
		int before = this.statements.statements().size();
		action.run();
		List<String> all = this.statements.statements();
		return all.subList(before, all.size()).stream().filter(sql -> sql.contains("app.tenant_id")).toList();
	}

	/** The longest line of a section's SQL that no other section of the report has. */
	private String body(String report, String field) {
		List<ReportSection> sections = this.catalog.find(report).orElseThrow().sections();
		java.util.Set<String> others = sections.stream()
			.filter(s -> !s.field().equals(field))
			.flatMap(s -> s.sql().lines().map(String::strip))
			.collect(java.util.stream.Collectors.toSet());
		return sections.stream()
			.filter(s -> s.field().equals(field))
			.flatMap(s -> s.sql().lines().map(String::strip))
			.filter(line -> !others.contains(line) && !line.contains(":") && !line.startsWith("--"))
			.max(java.util.Comparator.comparingInt(String::length))
			.orElseThrow();
	}

}
