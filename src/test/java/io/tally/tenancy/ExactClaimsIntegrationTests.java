package io.tally.tenancy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.AuditEvents;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant and role claims are read exactly as they are written, never guessed at: a claim of the
 * wrong shape makes the token invalid (401, the reason in the security log only). An ambiguous
 * request, with a header sent twice, is a 400. Every 401 and every FORBIDDEN is in the security
 * log, and no token is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactClaimsIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "{ dailyRevenue { totals { revenueCents } } }";

	private final AuditEvents audit = new AuditEvents();

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('ex-a', 'Exact A'), ('ex-b', 'Exact B')").update();
	}

	@BeforeEach
	void listen() {
		this.audit.start();
	}

	@AfterEach
	void stopListening() {
		this.audit.stop();
	}

	@Test
	void refusesATenantIdThatNamesSeveralTenants() {
		assertUnauthorized(token(Map.of("tenant_id", "ex-a ex-b")), "ex-b");
		assertUnauthorized(token(Map.of("tenant_id", List.of("ex-a", "ex-b"))), "ex-b");
	}

	@Test
	void refusesATenantListWithANullOrBlankEntryOrThatIsNotAList() {
		assertUnauthorized(token(Map.of("tenant_ids", Arrays.asList(null, "ex-a"))), "ex-a");
		assertUnauthorized(token(Map.of("tenant_ids", List.of(" ", "ex-a"))), "ex-a");
		assertUnauthorized(token(Map.of("tenant_ids", "ex-a ex-b")), "ex-b");
	}

	@Test
	void refusesARolesStringNamingSeveralRolesButAcceptsOneRoleAsAString() {
		assertUnauthorized(token(Map.of("roles", "viewer analytics-admin")), "ex-a");

		Response admin = graphQl().post(token(Map.of("roles", "analytics-admin")), null, "{ tenants { id } }");
		assertThat(admin.<Object>path("$.errors")).isNull();
		assertThat(admin.<List<String>>path("$.data.tenants[*].id")).contains("ex-a", "ex-b");
	}

	@Test
	void logsEveryRefusedTokenWithReasonIssuerAndKeyIdButNeverTheToken() {
		String token = token(Map.of("tenant_id", List.of("ex-a", "ex-b")));

		graphQl().post(token, null, REVENUE);
		graphQl().post(null, null, REVENUE);

		List<Map<String, String>> refused = this.audit.of("unauthorized");
		assertThat(refused).hasSize(2);
		assertThat(refused.get(0)).containsEntry("issuer", TestIssuer.ISSUER)
			.containsEntry("kid", this.issuer.key().getKeyID());
		assertThat(refused.get(0).get("reason")).contains("tenant_id");
		assertThat(refused.get(1).get("reason")).contains("No bearer token");
		assertThat(this.audit.all()).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains(token));
	}

	@Test
	void logsEveryForbiddenTenantWithSubjectIssuerAndTheRequestedTenant() {
		Response response = graphQl().post(this.issuer.tenantUser("ex-a"), "ex-b", REVENUE);

		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(this.audit.of("forbidden")).singleElement()
			.satisfies(event -> assertThat(event).containsEntry("subject", "user@ex-a")
				.containsEntry("issuer", TestIssuer.ISSUER)
				.containsEntry("requestedTenant", "ex-b"));
	}

	@Test
	void refusesAnAdminOperationToAPortalUserThroughPreAuthorizeAndLogsIt() {
		Response response = graphQl().post(this.issuer.tenantUser("ex-a"), null, "{ tenants { id } }");

		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(response.body()).doesNotContain("ex-b");
		assertThat(this.audit.of("forbidden")).singleElement()
			.satisfies(event -> assertThat(event).containsEntry("subject", "user@ex-a")
				.containsEntry("issuer", TestIssuer.ISSUER));
	}

	@Test
	void cutsALongTenantHeaderShortBeforeEchoingOrLoggingIt() {
		String longTenant = "x".repeat(5000);

		Response response = graphQl().post(this.issuer.tenantUser("ex-a"), longTenant, REVENUE);

		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(response.body()).doesNotContain("x".repeat(100));
		assertThat(this.audit.of("forbidden")).singleElement()
			.satisfies(event -> assertThat(event.get("requestedTenant")).hasSizeLessThan(100));
	}

	@Test
	void answersATenantHeaderSentTwiceWith400() {
		Response response = graphQl().postWithHeaders(GraphQlHttp.body(REVENUE), "Authorization",
				"Bearer " + this.issuer.partner("ex-a", "ex-b"), "X-Tenant-Id", "ex-a", "X-Tenant-Id", "ex-b");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("X-Tenant-Id").doesNotContain("revenueCents");
	}

	@Test
	void answersAnAuthorizationHeaderSentTwiceWith400() {
		Response response = graphQl().postWithHeaders(GraphQlHttp.body(REVENUE), "Authorization",
				"Bearer " + this.issuer.tenantUser("ex-a"), "Authorization", "Bearer " + this.issuer.tenantUser("ex-b"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("Authorization");
	}

	private void assertUnauthorized(String token, String tenant) {
		Response response = graphQl().post(token, tenant, REVENUE);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("revenueCents").doesNotContain("tenant_id").doesNotContain("roles");
	}

	/** A token that is right in every way but the claims given. */
	private String token(Map<String, Object> tenantClaims) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
			.audience(TestIssuer.AUDIENCE)
			.subject("exact-" + UUID.randomUUID())
			.issueTime(Date.from(Instant.now().minusSeconds(5)))
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.claim("scope", "analytics:read");
		tenantClaims.forEach(claims::claim);
		return this.issuer.sign(claims.build());
	}

}
