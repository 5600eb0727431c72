package io.tally.tenancy;

import java.util.function.Consumer;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Authenticates a bearer token: decoded and checked by the {@link JwtDecoder} (the
 * {@link TokenDecoder}, or a cache in front of it), then read with its issuer's claim names. Why
 * a token was refused goes to the security log through the request; of a malformed tenant or role
 * claim the caller learns only that, not which value was wrong.
 */
final class TokenAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

	/** Request attribute holding why a token was refused, with its issuer and kid, for {@link UnauthorizedAuditFilter}. */
	static final String REFUSAL = TokenAuthentication.class.getName() + ".refusal";

	private final JwtAuthenticationProvider provider;

	TokenAuthentication(JwtDecoder decoder, TrustedIssuers issuers) {
		this.provider = new JwtAuthenticationProvider(decoder);
		this.provider.setJwtAuthenticationConverter(jwt -> {
			TrustedIssuer issuer = issuers.find(jwt.getClaimAsString(JwtClaimNames.ISS));
			if (issuer == null) {
				throw new InvalidBearerTokenException("The token's issuer is not trusted");
			}
			return issuer.claims().authenticate(jwt, issuer.allowedTenants());
		});
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		return authentication -> authenticate(authentication, refusal -> request.setAttribute(REFUSAL, refusal));
	}

	/**
	 * Authenticates a token, handing why it was refused to {@code refused} before throwing: an HTTP
	 * request keeps it for the security log, a WebSocket connection logs it at once.
	 */
	Authentication authenticate(Authentication authentication, Consumer<Refusal> refused) {
		try {
			return this.provider.authenticate(authentication);
		}
		catch (AuthenticationException ex) {
			String token = (authentication instanceof BearerTokenAuthenticationToken bearer) ? bearer.getToken() : "";
			refused.accept(refusal(ex, token));
			if (ex instanceof ClaimValues.MalformedClaimException) {
				throw new InvalidBearerTokenException("The token's tenant or role claims are malformed");
			}
			throw ex;
		}
	}

	/** What the log may say about a refused token: the reason, and the unverified issuer and kid. */
	private static Refusal refusal(AuthenticationException ex, String token) {
		String issuer = null;
		String keyId = null;
		try {
			var jwt = JWTParser.parse(token);
			issuer = jwt.getJWTClaimsSet().getIssuer();
			if (jwt instanceof SignedJWT signed) {
				JWSHeader header = signed.getHeader();
				keyId = header.getKeyID();
			}
		}
		catch (Exception unreadable) {
			// The reason already says the token could not be read.
		}
		return new Refusal(ex.getMessage(), issuer, keyId);
	}

	/**
	 * Why a token was refused.
	 *
	 * @param reason what was wrong with it
	 * @param issuer its {@code iss}, unverified, or null
	 * @param keyId its {@code kid}, unverified, or null
	 */
	record Refusal(String reason, String issuer, String keyId) {
	}

}
