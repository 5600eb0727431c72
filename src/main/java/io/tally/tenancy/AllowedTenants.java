package io.tally.tenancy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The tenants one issuer may speak for, from {@code tally.tenancy.issuers[n].allowed-tenants}:
 * exact names, or patterns where {@code *} stands for any run of characters. A token naming a
 * tenant outside them reads nothing of it, whatever its claims or roles say.
 *
 * @param patterns the names and patterns as configured
 * @param compiled the same as regular expressions
 */
record AllowedTenants(List<String> patterns, List<Pattern> compiled) {

	/** Every tenant: the company's own issuer, configured through Spring Boot's properties. */
	static final AllowedTenants ALL = of(List.of("*"));

	static AllowedTenants of(List<String> patterns) {
		return new AllowedTenants(List.copyOf(patterns), patterns.stream().map(AllowedTenants::glob).toList());
	}

	boolean allows(String tenant) {
		return this.compiled.stream().anyMatch(pattern -> pattern.matcher(tenant).matches());
	}

	private static Pattern glob(String pattern) {
		String[] literals = pattern.trim().split("\\*", -1);
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < literals.length; i++) {
			regex.append((i > 0) ? ".*" : "").append(Pattern.quote(literals[i]));
		}
		return Pattern.compile(regex.toString());
	}

}
