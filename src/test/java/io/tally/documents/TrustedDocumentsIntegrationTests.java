package io.tally.documents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents registered at start-up (here {@code src/test/resources/documents}) sent by their
 * SHA-256 id alone, and a partner issuer held to them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustedDocumentsIntegrationTests extends IntegrationTestSupport {

	private static final String PARTNER_ISSUER = "https://partner.test";

	private String document;

	private String id;

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		registry.add("tally.tenancy.issuers[0].issuer-uri", () -> TestIssuer.ISSUER);
		registry.add("tally.tenancy.issuers[0].jwk-set-uri", () -> TestIssuer.get().jwksUri());
		registry.add("tally.tenancy.issuers[0].audiences", () -> TestIssuer.AUDIENCE);
		registry.add("tally.tenancy.issuers[0].allowed-tenants", () -> "*");
		registry.add("tally.tenancy.issuers[1].issuer-uri", () -> PARTNER_ISSUER);
		registry.add("tally.tenancy.issuers[1].jwk-set-uri", () -> TestIssuer.get().jwksUri());
		registry.add("tally.tenancy.issuers[1].audiences", () -> TestIssuer.AUDIENCE);
		registry.add("tally.tenancy.issuers[1].allowed-tenants", () -> "*");
		registry.add("tally.tenancy.issuers[1].trusted-documents-only", () -> "true");
	}

	@BeforeAll
	void fixture() throws IOException {
		this.document = new ClassPathResource("documents/revenue-totals.graphql").getContentAsString(StandardCharsets.UTF_8);
		this.id = TrustedDocuments.id(this.document);
		// Once per database: a rerun of this class (failsafe reruns a failed one) finds it there.
		if (this.jdbc.sql("SELECT count(*) FROM app.tenants WHERE id = 'td-a'").query(Integer.class).single() == 0) {
			this.jdbc.sql("""
					INSERT INTO app.tenants (id, name) VALUES ('td-a', 'Trusted A');
					INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('td-a', 1, 'Ann', 'north');
					INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
					  ('td-a', 1, '2026-05-01 12:00Z', 'paid', 4200);
					""").update();
		}
		refreshReport("dailyRevenue");
	}

	@Test
	void answersADocumentSentByItsIdAlone() {
		Response response = byId(this.issuer.tenantUser("td-a"), this.id);

		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).as(response.body()).isEqualTo(4200);
	}

	@Test
	void answersAnUnknownIdWithTheStandardPersistedQueryNotFound() {
		Response response = byId(this.issuer.tenantUser("td-a"), "0".repeat(64));

		assertThat(response.errorMessage()).isEqualTo("PersistedQueryNotFound");
		assertThat(response.<String>path("$.errors[0].extensions.persistedQueryId")).isEqualTo("0".repeat(64));
		assertThat(response.<Object>path("$.data")).isNull();
	}

	@Test
	void refusesAnIdThatIsNotTheHashOfTheTextSentWithIt() {
		Response response = graphQl().postRaw(this.issuer.tenantUser("td-a"), null,
				"{\"query\":\"{ dailyRevenue { totals { revenueCents } } }\",\"extensions\":{\"persistedQuery\":"
						+ "{\"version\":1,\"sha256Hash\":\"" + this.id + "\"}}}");

		assertThat(response.errorMessage()).isEqualTo("PersistedQueryIdInvalid");
	}

	@Test
	void holdsAPartnerIssuerToTrustedDocumentsWhetherSentByIdOrText() {
		String partner = this.issuer.token("partner", Map.of("tenant_id", "td-a", "scope", "analytics:read"),
				PARTNER_ISSUER, Instant.now().plusSeconds(600));

		Response byId = byId(partner, this.id);
		Response byText = graphQl().post(partner, null, this.document, Map.of("from", "2026-05-01", "to", "2026-05-01"));
		Response other = graphQl().post(partner, null, "{ dailyRevenue { totals { revenueCents } } }");

		assertThat(byId.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(4200);
		assertThat(byText.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(4200);
		assertThat(other.errorType()).isEqualTo("FORBIDDEN");
		assertThat(other.errorMessage()).contains("trusted documents");
		assertThat(other.<Object>path("$.data")).isNull();
		assertThat(graphQl().post(this.issuer.tenantUser("td-a"), null,
				"{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }")
			.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).as("other issuers may send any document")
			.isEqualTo(4200);
	}

	/**
	 * The tenant's own user has the answer to an untrusted document kept (response cache) and its
	 * document compiled; the partner sending the same text for the same tenant is still refused:
	 * the trusted-documents check comes before both.
	 */
	@Test
	void refusesAPartnerAnUntrustedDocumentThatIsKeptAndCompiledForItsTenant() {
		String untrusted = "{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-02\") { totals { revenueCents } } }";
		for (int i = 0; i < 3; i++) {
			assertThat(graphQl().post(this.issuer.tenantUser("td-a"), null, untrusted)
				.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(4200);
		}
		String partner = this.issuer.token("partner", Map.of("tenant_id", "td-a", "scope", "analytics:read"),
				PARTNER_ISSUER, Instant.now().plusSeconds(600));

		Response refused = graphQl().post(partner, null, untrusted);

		assertThat(refused.errorType()).isEqualTo("FORBIDDEN");
		assertThat(refused.<Object>path("$.data")).isNull();
	}

	private Response byId(String token, String documentId) {
		return graphQl().postRaw(token, null,
				"{\"variables\":{\"from\":\"2026-05-01\",\"to\":\"2026-05-01\"},\"extensions\":{\"persistedQuery\":"
						+ "{\"version\":1,\"sha256Hash\":\"" + documentId + "\"}}}");
	}

}
