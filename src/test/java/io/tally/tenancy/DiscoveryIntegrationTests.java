package io.tally.tenancy;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tally.support.GraphQlHttp;
import io.tally.support.TallyInstance;
import io.tally.support.TestDatabase;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configured with an issuer URI alone, as the README's Helm example is, Tally finds the keys
 * through the issuer's discovery document and applies the same token policy as with a key-set
 * URI: expiry required, lifetime bounded, audience and issuer exact, and a flood of unknown key
 * ids does not become a flood of key-set fetches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryIntegrationTests {

	private static final String TENANTS = "{ tenants { id } }";

	private final TestIssuer issuer = TestIssuer.get();

	private TallyInstance tally;

	@BeforeAll
	void start() {
		TestDatabase.get();
		Map<String, String> issuerUriAlone = new HashMap<>();
		issuerUriAlone.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", this.issuer.discoveryIssuer());
		issuerUriAlone.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", null);
		this.tally = TallyInstance.start(issuerUriAlone);
	}

	@AfterAll
	void stop() {
		this.tally.close();
	}

	@Test
	void acceptsAWellFormedTokenWhoseKeysItFoundThroughDiscovery() {
		assertThat(graphQl().post(this.issuer.sign(claims(UnaryOperator.identity())), null, TENANTS).<Object>path("$.errors"))
			.isNull();
	}

	@Test
	void refusesATokenThatNeverExpiresOrLivesTooLong() {
		assertThat(status(claims(c -> c.expirationTime(null)))).isEqualTo(401);
		assertThat(status(claims(c -> c.expirationTime(Date.from(Instant.parse("3000-01-01T00:00:00Z")))))).isEqualTo(401);
	}

	@Test
	void refusesATokenForAnotherAudienceOrIssuer() {
		assertThat(status(claims(c -> c.audience("another-api")))).isEqualTo(401);
		assertThat(status(claims(c -> c.issuer(TestIssuer.ISSUER)))).isEqualTo(401);
	}

	@Test
	void fetchesTheKeySetABoundedNumberOfTimesUnderAFloodOfUnknownKeyIds() {
		assertThat(status(claims(UnaryOperator.identity()))).isEqualTo(200);
		int before = this.issuer.jwksFetches();

		for (int i = 0; i < 200; i++) {
			assertThat(graphQl().post(this.issuer.sign("flood-" + UUID.randomUUID(), claims(UnaryOperator.identity())),
					null, TENANTS).status()).isEqualTo(401);
		}

		assertThat(this.issuer.jwksFetches() - before).isLessThanOrEqualTo(2);
	}

	private int status(JWTClaimsSet claims) {
		return graphQl().post(this.issuer.sign(claims), null, TENANTS).status();
	}

	private GraphQlHttp graphQl() {
		return this.tally.graphQl();
	}

	private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer.discoveryIssuer())
			.audience(TestIssuer.AUDIENCE)
			.subject("discovered")
			.issueTime(Date.from(Instant.now().minusSeconds(5)))
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.claim("scope", "analytics:read")
			.claim("roles", java.util.List.of("analytics-admin"));
		return change.apply(claims).build();
	}

}
