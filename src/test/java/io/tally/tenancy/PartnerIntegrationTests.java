package io.tally.tenancy;

import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two trusted issuers at once, configured by {@code tally.tenancy.issuers}: the company's own
 * (the test issuer, tenants in {@code tenant_id}, roles in {@code roles}) and a partner's, a second
 * test issuer with its own key and key set on loopback, whose client-credentials tokens name their
 * tenants in {@code partner_tenant} or {@code partner_tenants}, carry audience {@code tally-partner}
 * and may grant no role, and which may speak for tenants {@code par-a} and {@code par-b} only.
 * A third issuer, trusted by nobody, signs the stranger's tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = """
			{ dailyRevenue(from: "2026-04-01", to: "2026-04-01") { totals { revenueCents } } }""";

	private static final TestIssuer partner = TestIssuer.another("https://partner.test");

	private static final TestIssuer stranger = TestIssuer.another("https://stranger.test");

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		registry.add("tally.tenancy.issuers[0].issuer-uri", () -> TestIssuer.ISSUER);
		registry.add("tally.tenancy.issuers[0].jwk-set-uri", () -> TestIssuer.get().jwksUri());
		registry.add("tally.tenancy.issuers[0].audiences", () -> TestIssuer.AUDIENCE);
		registry.add("tally.tenancy.issuers[0].allowed-tenants", () -> "*");
		registry.add("tally.tenancy.issuers[1].issuer-uri", partner::issuer);
		registry.add("tally.tenancy.issuers[1].jwk-set-uri", partner::jwksUri);
		registry.add("tally.tenancy.issuers[1].audiences", () -> "tally-partner");
		registry.add("tally.tenancy.issuers[1].tenant-claim", () -> "partner_tenant");
		registry.add("tally.tenancy.issuers[1].tenants-claim", () -> "partner_tenants");
		registry.add("tally.tenancy.issuers[1].roles-claim", () -> "");
		registry.add("tally.tenancy.issuers[1].allowed-tenants", () -> "par-a,par-b");
	}

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('par-a', 'Partner A'), ('par-b', 'Partner B'), ('par-c', 'Partner C');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'par-a', 'A', 'north'), (1, 'par-b', 'B', 'north'), (1, 'par-c', 'C', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('par-a', 1, '2026-04-01 12:00Z', 'paid', 1100),
				  ('par-b', 1, '2026-04-01 12:00Z', 'paid', 2200),
				  ('par-c', 1, '2026-04-01 12:00Z', 'paid', 3300);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void aClientCredentialsTokenReadsItsTenantsAndNothingElse() {
		String token = clientCredentials(partner, List.of("tally-partner"),
				Map.of("partner_tenants", List.of("par-a", "par-b"), "scope", "analytics:read"));

		assertThat(graphQl().post(token, "par-a", REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.isEqualTo(1100);
		assertThat(graphQl().post(token, "par-b", REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.isEqualTo(2200);
		Response other = graphQl().post(token, "par-c", REVENUE);
		assertThat(other.errorType()).isEqualTo("FORBIDDEN");
		assertThat(other.body()).doesNotContain("3300");
	}

	@Test
	void aPartnerIssuerSpeaksOnlyForItsAllowedTenantsWhateverItsTokensName() {
		String token = clientCredentials(partner, List.of("tally-partner"),
				Map.of("partner_tenants", List.of("par-a", "par-c"), "scope", "analytics:read"));

		assertThat(graphQl().post(token, "par-a", REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.isEqualTo(1100);
		Response other = graphQl().post(token, "par-c", REVENUE);
		assertThat(other.errorType()).isEqualTo("FORBIDDEN");
		assertThat(other.body()).doesNotContain("3300");
		assertThat(graphQl().post(token, null, "{ viewer { tenants { id } } }")
			.<List<String>>path("$.data.viewer.tenants[*].id")).containsExactly("par-a");
	}

	@Test
	void aPartnerTokenIsReadWithThePartnersClaimNamesOnly() {
		String token = clientCredentials(partner, List.of("tally-partner"),
				Map.of("tenant_id", "par-c", "roles", List.of("analytics-admin"), "scope", "analytics:read"));

		assertThat(graphQl().post(token, "par-c", REVENUE).errorType()).isEqualTo("FORBIDDEN");
		assertThat(graphQl().post(token, null, "{ tenants { id } }").errorType())
			.as("a partner issuer grants no roles")
			.isEqualTo("FORBIDDEN");
	}

	@Test
	void theCompanyIssuerKeepsWorkingBesideThePartner() {
		assertThat(graphQl().post(this.issuer.tenantUser("par-c"), null, REVENUE)
			.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(3300);
		assertThat(graphQl().post(this.issuer.admin(), "par-a", REVENUE)
			.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1100);
	}

	@Test
	void refusesAnIssuerNotInTheList() {
		String token = clientCredentials(stranger, List.of("tally-partner"),
				Map.of("partner_tenants", List.of("par-a"), "scope", "analytics:read"));

		assertThat(graphQl().post(token, "par-a", REVENUE).status()).isEqualTo(401);
	}

	@Test
	void refusesAPartnerTokenForAnotherAudience() {
		String token = clientCredentials(partner, List.of("tally"),
				Map.of("partner_tenants", List.of("par-a"), "scope", "analytics:read"));

		assertThat(graphQl().post(token, "par-a", REVENUE).status()).isEqualTo(401);
	}

	/** A client-credentials token as the partner's authorization server issues it: a signed JWT. */
	private static String clientCredentials(TestIssuer issuer, List<String> audience, Map<String, Object> claims) {
		return issuer.token("partner-client", claims, audience);
	}

}
