package io.tally.tenancy;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import graphql.schema.DataFetchingEnvironment;
import io.tally.graphql.BadRequestException;
import io.tally.graphql.ForbiddenException;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
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
		return decide(currentToken(), requestedTenant, true);
	}

	private Caller decide(TenantAuthentication token, String requestedTenant, boolean audited) {
		String tenant = (requestedTenant != null && !requestedTenant.isBlank()) ? requestedTenant.trim() : null;
		if (!hasAuthority(token, "SCOPE_" + this.properties.requiredScope())) {
			throw forbidden(audited, token, tenant, "The token lacks the scope '" + this.properties.requiredScope()
					+ "' that reading reports requires");
		}
		boolean admin = isAdmin(token);
		if (admin && tenant == null) {
			throw new BadRequestException("Admins read any tenant, so the header '" + this.properties.tenantHeader()
					+ "' must name one");
		}
		if (!admin) {
			Set<String> allowed = token.tenants();
			if (tenant == null) {
				if (allowed.isEmpty()) {
					throw forbidden(audited, token, null, "The token allows no tenant");
				}
				if (allowed.size() > 1) {
					// A choice left out is the caller's mistake, not a refusal; naming the choices fixes it.
					throw new BadRequestException("The token allows several tenants ("
							+ String.join(", ", new TreeSet<>(allowed)) + "); pick one with the header '"
							+ this.properties.tenantHeader() + "'");
				}
				tenant = allowed.iterator().next();
			}
			else if (!allowed.contains(tenant)) {
				throw forbidden(audited, token, tenant, "The token may not read tenant '" + Audit.truncated(tenant) + "'");
			}
		}
		if (!token.issuerMaySpeakFor(tenant)) {
			throw forbidden(audited, token, tenant, "The token's issuer may not speak for tenant '" + Audit.truncated(tenant) + "'");
		}
		return new Caller(token.getName(), tenant, admin);
	}

	private static ForbiddenException forbidden(boolean audited, TenantAuthentication token, String tenant,
			String reason) {
		if (audited) {
			Audit.forbidden(token.getName(), token.issuer(), tenant, reason);
		}
		return new ForbiddenException(reason);
	}

	/**
	 * The caller for the current request as {@link #resolve(String)} would decide it, or empty
	 * where that would refuse; nothing is logged, for callers that only look ahead (a cache of
	 * answers) and leave the refusal to the field.
	 * @param requestedTenant the tenant header's value, or null when absent
	 */
	public Optional<Caller> lookAhead(String requestedTenant) {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof TenantAuthentication token)) {
			return Optional.empty();
		}
		try {
			return Optional.of(decide(token, requestedTenant, false));
		}
		catch (RuntimeException refused) {
			return Optional.empty();
		}
	}

	/**
	 * Who sends the current request and which tenant it reads, for limits that apply before any
	 * field runs; nothing is refused or logged here, {@link #resolve} does that per field.
	 * @param requestedTenant the tenant header's value, or null when absent
	 * @return empty without a verified token
	 */
	public Optional<Requester> requester(String requestedTenant) {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof TenantAuthentication token)) {
			return Optional.empty();
		}
		String tenant = lookAhead(requestedTenant).map(Caller::tenantId).orElse(null);
		Set<String> roles = token.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter(authority -> authority.startsWith(ClaimMapping.ROLE_PREFIX))
			.map(authority -> authority.substring(ClaimMapping.ROLE_PREFIX.length()))
			.collect(Collectors.toUnmodifiableSet());
		return Optional.of(new Requester(tenant, token.getName(), token.issuer(), roles));
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
