package io.tally.tenancy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Start-up refuses every configuration that would trust more than it names: an issuer without its
 * exact {@code iss}, without audiences, or a listed issuer without the tenants it may speak for.
 */
class TrustedIssuersTests {

	private static final String STANDARD = "spring.security.oauth2.resourceserver.jwt.";

	@Test
	void refusesAKeySetUriWithoutAnIssuer() {
		OAuth2ResourceServerProperties.Jwt jwt = standard(null, "http://127.0.0.1:1/jwks.json", List.of("tally"));

		assertThatIllegalStateException().isThrownBy(() -> TrustedIssuers.of(properties(List.of()), jwt, null))
			.withMessageContaining(STANDARD + "issuer-uri");
	}

	@Test
	void refusesAnIssuerWithoutAudiences() {
		OAuth2ResourceServerProperties.Jwt jwt = standard("https://id.example", null, List.of());

		assertThatIllegalStateException().isThrownBy(() -> TrustedIssuers.of(properties(List.of()), jwt, null))
			.withMessageContaining(STANDARD + "audiences");
	}

	@Test
	void refusesAListedIssuerWithoutItsIssuerUri() {
		TenancyProperties properties = properties(List.of(issuer(null, List.of("tally"), List.of("*"))));

		assertThatIllegalStateException().isThrownBy(() -> TrustedIssuers.of(properties, null, null))
			.withMessageContaining("tally.tenancy.issuers[0].issuer-uri");
	}

	@Test
	void refusesAListedIssuerWithoutAudiences() {
		TenancyProperties properties = properties(
				List.of(issuer("https://a.example", List.of("tally"), List.of("*")), issuer("https://b.example", List.of(), List.of("b-*"))));

		assertThatIllegalStateException().isThrownBy(() -> TrustedIssuers.of(properties, null, null))
			.withMessageContaining("tally.tenancy.issuers[1].audiences");
	}

	@Test
	void refusesAPartnerIssuerWithoutTheTenantsItMaySpeakFor() {
		TenancyProperties properties = properties(List.of(issuer("https://partner.example", List.of("tally"), List.of())));

		assertThatIllegalStateException().isThrownBy(() -> TrustedIssuers.of(properties, null, null))
			.withMessageContaining("tally.tenancy.issuers[0].allowed-tenants");
	}

	@Test
	void refusesToStartWithNoIssuerAtAll() {
		assertThatIllegalStateException().isThrownBy(() -> TrustedIssuers.of(properties(List.of()), new OAuth2ResourceServerProperties.Jwt(), null))
			.withMessageContaining(STANDARD + "issuer-uri")
			.withMessageContaining("tally.tenancy.issuers");
	}

	@Test
	void trustsAnIssuerUriAloneThroughDiscovery() {
		TrustedIssuers issuers = TrustedIssuers.of(properties(List.of()), standard("https://id.example", null, List.of("tally")), null);

		assertThat(issuers.find("https://id.example")).isNotNull();
		assertThat(issuers.find("https://id.example/")).as("the issuer is matched exactly").isNull();
	}

	@Test
	void readsAllowedTenantsAsNamesOrPatterns() {
		AllowedTenants allowed = AllowedTenants.of(List.of("acme", "partner-*"));

		assertThat(allowed.allows("acme")).isTrue();
		assertThat(allowed.allows("partner-north")).isTrue();
		assertThat(allowed.allows("acme-2")).isFalse();
		assertThat(allowed.allows("other-partner-x")).isFalse();
		assertThat(AllowedTenants.of(List.of("a.c")).allows("abc")).as("a dot is a dot").isFalse();
	}

	private static OAuth2ResourceServerProperties.Jwt standard(String issuer, String jwkSetUri, List<String> audiences) {
		OAuth2ResourceServerProperties.Jwt jwt = new OAuth2ResourceServerProperties.Jwt();
		jwt.setIssuerUri(issuer);
		jwt.setJwkSetUri(jwkSetUri);
		jwt.setAudiences(audiences);
		return jwt;
	}

	private static TenancyProperties.Issuer issuer(String issuerUri, List<String> audiences, List<String> tenants) {
		return new TenancyProperties.Issuer(issuerUri, URI.create("http://127.0.0.1:1/jwks.json"), audiences, null, null,
				null, tenants, false);
	}

	/** The defaults, with these issuers. */
	private static TenancyProperties properties(List<TenancyProperties.Issuer> issuers) {
		TenancyProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("tally.tenancy", TenancyProperties.class);
		return new TenancyProperties(defaults.tenantClaim(), defaults.tenantsClaim(), defaults.rolesClaim(),
				defaults.adminRole(), defaults.requiredScope(), defaults.tenantHeader(), issuers, defaults.clockSkew(),
				defaults.jwkSetCacheTimeToLive(), defaults.jwkSetMinRefreshInterval(), defaults.rememberedTokens(),
				defaults.maxTokenLifetime());
	}

}
