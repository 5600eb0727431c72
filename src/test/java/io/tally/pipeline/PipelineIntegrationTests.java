package io.tally.pipeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.SseSubscription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way an answer leaves takes the same checks: a kept answer is never one made for another
 * caller (its subject, its field cap), a subscription is never kept, and input the GraphQL over
 * HTTP spec rules out is a 400 that names what was wrong, never a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } }";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void limits(DynamicPropertyRegistry registry) {
		registry.add("tally.limits.overrides[0].role", () -> "one-report");
		registry.add("tally.limits.overrides[0].max-report-fields", () -> "1");
	}

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('pl-a', 'Pipeline A'), ('pl-b', 'Pipeline B')
				  ON CONFLICT DO NOTHING;
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('pl-a', 1, 'Ann', 'north'),
				  ('pl-b', 1, 'Bea', 'north') ON CONFLICT DO NOTHING;
				DELETE FROM app.orders WHERE tenant_id IN ('pl-a', 'pl-b');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('pl-a', 1, '2026-05-01 12:00Z', 'paid', 1200), ('pl-b', 1, '2026-05-01 12:00Z', 'paid', 3400);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void neverSendsOneCallersViewerAnswerToAnotherCallerOfTheSameTenant() {
		String document = "{ viewer { subject tenants { id } } " + REVENUE + " }";
		String ann = this.issuer.token("ann", Map.of("tenant_ids", List.of("pl-a", "pl-b"), "scope", "analytics:read"));
		String bob = this.issuer.token("bob", Map.of("tenant_id", "pl-a", "scope", "analytics:read"));
		for (int i = 0; i < 3; i++) {
			assertThat(graphQl().post(ann, "pl-a", document).<String>path("$.data.viewer.subject")).isEqualTo("ann");
		}

		Response asBob = graphQl().post(bob, "pl-a", document);

		assertThat(asBob.<String>path("$.data.viewer.subject")).as(asBob.body()).isEqualTo("bob");
		assertThat(asBob.<List<String>>path("$.data.viewer.tenants[*].id")).containsExactly("pl-a");
		assertThat(asBob.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1200);
	}

	@Test
	void holdsACappedCallerToItsCapWhenAnotherCallersAnswerToTheSameDocumentIsKept() {
		String document = "{ a: " + REVENUE + " b: " + REVENUE + " }";
		for (int i = 0; i < 3; i++) {
			Response allowed = graphQl().post(this.issuer.tenantUser("pl-a"), null, document);
			assertThat(allowed.<Integer>path("$.data.b.totals.revenueCents")).as(allowed.body()).isEqualTo(1200);
		}
		String capped = this.issuer.token("capped@pl-a",
				Map.of("tenant_id", "pl-a", "roles", List.of("one-report"), "scope", "analytics:read"));

		Response refused = graphQl().post(capped, null, document);

		assertThat(refused.<Object>path("$.data")).as(refused.body()).isNull();
		assertThat(refused.errorType()).isEqualTo("BAD_REQUEST");
		assertThat(refused.errorMessage()).contains("asks for 2 report fields; at most 1");
	}

	@Test
	void keepsNoSubscriptionAnswerSoTheSameSubscriptionWorksEveryTime() throws Exception {
		String subscription = "subscription { " + REVENUE + " }";
		for (int i = 0; i < 3; i++) {
			try (SseSubscription events = new SseSubscription(this.port, this.issuer.tenantUser("pl-b"), null,
					subscription)) {
				SseSubscription.Event first = events.next(WAIT);
				assertThat(first).as("subscription %d", i + 1).isNotNull();
				assertThat(first.data().<Integer>path("$.data.dailyRevenue.totals.revenueCents")).as(first.data().body())
					.isEqualTo(3400);
			}
		}
		Response asJson = graphQl().post(this.issuer.tenantUser("pl-b"), null, subscription);

		assertThat(asJson.body()).as("a subscription over plain JSON is never answered from a kept answer")
			.doesNotContain("3400");
	}

	@Test
	void refusesAGetWhoseVariablesAreNotAJsonObject() {
		for (String variables : List.of("{not json", "[1,2]", "42", "\"text\"")) {
			Response response = get("{ " + REVENUE + " }", "&variables=" + encode(variables));

			assertThat(response.status()).as(variables).isEqualTo(400);
			assertThat(response.errorType()).isEqualTo("BAD_REQUEST");
			assertThat(response.errorMessage()).contains("'variables' must be a JSON object");
		}
	}

	@Test
	void refusesAGetWhoseExtensionsAreNotAJsonObject() {
		Response response = get("{ " + REVENUE + " }", "&extensions=" + encode("{\"persistedQuery\": 1"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorMessage()).contains("'extensions' must be a JSON object");
	}

	@Test
	void refusesPostBodiesWhoseMembersHaveTheWrongTypeWithA400ThatNamesTheMember() {
		Map<String, String> bodies = Map.of(
				"{\"query\": 1, \"extensions\": {\"persistedQuery\": {\"version\": 1, \"sha256Hash\": \"" + "0".repeat(64)
						+ "\"}}}", "'query' must be a string",
				"{\"query\": [\"{ __typename }\"]}", "'query' must be a string",
				"{\"query\": true}", "'query' must be a string",
				"{\"query\": \"{ __typename }\", \"operationName\": 7}", "'operationName' must be a string",
				"{\"query\": \"{ __typename }\", \"variables\": [1, 2]}", "'variables' must be a JSON object",
				"{\"query\": \"{ __typename }\", \"extensions\": \"x\"}", "'extensions' must be a JSON object",
				"{\"query\": \"{ __typename }\", \"extensions\": {\"persistedQuery\": \"x\"}}",
				"'extensions.persistedQuery' must be a JSON object",
				"{\"query\": \"{ __typ", "not valid JSON");
		bodies.forEach((body, mention) -> {
			Response response = graphQl().postRaw(this.issuer.tenantUser("pl-a"), null, body);

			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.errorType()).as(body).isEqualTo("BAD_REQUEST");
			assertThat(response.errorMessage()).as(body).contains(mention);
			assertThat(response.body()).as(body).doesNotContain("Exception").doesNotContain("at io.tally");
		});
	}

	@Test
	void givesTheManagementPortsAnswersTheSameSecurityHeadersAsTheApiPort() {
		Response api = graphQl().send("GET", "/graphiql/", Map.of());
		Response health = new GraphQlHttp(this.managementPort).send("GET", "/actuator/info", Map.of());

		assertThat(health.status()).isEqualTo(200);
		assertThat(health.header("Content-Security-Policy")).isNotBlank().isEqualTo(api.header("Content-Security-Policy"));
		assertThat(health.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	private Response get(String document, String more) {
		return graphQl().send("GET", "/graphql?query=" + encode(document) + more,
				Map.of("Authorization", "Bearer " + this.issuer.tenantUser("pl-a")));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
