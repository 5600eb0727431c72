package io.tally.tenancy;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Reads tenant and role claims exactly: one tenant is one string, a list is a JSON array of
 * strings, and each is one name. A value of any other shape is not guessed at (a space-separated
 * string could otherwise grant several tenants or roles) but makes the token invalid.
 */
final class ClaimValues {

	/** One tenant id or role: no whitespace or control characters, of sane length. */
	private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}]{1,200}");

	private ClaimValues() {
	}

	/** The one name in a claim that holds exactly one, or none when the claim is absent. */
	static List<String> single(Jwt jwt, String claim) {
		Object value = jwt.getClaims().get(claim);
		if (value == null) {
			return List.of();
		}
		if (value instanceof String name && NAME.matcher(name).matches()) {
			return List.of(name);
		}
		throw invalid(claim, "must be one name as a string", value);
	}

	/** The names in a claim that holds a JSON array of them, or none when the claim is absent. */
	static List<String> list(Jwt jwt, String claim) {
		Object value = jwt.getClaims().get(claim);
		if (value == null) {
			return List.of();
		}
		if (value instanceof Collection<?> values && values.stream()
			.allMatch(element -> element instanceof String name && NAME.matcher(name).matches())) {
			return values.stream().map(String.class::cast).toList();
		}
		throw invalid(claim, "must be an array of names as strings", value);
	}

	/** A claim that may hold one name as a string or several as an array, as roles do. */
	static List<String> singleOrList(Jwt jwt, String claim) {
		return (jwt.getClaims().get(claim) instanceof Collection<?>) ? list(jwt, claim) : single(jwt, claim);
	}

	private static MalformedClaimException invalid(String claim, String rule, Object value) {
		return new MalformedClaimException("Claim '" + claim + "' " + rule + ", not "
				+ Audit.truncated(String.valueOf(value)));
	}

	/** A tenant or role claim of the wrong shape; its details are for the security log only. */
	static final class MalformedClaimException extends InvalidBearerTokenException {

		MalformedClaimException(String reason) {
			super(reason);
		}

	}

}
