package io.tally.tenancy;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import graphql.schema.DataFetchingEnvironment;
import io.tally.graphql.BadRequestException;
import io.tally.graphql.ForbiddenException;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Decides which tenant a request reads, from the verified token only: an admin may read any
 * tenant, anyone else the tenants its token names. The {@code X-Tenant-Id} header picks one of
 * those; it is needed only when the token allows more than one.
 */
@Component
public class TenantResolver {

	private final TenancyProperties properties;

	TenantResolver(TenancyProperties properties) {
		this.properties = properties;
	}

	/**
	 * The caller for a report read, with the tenant header the request carried.
	 * @throws ForbiddenException when the token lacks the required scope or may not read the tenant
	 */
	public Caller resolve(DataFetchingEnvironment environment) {
		return resolve((String) environment.getGraphQlContext().get(TenantHeaderInterceptor.REQUESTED_TENANT));
	}

	/**
	 * The caller for a report read.
	 * @param requestedTenant the tenant header's value, or null when absent
	 * @throws ForbiddenException when the token lacks the required scope or may not read the tenant
	 * @throws BadRequestException when the token allows several tenants and the header picks none
	 */
	public Caller resolve(String requestedTenant) {
		TenantAuthentication token = currentToken();
		if (!hasAuthority(token, "SCOPE_" + this.properties.requiredScope())) {
			throw new ForbiddenException("The token lacks the scope '" + this.properties.requiredScope()
					+ "' that reading reports requires");
		}
		boolean admin = isAdmin(token);
		String tenant = (requestedTenant != null && !requestedTenant.isBlank()) ? requestedTenant.trim() : null;
		if (admin) {
			if (tenant == null) {
				throw new BadRequestException("Admins read any tenant, so the header '" + this.properties.tenantHeader()
						+ "' must name one");
			}
			return new Caller(token.getName(), tenant, true);
		}
		Set<String> allowed = token.tenants();
		if (tenant == null) {
			if (allowed.isEmpty()) {
				throw new ForbiddenException("The token allows no tenant");
			}
			if (allowed.size() > 1) {
				// A choice left out is the caller's mistake, not a refusal; naming the choices fixes it.
				throw new BadRequestException("The token allows several tenants (" + String.join(", ", new TreeSet<>(allowed))
						+ "); pick one with the header '" + this.properties.tenantHeader() + "'");
			}
			tenant = allowed.iterator().next();
		}
		else if (!allowed.contains(tenant)) {
			throw new ForbiddenException("The token may not read tenant '" + tenant + "'");
		}
		return new Caller(token.getName(), tenant, false);
	}

	/**
	 * The admin behind this request.
	 * @throws ForbiddenException when the caller is not an admin
	 */
	public String requireAdmin() {
		TenantAuthentication token = currentToken();
		if (!isAdmin(token)) {
			throw new ForbiddenException("Only the role '" + this.properties.adminRole() + "' may do this");
		}
		return token.getName();
	}

	/** Whether the current request's token holds the admin role; false without a token. */
	public boolean currentCallerIsAdmin() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication instanceof TenantAuthentication token && isAdmin(token);
	}

	/** When the current request's token expires; a live subscription ends then. */
	public Instant currentTokenExpiry() {
		Instant expiresAt = currentToken().getToken().getExpiresAt();
		return (expiresAt != null) ? expiresAt : Instant.MAX;
	}

	/** Whether the current request's token comes from an issuer held to trusted documents. */
	public boolean currentCallerLimitedToTrustedDocuments() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication instanceof TenantAuthentication token && token.trustedDocumentsOnly();
	}

	/** The current request's verified token. */
	TenantAuthentication authenticated() {
		return currentToken();
	}

	boolean isAdmin(Authentication token) {
		return hasAuthority(token, ClaimMapping.ROLE_PREFIX + this.properties.adminRole());
	}

	private static boolean hasAuthority(Authentication authentication, String authority) {
		return authentication.getAuthorities().stream().anyMatch(granted -> authority.equals(granted.getAuthority()));
	}

	private static TenantAuthentication currentToken() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof TenantAuthentication token) {
			return token;
		}
		throw new ForbiddenException("A bearer token is required");
	}

}
