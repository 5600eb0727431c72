package io.tally.tenancy;

import java.util.Collection;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A verified token with the tenants it may read, read with its own issuer's claim names, so the
 * rest of Tally never needs to know which issuer names its claims how.
 */
class TenantAuthentication extends JwtAuthenticationToken {

	private final Set<String> tenants;

	private final AllowedTenants allowed;

	private final boolean trustedDocumentsOnly;

	TenantAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities, Set<String> tenants,
			AllowedTenants allowed, boolean trustedDocumentsOnly) {
		super(jwt, authorities, jwt.getSubject());
		this.tenants = Set.copyOf(tenants);
		this.allowed = allowed;
		this.trustedDocumentsOnly = trustedDocumentsOnly;
	}

	/** Whether the token's issuer may send only trusted documents. */
	boolean trustedDocumentsOnly() {
		return this.trustedDocumentsOnly;
	}

	/** The tenants the token names; an admin may read others too. */
	Set<String> tenants() {
		return this.tenants;
	}

	/** Whether the token's issuer may speak for the tenant at all, whatever the token names. */
	boolean issuerMaySpeakFor(String tenant) {
		return this.allowed.allows(tenant);
	}

	String issuer() {
		return getToken().getClaimAsString(JwtClaimNames.ISS);
	}

}
