package io.tally.tenancy;

import java.io.IOException;
import java.util.Map;

import io.tally.graphql.JsonErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A 401 a browser can read: besides the standard {@code WWW-Authenticate} header (which a page on
 * another origin cannot see), a GraphQL-shaped JSON body saying why the token was refused. The
 * token itself is never repeated.
 */
class UnauthorizedResponse implements AuthenticationEntryPoint {

	/** What Spring Security puts before every decoding failure; it says nothing to a caller. */
	private static final String DECODE_PREFIX = "An error occurred while attempting to decode the Jwt: ";

	private final BearerTokenAuthenticationEntryPoint standard = new BearerTokenAuthenticationEntryPoint();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		this.standard.commence(request, response, failure);
		String token = bearerToken(request);
		String message = (token == null)
				? "A bearer token is required: send the header 'Authorization: Bearer <token>'"
				: "The bearer token was refused: " + reason(failure, token);
		JsonErrors.write(response, HttpStatus.UNAUTHORIZED, JsonErrors.body("UNAUTHORIZED", message,
				Map.of("error", (token == null) ? "missing_token" : "invalid_token")));
	}

	private static String reason(AuthenticationException failure, String token) {
		String reason = (failure.getMessage() != null) ? failure.getMessage() : "it could not be verified";
		if (reason.startsWith(DECODE_PREFIX)) {
			reason = reason.substring(DECODE_PREFIX.length());
		}
		// Decoders may quote what they were given; a token must never come back in a response.
		return reason.replace(token, "<token>");
	}

	private static String bearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
			return null;
		}
		return header.substring(7).trim();
	}

}
