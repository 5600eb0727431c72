package io.tally.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read which tenant, over HTTP with real signed tokens. Tenants ten-a and ten-b each have
 * one paid order on 2026-04-01 of a different amount, so every answer shows whose data it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = """
			{ dailyRevenue(from: "2026-04-01", to: "2026-04-01") { totals { revenueCents } } }""";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('ten-a', 'Tenant A'), ('ten-b', 'Tenant B'), ('ten-c', 'Tenant C');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES
				  (1, 'ten-a', 'A', 'north'), (1, 'ten-b', 'B', 'north'), (1, 'ten-c', 'C', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('ten-a', 1, '2026-04-01 12:00Z', 'paid', 100),
				  ('ten-b', 1, '2026-04-01 12:00Z', 'paid', 200),
				  ('ten-c', 1, '2026-04-01 12:00Z', 'paid', 300);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void readsTheOneTenantItsTokenNamesWithoutAHeader() {
		Response response = graphQl().post(this.issuer.tenantUser("ten-a"), null, REVENUE);

		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(100);
	}

	@Test
	void refusesAnotherTenantPickedByHeaderAndReadsNothing() {
		Response response = graphQl().post(this.issuer.tenantUser("ten-a"), "ten-b", REVENUE);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(response.errorMessage()).contains("ten-b");
		assertThat(response.<Object>path("$.data")).isNull();
		assertThat(response.body()).doesNotContain("200");
	}

	@Test
	void letsAPartnerPickEachOfItsTenantsButNoOther() {
		String partner = this.issuer.partner("ten-a", "ten-b");

		assertThat(graphQl().post(partner, "ten-a", REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.isEqualTo(100);
		assertThat(graphQl().post(partner, "ten-b", REVENUE).<Integer>path("$.data.dailyRevenue.totals.revenueCents"))
			.isEqualTo(200);
		assertThat(graphQl().post(partner, "ten-c", REVENUE).errorType()).isEqualTo("FORBIDDEN");
		graphQl().post(partner, null, REVENUE).assertBadRequest("X-Tenant-Id", "ten-a, ten-b");
	}

	@Test
	void letsAnAdminReadAnyTenantItNames() {
		assertThat(graphQl().post(this.issuer.admin(), "ten-c", REVENUE)
			.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(300);
		graphQl().post(this.issuer.admin(), null, REVENUE).assertBadRequest("X-Tenant-Id");
	}

	@Test
	void refusesATokenWithoutTheReportScope() {
		String token = this.issuer.token("no-scope", Map.of("tenant_id", "ten-a", "scope", "profile"));

		Response response = graphQl().post(token, null, REVENUE);

		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(response.errorMessage()).contains("analytics:read");
		assertThat(response.<Object>path("$.data")).isNull();
	}

	@Test
	void answers401WithoutAValidToken() {
		String expired = this.issuer.token("late", Map.of("tenant_id", "ten-a", "scope", "analytics:read"),
				TestIssuer.ISSUER, Instant.now().minusSeconds(3600));
		String foreignIssuer = this.issuer.token("stranger", Map.of("tenant_id", "ten-a", "scope", "analytics:read"),
				"https://evil.test", Instant.now().plusSeconds(600));
		String valid = this.issuer.tenantUser("ten-a");
		String tampered = valid.substring(0, valid.lastIndexOf('.') - 4) + "AAAA" + valid.substring(valid.lastIndexOf('.'));

		assertThat(graphQl().post(null, null, REVENUE).status()).isEqualTo(401);
		assertThat(graphQl().post("not-a-jwt", null, REVENUE).status()).isEqualTo(401);
		assertThat(graphQl().post(expired, null, REVENUE).status()).isEqualTo(401);
		assertThat(graphQl().post(foreignIssuer, null, REVENUE).status()).isEqualTo(401);
		assertThat(graphQl().post(tampered, null, REVENUE).status()).isEqualTo(401);
	}

	@Test
	void refusesUnknownTenantsClearly() {
		Response response = graphQl().post(this.issuer.tenantUser("ghost"), null, REVENUE);

		assertThat(response.errorType()).isEqualTo("NOT_FOUND");
		assertThat(response.errorMessage()).contains("ghost");
	}

	@Test
	void keepsAdministrationToAdmins() {
		String user = this.issuer.tenantUser("ten-a");

		assertThat(graphQl().post(user, null, "{ tenants { id } }").errorType()).isEqualTo("FORBIDDEN");
		assertThat(graphQl().post(user, null, "{ reportStatus { report } }").errorType()).isEqualTo("FORBIDDEN");
		assertThat(graphQl().post(user, null, "mutation { refreshReport(report: \"dailyRevenue\") { report } }")
			.errorType()).isEqualTo("FORBIDDEN");
		assertThat(graphQl().post(this.issuer.admin(), null, "{ tenants { id timeZone } }")
			.<List<String>>path("$.data.tenants[*].id")).contains("ten-a", "ten-b", "ten-c");
	}

	@Test
	void rejectsRefreshOfAnUnknownReport() {
		Response response = graphQl().post(this.issuer.admin(), null,
				"mutation { refreshReport(report: \"weeklyMagic\") { report } }");

		response.assertBadRequest("weeklyMagic", "dailyRevenue");
	}

}
