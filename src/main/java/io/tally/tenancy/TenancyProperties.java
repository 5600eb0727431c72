package io.tally.tenancy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which token issuers Tally trusts and how a verified token says which tenants its bearer may
 * read.
 *
 * @param tenantClaim The claim naming the one tenant a token may read
 * @param tenantsClaim The claim listing the tenants a token may read, for partners serving several
 * @param rolesClaim The claim listing the bearer's roles
 * @param adminRole The role that may read any tenant and administer reports
 * @param requiredScope The scope every report read requires
 * @param tenantHeader The HTTP header a caller picks its tenant with
 * @param issuers The trusted issuers, each with its own keys, audiences and claims; when empty, the
 * one issuer of {@code spring.security.oauth2.resourceserver.jwt.*} with the claims above
 * @param clockSkew How far a token's {@code exp} and {@code nbf} may be off the clock
 * @param jwkSetCacheTimeToLive How long a fetched key set is used before it is fetched again
 * @param jwkSetMinRefreshInterval The shortest time between two key-set fetches, so a flood of
 * tokens naming unknown keys cannot turn into a flood of fetches
 * @param rememberedTokens How many validated tokens are remembered (until their expiry, at most the
 * key-set time-to-live) so a repeated token skips the signature check; 0 checks every request
 * @param maxTokenLifetime The longest a token may be valid, from its {@code nbf} (or {@code iat})
 * to its {@code exp}, so a leaked token cannot be used for years
 */
@Validated
@ConfigurationProperties("tally.tenancy")
public record TenancyProperties(@DefaultValue("tenant_id") @NotBlank String tenantClaim,
		@DefaultValue("tenant_ids") @NotBlank String tenantsClaim, @DefaultValue("roles") @NotBlank String rolesClaim,
		@DefaultValue("analytics-admin") @NotBlank String adminRole,
		@DefaultValue("analytics:read") @NotBlank String requiredScope,
		@DefaultValue("X-Tenant-Id") @NotBlank String tenantHeader, @DefaultValue List<@Valid Issuer> issuers,
		@DefaultValue("60s") @NotNull Duration clockSkew, @DefaultValue("5m") @NotNull Duration jwkSetCacheTimeToLive,
		@DefaultValue("30s") @NotNull Duration jwkSetMinRefreshInterval,
		@DefaultValue("10000") @PositiveOrZero int rememberedTokens,
		@DefaultValue("24h") @NotNull Duration maxTokenLifetime) {

	/**
	 * One trusted token issuer, for example the company's identity provider or a partner's.
	 *
	 * @param issuerUri The exact {@code iss} of its tokens
	 * @param jwkSetUri Where its public keys are published; null finds them through the issuer's
	 * discovery document
	 * @param audiences The audiences a token must name one of; required
	 * @param tenantClaim The claim naming the one tenant; null uses {@code tally.tenancy.tenant-claim}
	 * @param tenantsClaim The claim listing tenants; null uses {@code tally.tenancy.tenants-claim}
	 * @param rolesClaim The claim listing roles; null uses {@code tally.tenancy.roles-claim}, blank
	 * gives its tokens no roles, so a partner's issuer can never make an admin
	 * @param allowedTenants The tenants this issuer may speak for: names, or patterns with {@code *}
	 * ({@code partner-a-*}, or {@code *} for every tenant); required, so no issuer speaks for
	 * tenants by omission
	 * @param trustedDocumentsOnly Whether its tokens may send only trusted documents (registered at
	 * start-up, sent by id or text), so a partner runs only the operations it was built with
	 */
	public record Issuer(String issuerUri, URI jwkSetUri, @DefaultValue List<String> audiences, String tenantClaim,
			String tenantsClaim, String rolesClaim, @DefaultValue List<String> allowedTenants,
			@DefaultValue("false") boolean trustedDocumentsOnly) {
	}

}
