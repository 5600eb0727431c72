package io.tally.tenancy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates the bearer token a client sends with a WebSocket's {@code connection_init} (a
 * browser cannot set headers on a WebSocket), exactly as an HTTP request's: the same decoder and
 * every trusted issuer. A refused token is written to the security log like a 401.
 */
public final class ConnectionTokens {

	private static final Pattern BEARER = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9\\-._~+/]+=*)$",
			Pattern.CASE_INSENSITIVE);

	private final TokenAuthentication authentication;

	ConnectionTokens(TokenAuthentication authentication) {
		this.authentication = authentication;
	}

	/**
	 * The verified caller of an {@code Authorization} value such as {@code Bearer eyJ…}.
	 * @param authorization the value, or null when the client sent none
	 * @throws org.springframework.security.core.AuthenticationException when it holds no valid token
	 */
	public Authentication authenticate(String authorization) {
		if (authorization == null) {
			Audit.unauthorized("No bearer token", null, null);
			throw new InvalidBearerTokenException("No bearer token");
		}
		Matcher bearer = BEARER.matcher(authorization.trim());
		if (!bearer.matches()) {
			Audit.unauthorized("The Authorization value holds no bearer token", null, null);
			throw new InvalidBearerTokenException("The Authorization value holds no bearer token");
		}
		return this.authentication.authenticate(new BearerTokenAuthenticationToken(bearer.group("token")),
				refusal -> Audit.unauthorized(refusal.reason(), refusal.issuer(), refusal.keyId()));
	}

}
