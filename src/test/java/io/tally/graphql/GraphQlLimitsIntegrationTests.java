package io.tally.graphql;

import io.tally.catalog.ReportCatalog;
import io.tally.freshness.ReportRefresh;
import io.tally.support.GraphQlHttp.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each GraphQL limit, attacked over HTTP: a request over any limit is refused with no data and
 * without a single SQL statement (a 400, as GraphQL over HTTP has it for a request that never
 * executes), and a request exactly at every limit is answered. The limits
 * here: depth 3, complexity 6, 300 characters, 43 tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphQlLimitsIntegrationTests extends LimitedGraphQlTestSupport {

	private static final String REVENUE = """
			dailyRevenue(from: "2026-04-01", to: "2026-04-01", region: "north") { totals { revenueCents } }""";

	/** Depth 3, complexity 6 (two aliases of three fields), 43 tokens, 201 characters. */
	private static final String AT_EVERY_LIMIT = "{ a: " + REVENUE + " b: " + REVENUE + " }";

	@Autowired
	StatementCounter statements;

	@Autowired
	ReportCatalog catalog;

	@Autowired
	ReportRefresh refresh;

	private String token;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('lim-a', 'Limits A');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'lim-a', 'A', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				VALUES ('lim-a', 1, '2026-04-01 12:00Z', 'paid', 4200);
				""").update();
		this.refresh.refreshNow(this.catalog.find("dailyRevenue").orElseThrow());
		this.token = this.issuer.tenantUser("lim-a");
	}

	@Test
	void answersARequestExactlyAtEveryLimit() {
		int before = this.statements.count();

		Response response = graphQl().post(this.token, null, padded(AT_EVERY_LIMIT, 300));

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<Integer>path("$.data.a.totals.revenueCents")).isEqualTo(4200);
		assertThat(response.<Integer>path("$.data.b.totals.revenueCents")).isEqualTo(4200);
		assertThat(this.statements.count()).as("the counter sees the reads").isGreaterThan(before);
	}

	@Test
	void refusesADocumentNestedDeeperThanTheLimit() {
		Response response = refused("{ jobProfit { edges { node { jobId } } } }");

		assertThat(response.errorMessage()).contains("depth");
	}

	@Test
	void refusesTooManyFieldsCountingEachAlias() {
		Response single = graphQl().post(this.token, null, "{ dailyRevenue { totals { revenueCents } } }");
		assertThat(single.<Object>path("$.errors")).isNull();

		Response response = refused("{ a: dailyRevenue { totals { revenueCents } } b: dailyRevenue { totals { revenueCents } } "
				+ "c: dailyRevenue { totals { revenueCents } } }");

		assertThat(response.errorMessage()).contains("complexity");
	}

	@Test
	void refusesADocumentLongerThanTheLimit() {
		Response response = refused(padded(AT_EVERY_LIMIT, 301));

		assertThat(response.errorMessage()).contains("characters");
	}

	@Test
	void refusesADocumentWithMoreTokensThanTheLimit() {
		Response response = refused("query Q " + AT_EVERY_LIMIT);

		assertThat(response.errorMessage()).contains("tokens");
	}

	@Test
	void refusesABatchOfRequestsInOneBody() {
		int before = this.statements.count();
		String one = "{\"query\":\"{ dailyRevenue { totals { revenueCents } } }\"}";

		Response response = graphQl().postRaw(this.token, null, "[" + one + "," + one + "]");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorMessage()).contains("batches are not accepted");
		assertThat(this.statements.count()).isEqualTo(before);
	}

	@Test
	void refusesABodyThatIsNotOneJsonObject() {
		int before = this.statements.count();

		for (String body : new String[] { "null", "\"{ dailyRevenue { totals { revenueCents } } }\"", "42", "" }) {
			Response response = graphQl().postRaw(this.token, null, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.errorMessage()).as(body).contains("one JSON object");
		}
		assertThat(this.statements.count()).isEqualTo(before);
	}

	@Test
	void refusesAnOversizedBodyBeforeReadingIt() {
		String body = "{\"query\": \"{ dailyRevenue { totals { revenueCents } } }\", \"variables\": {\"pad\": \""
				+ "x".repeat(200_000) + "\"}}";

		Response response = graphQl().postRaw(this.token, null, body);

		assertThat(response.status()).isEqualTo(413);
	}

	/** Sends a document that must be refused before any SQL, and returns the answer. */
	private Response refused(String document) {
		int before = this.statements.count();

		Response response = graphQl().post(this.token, null, document);

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.<Object>path("$.data")).isNull();
		assertThat(response.<Object>path("$.errors")).isNotNull();
		assertThat(this.statements.count()).as("statements sent for a refused request").isEqualTo(before);
		return response;
	}

	private static String padded(String document, int length) {
		return document + " ".repeat(length - document.length());
	}

}
