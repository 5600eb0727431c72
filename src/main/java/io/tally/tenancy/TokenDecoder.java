package io.tally.tenancy;

import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
 * per issuer ({@link RememberedTokens}) so a repeat skips the signature check.
 */
public final class TokenDecoder implements JwtDecoder {

	/** Asymmetric algorithms only: a token "signed" with HMAC over a public key must never verify. */
	private static final List<SignatureAlgorithm> ALGORITHMS = List.of(SignatureAlgorithm.RS256,
			SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384,
			SignatureAlgorithm.PS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);

	private final Map<String, JwtDecoder> decoders = new LinkedHashMap<>();

	TokenDecoder(TrustedIssuers issuers, TenancyProperties properties) {
		for (TrustedIssuer issuer : issuers.all()) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(issuer.keys())
				.jwsAlgorithms(algorithms -> algorithms.addAll(ALGORITHMS))
				.build();
			decoder.setJwtValidator(TokenPolicy.of(issuer.issuer(), issuer.audiences(), properties));
			this.decoders.put(issuer.issuer(), remembered(decoder, issuer, properties));
		}
	}

	/** Keys the application holds itself (the demo's) never rotate, so only fetched key sets are watched. */
	private static JwtDecoder remembered(JwtDecoder decoder, TrustedIssuer issuer, TenancyProperties properties) {
		if (properties.rememberedTokens() == 0) {
			return decoder;
		}
		Predicate<String> keySetHolds = (issuer.keys() instanceof IssuerKeys keys) ? keys::holds : kid -> true;
		return new RememberedTokens(decoder, keySetHolds, properties.jwkSetCacheTimeToLive(),
				properties.rememberedTokens(), Clock.systemUTC());
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		String issuer = unverifiedIssuer(token);
		JwtDecoder decoder = (issuer != null) ? this.decoders.get(issuer) : null;
		if (decoder == null) {
			throw new BadJwtException("The issuer '" + Audit.truncated(issuer) + "' is not trusted");
		}
		return decoder.decode(token);
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
