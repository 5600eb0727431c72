package io.tally.httpcache;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.tally.documents.TrustedDocuments;
import io.tally.graphql.StatementCounter;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries over GET, as a browser's HTTP cache sees them: an ETag from tenant, document,
 * variables and view generations, a max-age until the next refresh, and revalidation answered
 * with a 304 that runs no SQL and reads no cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(StatementCounter.class)
class HttpCachingIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }";

	@Autowired
	StatementCounter statements;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('hc-a', 'Http A'), ('hc-b', 'Http B'), ('hc-c', 'Http C');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES
				  ('hc-a', 1, 'Ann', 'north'), ('hc-b', 1, 'Bea', 'north'), ('hc-c', 1, 'Cid', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('hc-a', 1, '2026-05-01 12:00Z', 'paid', 300), ('hc-b', 1, '2026-05-01 12:00Z', 'paid', 900),
				  ('hc-c', 1, '2026-05-01 12:00Z', 'paid', 300);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void answersAGetWithAnEtagAndAMaxAgeUntilTheNextRefresh() {
		Response response = get(REVENUE, "hc-a", null);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(300);
		assertThat(response.header("ETag")).matches("\"[0-9a-f]{64}\"");
		assertThat(response.header("Cache-Control")).startsWith("private, max-age=");
		long maxAge = Long.parseLong(response.header("Cache-Control").replace("private, max-age=", ""));
		assertThat(maxAge).as("seconds until the 5-minute refresh is due").isBetween(240L, 300L);
	}

	@Test
	void revalidatesWithA304ThatRunsNoSqlAndReadsNoCache() {
		String etag = get(REVENUE, "hc-a", null).header("ETag");
		int before = this.statements.count();

		Response revalidated = get(REVENUE, "hc-a", etag);

		assertThat(revalidated.status()).isEqualTo(304);
		assertThat(revalidated.body()).isEmpty();
		assertThat(revalidated.header("ETag")).isEqualTo(etag);
		assertThat(revalidated.header("Cache-Control")).startsWith("private, max-age=");
		assertThat(this.statements.count()).isEqualTo(before);
	}

	@Test
	void givesEachTenantAndEachVariableSetItsOwnTag() {
		String a = get(REVENUE, "hc-a", null).header("ETag");

		Response b = get(REVENUE, "hc-b", a);

		assertThat(b.status()).as("tenant B never revalidates against tenant A's answer").isEqualTo(200);
		assertThat(b.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(900);
		assertThat(b.header("ETag")).isNotEqualTo(a);
		assertThat(get(REVENUE.replace("2026-05-01\")", "2026-05-02\")"), "hc-a", a).status()).isEqualTo(200);
		String twoOperations = "query A " + REVENUE + " query B { dailyRevenue(from: \"2026-05-02\", to: \"2026-05-02\") "
				+ "{ totals { revenueCents } } }";
		String first = graphQl().send("GET", "/graphql?operationName=A&query=" + encode(twoOperations), headers("hc-a", null))
			.header("ETag");
		assertThat(graphQl().send("GET", "/graphql?operationName=B&query=" + encode(twoOperations), headers("hc-a", first))
			.status()).as("another operation of the same document").isEqualTo(200);
	}

	@Test
	void answersAfterARefreshWithNewNumbersAndANewTag() {
		String etag = get(REVENUE, "hc-c", null).header("ETag");
		this.jdbc.sql("INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) "
				+ "VALUES ('hc-c', 1, '2026-05-01 13:00Z', 'paid', 1)").update();
		refreshReport("dailyRevenue");

		Response after = get(REVENUE, "hc-c", etag);

		assertThat(after.status()).isEqualTo(200);
		assertThat(after.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(301);
		assertThat(after.header("ETag")).isNotEqualTo(etag);
	}

	@Test
	void acceptsARegisteredDocumentsIdOverGet() throws Exception {
		String document = new ClassPathResource("documents/revenue-totals.graphql").getContentAsString(StandardCharsets.UTF_8);
		String extensions = "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + TrustedDocuments.id(document) + "\"}}";

		Response response = graphQl().send("GET", "/graphql?extensions=" + encode(extensions) + "&variables="
				+ encode("{\"from\":\"2026-05-01\",\"to\":\"2026-05-01\"}"), headers("hc-b", null));

		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).as(response.body()).isEqualTo(900);
		assertThat(response.header("ETag")).isNotNull();
	}

	@Test
	void refusesMutationsOverGetAndNeverCachesErrors() {
		Response mutation = graphQl().send("GET",
				"/graphql?query=" + encode("mutation { refreshReport(report: \"dailyRevenue\") { report } }"),
				Map.of("Authorization", "Bearer " + this.issuer.admin()));
		Response error = get("{ dailyRevenue(from: \"2026-02-30\") { totals { revenueCents } } }", "hc-a", null);

		assertThat(mutation.status()).isEqualTo(405);
		assertThat(mutation.header("Allow")).isEqualTo("POST");
		assertThat(error.errorMessage()).contains("from");
		assertThat(error.header("ETag")).isNull();
		assertThat(error.header("Cache-Control")).isEqualTo("no-store");
	}

	private Response get(String document, String tenant, String ifNoneMatch) {
		return graphQl().send("GET", "/graphql?query=" + encode(document), headers(tenant, ifNoneMatch));
	}

	private Map<String, String> headers(String tenant, String ifNoneMatch) {
		String token = "Bearer " + this.issuer.tenantUser(tenant);
		return (ifNoneMatch != null) ? Map.of("Authorization", token, "If-None-Match", ifNoneMatch)
				: Map.of("Authorization", token);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
