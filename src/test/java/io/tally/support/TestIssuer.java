package io.tally.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The one identity provider of the tests: an RSA key whose JWKS is served over HTTP on loopback,
 * so Tally fetches and checks keys exactly as it does in production, and real signed tokens.
 * {@link #get()} is the company's issuer every test trusts; {@link #another(String)} starts a
 * further one, such as a partner's, with its own key and key set.
 */
public final class TestIssuer {

	public static final String ISSUER = "https://issuer.test";

	public static final String AUDIENCE = "tally";

	private static TestIssuer instance;

	private final String issuer;

	private final RSAKey key;

	private final NimbusJwtEncoder encoder;

	private final String jwksUri;

	private final String discoveryIssuer;

	private final AtomicInteger jwksFetches = new AtomicInteger();

	private TestIssuer(String issuer) throws JOSEException, IOException {
		this.issuer = issuer;
		this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(this.key)));
		byte[] jwks = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/jwks.json", exchange -> {
			this.jwksFetches.incrementAndGet();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(jwks);
			}
		});
		server.createContext("/.well-known/openid-configuration", exchange -> {
			String base = "http://127.0.0.1:" + exchange.getLocalAddress().getPort();
			byte[] metadata = ("{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/jwks.json\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, metadata.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(metadata);
			}
		});
		server.setExecutor(null);
		server.start();
		this.discoveryIssuer = "http://127.0.0.1:" + server.getAddress().getPort();
		this.jwksUri = this.discoveryIssuer + "/jwks.json";
	}

	public static synchronized TestIssuer get() {
		if (instance == null) {
			instance = another(ISSUER);
		}
		return instance;
	}

	/** Another issuer, with its own key served at its own JWKS address. */
	public static TestIssuer another(String issuer) {
		try {
			return new TestIssuer(issuer);
		}
		catch (JOSEException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String issuer() {
		return this.issuer;
	}

	public String jwksUri() {
		return this.jwksUri;
	}

	/**
	 * The same keys under an issuer URL that serves an OpenID discovery document naming them, for
	 * configurations that give only an issuer URI.
	 */
	public String discoveryIssuer() {
		return this.discoveryIssuer;
	}

	/** How often the key set has been fetched since the issuer started. */
	public int jwksFetches() {
		return this.jwksFetches.get();
	}

	/** The issuer's key pair, for tests that forge tokens from its public half. */
	public RSAKey key() {
		return this.key;
	}

	/**
	 * Signs arbitrary claims with the issuer's real key, under any key id, for tests that need a
	 * header or claim set no well-behaved issuer would produce.
	 */
	public String sign(String keyId, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
			jwt.sign(new RSASSASigner(this.key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Signs arbitrary claims with the issuer's real key and key id, under a header {@code typ}. */
	public String signTyped(String type, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID())
				.type(new JOSEObjectType(type))
				.build(), claims);
			jwt.sign(new RSASSASigner(this.key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Signs arbitrary claims with the issuer's real key and key id. */
	public String sign(JWTClaimsSet claims) {
		return sign(this.key.getKeyID(), claims);
	}

	/** A portal user's token for one tenant. */
	public String tenantUser(String tenant) {
		return token("user@" + tenant, Map.of("tenant_id", tenant, "scope", "analytics:read"));
	}

	/** A partner's token for several tenants. */
	public String partner(String... tenants) {
		return token("partner", Map.of("tenant_ids", List.of(tenants), "scope", "analytics:read"));
	}

	public String admin() {
		return token("admin", Map.of("roles", List.of("analytics-admin"), "scope", "analytics:read"));
	}

	public String token(String subject, Map<String, Object> claims) {
		return token(subject, claims, this.issuer, Instant.now().plus(Duration.ofMinutes(10)));
	}

	/** A token for other audiences than Tally's default, valid ten minutes. */
	public String token(String subject, Map<String, Object> claims, List<String> audiences) {
		return token(subject, claims, this.issuer, Instant.now().plus(Duration.ofMinutes(10)), audiences);
	}

	public String token(String subject, Map<String, Object> claims, String issuer, Instant expiresAt) {
		return token(subject, claims, issuer, expiresAt, List.of(AUDIENCE));
	}

	private String token(String subject, Map<String, Object> claims, String issuer, Instant expiresAt,
			List<String> audiences) {
		JwtClaimsSet.Builder builder = JwtClaimsSet.builder()
			.issuer(issuer)
			.audience(audiences)
			.subject(subject)
			.issuedAt(expiresAt.isBefore(Instant.now()) ? expiresAt.minusSeconds(600) : Instant.now().minusSeconds(5))
			.expiresAt(expiresAt);
		claims.forEach(builder::claim);
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(this.key.getKeyID()).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, builder.build())).getTokenValue();
	}

}
