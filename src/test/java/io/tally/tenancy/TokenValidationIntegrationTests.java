package io.tally.tenancy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad token a hostile caller might send, each signed for real and sent over HTTP:
 * all are 401 before GraphQL sees the request. A token that differs in nothing but the flaw
 * proves each flaw alone is what is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenValidationIntegrationTests extends IntegrationTestSupport {

	private static final String TENANTS = "{ tenants { id } }";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('tok-a', 'Token A') ON CONFLICT DO NOTHING").update();
	}

	@Test
	void acceptsTheWellFormedTokenEveryOtherCaseSpoils() {
		Response response = graphQl().post(this.issuer.sign(claims(UnaryOperator.identity())), null, TENANTS);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.<List<String>>path("$.data.tenants[*].id")).contains("tok-a");
	}

	@Test
	void refusesATokenFromAnotherIssuer() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.issuer("https://evil.test"))));
	}

	@Test
	void refusesATokenForAnotherAudienceOrNone() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.audience("someone-else"))));
		assertUnauthorized(this.issuer.sign(claims(c -> c.audience((String) null))));
	}

	@Test
	void refusesATokenExpiredBeyondTheClockSkewButToleratesSmallDrift() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.issueTime(secondsFromNow(-700)).expirationTime(secondsFromNow(-120)))));
		assertThat(graphQl().post(this.issuer.sign(claims(c -> c.issueTime(secondsFromNow(-700)).expirationTime(secondsFromNow(-20)))), null, TENANTS)
			.status()).isEqualTo(200);
	}

	@Test
	void refusesATokenWithoutExpiry() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.expirationTime(null))));
	}

	@Test
	void refusesATokenWithoutSubject() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.subject(null))));
	}

	@Test
	void refusesATokenValidForLongerThanTheMaximumLifetime() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.expirationTime(Date.from(Instant.parse("3000-01-01T00:00:00Z"))))));
		assertUnauthorized(this.issuer.sign(claims(c -> c.issueTime(null).expirationTime(secondsFromNow(25 * 3600)))));
		assertUnauthorized(this.issuer.sign(claims(c -> c.issueTime(secondsFromNow(-3600)).expirationTime(secondsFromNow(24 * 3600)))));
	}

	@Test
	void acceptsTheJwtAndAccessTokenTypesOnly() {
		assertThat(graphQl().post(this.issuer.signTyped("JWT", claims(UnaryOperator.identity())), null, TENANTS).status())
			.isEqualTo(200);
		assertThat(graphQl().post(this.issuer.signTyped("at+jwt", claims(UnaryOperator.identity())), null, TENANTS).status())
			.isEqualTo(200);
		assertUnauthorized(this.issuer.signTyped("logout+jwt", claims(UnaryOperator.identity())));
		assertUnauthorized(this.issuer.signTyped("JWE", claims(UnaryOperator.identity())));
	}

	@Test
	void refusesATokenNotValidYet() {
		assertUnauthorized(this.issuer.sign(claims(c -> c.notBeforeTime(secondsFromNow(600)))));
	}

	@Test
	void refusesAnUnsignedToken() {
		assertUnauthorized(new PlainJWT(claims(UnaryOperator.identity())).serialize());
	}

	@Test
	void refusesAnHmacTokenKeyedWithThePublicKey() throws JOSEException {
		byte[] publicKey = ("-----BEGIN PUBLIC KEY-----\n"
				+ java.util.Base64.getMimeEncoder().encodeToString(this.issuer.key().toRSAPublicKey().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n")
			.getBytes(StandardCharsets.US_ASCII);
		SignedJWT forged = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(this.issuer.key().getKeyID()).build(),
				claims(UnaryOperator.identity()));
		forged.sign(new MACSigner(publicKey));

		assertUnauthorized(forged.serialize());
	}

	@Test
	void refusesATokenSignedUnderAnUnknownKeyId() {
		assertUnauthorized(this.issuer.sign("unknown-" + UUID.randomUUID(), claims(UnaryOperator.identity())));
	}

	@Test
	void refusesATokenWhosePayloadWasChangedAfterSigning() {
		String genuine = this.issuer.sign(claims(c -> c.claim("roles", List.of())));
		String[] parts = genuine.split("\\.");
		String escalated = Base64URL
			.encode(claims(c -> c.claim("roles", List.of("analytics-admin"))).toString().getBytes(StandardCharsets.UTF_8))
			.toString();

		assertThat(graphQl().post(genuine, null, TENANTS).errorType()).isEqualTo("FORBIDDEN");
		assertUnauthorized(parts[0] + "." + escalated + "." + parts[2]);
	}

	@Test
	void fetchesTheKeySetABoundedNumberOfTimesUnderAFloodOfUnknownKeyIds() {
		assertThat(graphQl().post(this.issuer.sign(claims(UnaryOperator.identity())), null, TENANTS).status())
			.isEqualTo(200);
		int before = this.issuer.jwksFetches();

		for (int i = 0; i < 100; i++) {
			assertUnauthorized(this.issuer.sign("flood-" + UUID.randomUUID(), claims(UnaryOperator.identity())));
		}

		assertThat(this.issuer.jwksFetches() - before).isLessThanOrEqualTo(2);
		assertThat(graphQl().post(this.issuer.sign(claims(UnaryOperator.identity())), null, TENANTS).status())
			.as("the genuine key still verifies after the flood")
			.isEqualTo(200);
	}

	private void assertUnauthorized(String token) {
		Response response = graphQl().post(token, null, TENANTS);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("tok-a").doesNotContain("data");
	}

	/** An admin token that would be accepted, changed in one way. */
	private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
			.audience(TestIssuer.AUDIENCE)
			.subject("matrix")
			.issueTime(secondsFromNow(-5))
			.expirationTime(secondsFromNow(600))
			.claim("scope", "analytics:read")
			.claim("roles", List.of("analytics-admin"));
		return change.apply(claims).build();
	}

	private static Date secondsFromNow(long seconds) {
		return Date.from(Instant.now().plusSeconds(seconds));
	}

}
