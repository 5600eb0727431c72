package io.tally.tenancy;

import java.util.Collection;
import java.util.List;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Reads a claim that identity providers write either as one string, a space-separated string or
 * a JSON array, as a list of strings.
 */
final class ClaimValues {

	private ClaimValues() {
	}

	static List<String> strings(Jwt jwt, String claim) {
		Object value = jwt.getClaim(claim);
		if (value instanceof Collection<?> values) {
			return values.stream().map(String::valueOf).filter(s -> !s.isBlank()).toList();
		}
		if (value instanceof String string && !string.isBlank()) {
			return List.of(string.trim().split("\\s+"));
		}
		return List.of();
	}

}
