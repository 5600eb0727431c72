package io.tally.tenancy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.util.StringUtils;

/**
 * The issuers Tally trusts, from whichever configuration names them, checked at start-up so a
 * missing issuer, audience or tenant list stops Tally naming the property rather than trusting
 * more than meant. With {@code tally.tenancy.issuers} each listed issuer is trusted; without,
 * the one issuer of {@code spring.security.oauth2.resourceserver.jwt.*}; without either, the
 * application's own (the demo's).
 */
final class TrustedIssuers {

	private static final String STANDARD = "spring.security.oauth2.resourceserver.jwt.";

	private final Map<String, TrustedIssuer> byIssuer = new LinkedHashMap<>();

	private TrustedIssuers(List<TrustedIssuer> issuers) {
		issuers.forEach(issuer -> this.byIssuer.put(issuer.issuer(), issuer));
	}

	Collection<TrustedIssuer> all() {
		return this.byIssuer.values();
	}

	/** The trusted issuer of that exact {@code iss}, or null. */
	TrustedIssuer find(String issuer) {
		return (issuer != null) ? this.byIssuer.get(issuer) : null;
	}

	static TrustedIssuers of(TenancyProperties properties, OAuth2ResourceServerProperties.Jwt standard,
			ApplicationIssuer application) {
		if (!properties.issuers().isEmpty()) {
			List<TrustedIssuer> issuers = new ArrayList<>();
			for (int i = 0; i < properties.issuers().size(); i++) {
				issuers.add(listed(properties.issuers().get(i), "tally.tenancy.issuers[" + i + "].", properties));
			}
			return new TrustedIssuers(issuers);
		}
		if (standard != null && (StringUtils.hasText(standard.getIssuerUri())
				|| StringUtils.hasText(standard.getJwkSetUri()) || !standard.getAudiences().isEmpty())) {
			String issuer = required(standard.getIssuerUri(), STANDARD + "issuer-uri");
			List<String> audiences = required(standard.getAudiences(), STANDARD + "audiences");
			URI jwkSetUri = StringUtils.hasText(standard.getJwkSetUri()) ? URI.create(standard.getJwkSetUri()) : null;
			return new TrustedIssuers(List.of(new TrustedIssuer(issuer, audiences,
					new IssuerKeys(issuer, jwkSetUri, properties), ClaimMapping.of(properties), AllowedTenants.ALL)));
		}
		if (application != null) {
			return new TrustedIssuers(List.of(new TrustedIssuer(application.issuer(), application.audiences(),
					application.keys(), ClaimMapping.of(properties), AllowedTenants.ALL)));
		}
		throw new IllegalStateException("No token issuer is configured: set " + STANDARD + "issuer-uri and "
				+ STANDARD + "audiences (and optionally jwk-set-uri), or tally.tenancy.issuers[n].*");
	}

	private static TrustedIssuer listed(TenancyProperties.Issuer issuer, String prefix, TenancyProperties properties) {
		String issuerUri = required(issuer.issuerUri(), prefix + "issuer-uri");
		List<String> audiences = required(issuer.audiences(), prefix + "audiences");
		List<String> tenants = required(issuer.allowedTenants(), prefix + "allowed-tenants");
		return new TrustedIssuer(issuerUri, audiences, new IssuerKeys(issuerUri, issuer.jwkSetUri(), properties),
				ClaimMapping.of(issuer, properties), AllowedTenants.of(tenants));
	}

	private static String required(String value, String property) {
		if (!StringUtils.hasText(value)) {
			throw new IllegalStateException(property + " is required: the exact 'iss' of the issuer's tokens");
		}
		return value.trim();
	}

	private static List<String> required(List<String> values, String property) {
		List<String> present = (values != null) ? values.stream().filter(StringUtils::hasText).toList() : List.of();
		if (present.isEmpty()) {
			throw new IllegalStateException(property + " is required: "
					+ (property.endsWith("audiences") ? "the audiences a token must name one of"
							: "the tenants this issuer may speak for (names or patterns; '*' for all)"));
		}
		return present;
	}

}
