package io.tally.tenancy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * Where one issuer's tokens keep their tenants and roles. Scopes become {@code SCOPE_x}
 * authorities as usual, roles {@code ROLE_x}.
 *
 * @param tenantClaim the claim naming the one tenant
 * @param tenantsClaim the claim listing several tenants
 * @param rolesClaim the claim listing roles, or blank when this issuer may grant none
 * @param trustedDocumentsOnly whether this issuer's tokens may send only trusted documents
 */
record ClaimMapping(String tenantClaim, String tenantsClaim, String rolesClaim, boolean trustedDocumentsOnly) {

	/** Prefix of the authorities made from the roles claim. */
	static final String ROLE_PREFIX = "ROLE_";

	private static final JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();

	static ClaimMapping of(TenancyProperties properties) {
		return new ClaimMapping(properties.tenantClaim(), properties.tenantsClaim(), properties.rolesClaim(), false);
	}

	static ClaimMapping of(TenancyProperties.Issuer issuer, TenancyProperties defaults) {
		return new ClaimMapping(orElse(issuer.tenantClaim(), defaults.tenantClaim()),
				orElse(issuer.tenantsClaim(), defaults.tenantsClaim()), orElse(issuer.rolesClaim(), defaults.rolesClaim()),
				issuer.trustedDocumentsOnly());
	}

	/**
	 * @throws org.springframework.security.oauth2.server.resource.InvalidBearerTokenException when a
	 * tenant or role claim does not have its exact shape
	 */
	TenantAuthentication authenticate(Jwt jwt, AllowedTenants allowed) {
		Collection<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(jwt));
		if (!this.rolesClaim.isBlank()) {
			ClaimValues.singleOrList(jwt, this.rolesClaim)
				.forEach(role -> authorities.add(new SimpleGrantedAuthority(ROLE_PREFIX + role)));
		}
		Set<String> tenants = new LinkedHashSet<>(ClaimValues.single(jwt, this.tenantClaim));
		tenants.addAll(ClaimValues.list(jwt, this.tenantsClaim));
		return new TenantAuthentication(jwt, authorities, tenants, allowed, this.trustedDocumentsOnly);
	}

	private static String orElse(String value, String fallback) {
		return (value != null) ? value.trim() : fallback;
	}

}
