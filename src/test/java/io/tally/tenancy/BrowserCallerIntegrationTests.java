package io.tally.tenancy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser page on another origin gets: preflights answered for the configured origins
 * only, and 401s whose JSON body says why, since a page cannot read {@code WWW-Authenticate}
 * cross-origin.
 */
@TestPropertySource(properties = "tally.http.cors.allowed-origins=https://portal.example")
class BrowserCallerIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "{ dailyRevenue { totals { revenueCents } } }";

	@Test
	void answersAPreflightFromAnAllowedOriginWithoutAToken() {
		Response preflight = graphQl().send("OPTIONS", "/graphql",
				Map.of("Origin", "https://portal.example", "Access-Control-Request-Method", "POST",
						"Access-Control-Request-Headers", "authorization, content-type, x-tenant-id"));

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://portal.example");
		assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization")
			.containsIgnoringCase("x-tenant-id");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
	}

	@Test
	void refusesAPreflightFromAnyOtherOriginAsCorsNotAsAMissingToken() {
		Response preflight = graphQl().send("OPTIONS", "/graphql", Map.of("Origin", "https://evil.example",
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization"));

		assertThat(preflight.status()).isEqualTo(403);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void letsTheAllowedOriginReadTheAnswerAndItsEtag() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('cors-a', 'Cors A') ON CONFLICT DO NOTHING").update();
		Response answer = graphQl().send("GET", "/graphql?query=" + URLEncoder.encode(REVENUE, StandardCharsets.UTF_8), Map.of("Origin", "https://portal.example",
						"Authorization", "Bearer " + this.issuer.tenantUser("cors-a")));

		assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("https://portal.example");
		assertThat(answer.header("Access-Control-Expose-Headers")).contains("ETag");
	}

	@Test
	void saysInTheBodyThatATokenIsMissing() {
		Response response = graphQl().post(null, null, REVENUE);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.errorMessage()).contains("bearer token is required", "Authorization: Bearer");
		assertThat(response.<String>path("$.errors[0].extensions.classification")).isEqualTo("UNAUTHORIZED");
	}

	@Test
	void saysWhenAnExpiredTokenExpiredWithoutRepeatingIt() {
		Instant expiredAt = Instant.now().minusSeconds(3600);
		String expired = this.issuer.token("late", Map.of("tenant_id", "ten-a", "scope", "analytics:read"),
				TestIssuer.ISSUER, expiredAt);

		Response response = graphQl().post(expired, null, REVENUE);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.errorMessage()).contains("expired").contains(expiredAt.toString().substring(0, 16));
		assertThat(response.body()).doesNotContain(expired).doesNotContain(expired.substring(0, 40));
	}

	@Test
	void saysWhenATokenIsForAnotherAudience() {
		String foreign = this.issuer.sign(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
			.audience("someone-else")
			.subject("lost")
			.claim("tenant_id", "ten-a")
			.claim("scope", "analytics:read")
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.build());

		Response response = graphQl().post(foreign, null, REVENUE);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.errorMessage()).containsIgnoringCase("aud");
		assertThat(response.body()).doesNotContain(foreign.substring(0, 40));
	}

}
