package io.tally.tenancy;

import java.util.List;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * One issuer Tally trusts, whichever way it was configured: its exact {@code iss}, the audiences
 * its tokens must name, its keys, where its tokens keep tenants and roles, and which tenants it
 * may speak for.
 */
record TrustedIssuer(String issuer, List<String> audiences, JWKSource<SecurityContext> keys, ClaimMapping claims,
		AllowedTenants allowedTenants) {
}
