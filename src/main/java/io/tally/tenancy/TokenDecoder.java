package io.tally.tenancy;

import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Tally's one way into a bearer token: picks the trusted issuer named by the token's
 * {@code iss}, verifies the signature with that issuer's keys and applies the
 * {@link TokenPolicy}. Every configuration goes through here; a token that passed is remembered
 * ({@link RememberedTokens}) so a repeat skips the parse and the signature check.
 */
public final class TokenDecoder implements JwtDecoder {

	/** Asymmetric algorithms only: a token "signed" with HMAC over a public key must never verify. */
	private static final List<SignatureAlgorithm> ALGORITHMS = List.of(SignatureAlgorithm.RS256,
			SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384,
			SignatureAlgorithm.PS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);

	private final Map<String, JwtDecoder> decoders = new LinkedHashMap<>();

	/** Key sets Tally fetches, by issuer; keys the application holds itself (the demo's) never rotate. */
	private final Map<String, IssuerKeys> fetchedKeys = new LinkedHashMap<>();

	/** A token seen before skips even the parse that finds its issuer; otherwise {@link #verify}. */
	private final JwtDecoder front;

	TokenDecoder(TrustedIssuers issuers, TenancyProperties properties) {
		for (TrustedIssuer issuer : issuers.all()) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(issuer.keys())
				.jwsAlgorithms(algorithms -> algorithms.addAll(ALGORITHMS))
				.build();
			decoder.setJwtValidator(TokenPolicy.of(issuer.issuer(), issuer.audiences(), properties));
			this.decoders.put(issuer.issuer(), decoder);
			if (issuer.keys() instanceof IssuerKeys keys) {
				this.fetchedKeys.put(issuer.issuer(), keys);
			}
		}
		this.front = (properties.rememberedTokens() == 0) ? this::verify
				: new RememberedTokens(this::verify, this::keySetHolds, properties.jwkSetCacheTimeToLive(),
						properties.rememberedTokens(), Clock.systemUTC());
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		return this.front.decode(token);
	}

	/** The whole check: the issuer named by the token, its keys, its signature, the token policy. */
	private Jwt verify(String token) {
		String issuer = unverifiedIssuer(token);
		JwtDecoder decoder = (issuer != null) ? this.decoders.get(issuer) : null;
		if (decoder == null) {
			throw new BadJwtException("The issuer '" + Audit.truncated(issuer) + "' is not trusted");
		}
		return decoder.decode(token);
	}

	private boolean keySetHolds(String issuer, String kid) {
		IssuerKeys keys = this.fetchedKeys.get(issuer);
		return keys == null || keys.holds(kid);
	}

	/** Only to pick the issuer's keys; nothing in the token is believed before its signature is checked. */
	private static String unverifiedIssuer(String token) {
		try {
			return JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (ParseException | RuntimeException ex) {
			throw new BadJwtException("The token is not a well-formed JWT: " + ex.getMessage(), ex);
		}
	}

}
