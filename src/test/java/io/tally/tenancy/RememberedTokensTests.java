package io.tally.tenancy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each rule of remembering validated tokens, against a real key set served over loopback and
 * real RS256 signatures; only the clock is the test's, so expiry can be reached without waiting.
 */
class RememberedTokensTests {

	private final TestClock clock = new TestClock(Instant.parse("2026-11-29T03:00:00Z"));

	private final AtomicReference<JWKSet> published = new AtomicReference<>();

	private final AtomicInteger fullChecks = new AtomicInteger();

	private RSAKey key;

	private HttpServer server;

	private IssuerKeys keys;

	@BeforeEach
	void start() throws Exception {
		this.key = new RSAKeyGenerator(2048).keyID("key-1").generate();
		this.published.set(new JWKSet(this.key.toPublicJWK()));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/jwks.json", exchange -> {
			byte[] body = this.published.get().toString().getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
		URI jwks = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json");
		this.keys = new IssuerKeys("https://issuer.test", jwks, properties(Map.of("jwk-set-cache-time-to-live", "2s",
				"jwk-set-min-refresh-interval", "100ms")));
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void aRepeatedTokenIsCheckedOnce() {
		RememberedTokens tokens = remembered(Duration.ofMinutes(5), 100);
		String token = sign(this.key, this.clock.instant().plusSeconds(600));
		assertThat(tokens.decode(token).getSubject()).isEqualTo("user");
		assertThat(tokens.decode(token).getSubject()).isEqualTo("user");
		assertThat(this.fullChecks).hasValue(1);
	}

	@Test
	void aTokenIsForgottenAtItsExpiryAndThenRefused() {
		RememberedTokens tokens = remembered(Duration.ofMinutes(5), 100);
		String token = sign(this.key, this.clock.instant().plusSeconds(60));
		tokens.decode(token);
		this.clock.advance(Duration.ofSeconds(59));
		tokens.decode(token);
		assertThat(this.fullChecks).hasValue(1);
		this.clock.advance(Duration.ofSeconds(2));
		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> tokens.decode(token))
			.withMessageContaining("expired");
		assertThat(this.fullChecks).hasValue(2);
	}

	@Test
	void aTokenIsRememberedNoLongerThanTheKeySetTimeToLive() {
		RememberedTokens tokens = remembered(Duration.ofMinutes(5), 100);
		String token = sign(this.key, this.clock.instant().plusSeconds(3600));
		tokens.decode(token);
		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
		tokens.decode(token);
		assertThat(this.fullChecks).hasValue(1);
		this.clock.advance(Duration.ofSeconds(2));
		tokens.decode(token);
		assertThat(this.fullChecks).hasValue(2);
	}

	@Test
	void aTokenIsForgottenOnceTheFetchedKeySetNoLongerHoldsItsKid() throws Exception {
		RSAKey rotated = new RSAKeyGenerator(2048).keyID("key-2").generate();
		RememberedTokens tokens = remembered(Duration.ofMinutes(5), 100);
		String token = sign(this.key, this.clock.instant().plusSeconds(600));
		tokens.decode(token);
		this.published.set(new JWKSet(rotated.toPublicJWK()));
		// Until the cached key set expires, the old key still holds.
		tokens.decode(token);
		assertThat(this.fullChecks).hasValue(1);
		Thread.sleep(2_500);
		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> tokens.decode(token));
		assertThat(this.fullChecks).hasValue(2);
		assertThat(tokens.size()).isZero();
	}

	@Test
	void theNumberOfRememberedTokensIsBounded() {
		RememberedTokens tokens = remembered(Duration.ofMinutes(5), 3);
		for (int i = 0; i < 10; i++) {
			tokens.decode(sign(this.key, this.clock.instant().plusSeconds(600 + i)));
		}
		assertThat(tokens.size()).isLessThanOrEqualTo(3);
	}

	@Test
	void aTokenThatFailedIsCheckedInFullAgain() throws Exception {
		RememberedTokens tokens = remembered(Duration.ofMinutes(5), 100);
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("key-1").generate();
		String forged = sign(stranger, this.clock.instant().plusSeconds(600));
		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> tokens.decode(forged));
		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> tokens.decode(forged));
		assertThat(this.fullChecks).hasValue(2);
		assertThat(tokens.size()).isZero();
	}

	private RememberedTokens remembered(Duration maxLifetime, int maxTokens) {
		NimbusJwtDecoder nimbus = NimbusJwtDecoder.withJwkSource(this.keys).build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
		timestamps.setClock(this.clock);
		nimbus.setJwtValidator(timestamps);
		JwtDecoder counted = token -> {
			this.fullChecks.incrementAndGet();
			return nimbus.decode(token);
		};
		return new RememberedTokens(counted, (issuer, kid) -> this.keys.holds(kid), maxLifetime, maxTokens, this.clock);
	}

	private String sign(RSAKey signer, Instant expiresAt) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("user")
			.issueTime(java.util.Date.from(this.clock.instant()))
			.expirationTime(java.util.Date.from(expiresAt))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(signer));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static TenancyProperties properties(Map<String, String> values) {
		Map<String, String> prefixed = new java.util.HashMap<>();
		values.forEach((name, value) -> prefixed.put("tally.tenancy." + name, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("tally.tenancy",
				TenancyProperties.class);
	}

	/** A clock the test moves forward. */
	private static final class TestClock extends Clock {

		private final AtomicReference<Instant> now;

		TestClock(Instant start) {
			this.now = new AtomicReference<>(start);
		}

		void advance(Duration duration) {
			this.now.updateAndGet(instant -> instant.plus(duration));
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
