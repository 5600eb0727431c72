package io.tally.tenancy;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.util.StringUtils;

/**
 * Picks the authentication for a bearer token by its issuer. With {@code tally.tenancy.issuers}
 * each listed issuer has its own keys, audiences and claim names and any other issuer is refused;
 * without, the one issuer of {@code spring.security.oauth2.resourceserver.jwt.*} is trusted, or,
 * with no key-set URI there, the application's {@link JwtDecoder} (the demo's, or Spring Boot's
 * from the issuer's discovery document).
 */
final class TrustedIssuers {

	/** Asymmetric algorithms only: a token "signed" with HMAC over a public key must never verify. */
	private static final List<SignatureAlgorithm> ALGORITHMS = List.of(SignatureAlgorithm.RS256,
			SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384,
			SignatureAlgorithm.PS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);

	private TrustedIssuers() {
	}

	static AuthenticationManagerResolver<HttpServletRequest> resolver(TenancyProperties properties,
			OAuth2ResourceServerProperties.Jwt standard, JwtDecoder applicationDecoder) {
		if (!properties.issuers().isEmpty()) {
			Map<String, AuthenticationManager> managers = new LinkedHashMap<>();
			for (TenancyProperties.Issuer issuer : properties.issuers()) {
				JwtDecoder decoder = decoder(issuer.issuerUri(), issuer.jwkSetUri(), issuer.audiences(), properties);
				managers.put(issuer.issuerUri(), manager(decoder, ClaimMapping.of(issuer, properties)));
			}
			return new JwtIssuerAuthenticationManagerResolver(managers::get);
		}
		JwtDecoder decoder;
		if (standard != null && StringUtils.hasText(standard.getJwkSetUri())) {
			decoder = decoder(standard.getIssuerUri(), URI.create(standard.getJwkSetUri()), standard.getAudiences(),
					properties);
		}
		else if (applicationDecoder != null) {
			decoder = applicationDecoder;
		}
		else {
			throw new IllegalStateException("No token issuer is configured: set "
					+ "spring.security.oauth2.resourceserver.jwt.jwk-set-uri (and issuer-uri, audiences) "
					+ "or tally.tenancy.issuers");
		}
		AuthenticationManager manager = manager(decoder, ClaimMapping.of(properties));
		return request -> manager;
	}

	private static AuthenticationManager manager(JwtDecoder decoder, ClaimMapping mapping) {
		JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
		provider.setJwtAuthenticationConverter(mapping);
		return provider::authenticate;
	}

	private static JwtDecoder decoder(String issuerUri, URI jwkSetUri, List<String> audiences,
			TenancyProperties properties) {
		IssuerKeys keys = new IssuerKeys(jwkSetUri, properties);
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
			.jwsAlgorithms(algorithms -> algorithms.addAll(ALGORITHMS))
			.build();
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
		timestamps.setAllowEmptyExpiryClaim(false);
		validators.add(timestamps);
		if (StringUtils.hasText(issuerUri)) {
			validators.add(new JwtIssuerValidator(issuerUri));
		}
		if (audiences != null && !audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					audience -> audience != null && !Collections.disjoint(audience, audiences)));
		}
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		if (properties.rememberedTokens() == 0) {
			return decoder;
		}
		return new RememberedTokens(decoder, keys::holds, properties.jwkSetCacheTimeToLive(),
				properties.rememberedTokens(), Clock.systemUTC());
	}

}
