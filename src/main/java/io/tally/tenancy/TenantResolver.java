package io.tally.tenancy;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.tally.graphql.BadRequestException;
import io.tally.graphql.ForbiddenException;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
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
	 * Decides the request's caller once, right after authentication.
	 * @param authentication the verified authentication
	 * @param requestedTenant the tenant header's value, or null when absent
	 * @return the decision, or null when the request carries no verified token
	 */
	public CallerDecision decide(Authentication authentication, String requestedTenant) {
		if (!(authentication instanceof TenantAuthentication token)) {
			return null;
		}
		String tenant = (requestedTenant != null && !requestedTenant.isBlank()) ? requestedTenant.trim() : null;
		Set<String> roles = token.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter(authority -> authority.startsWith(ClaimMapping.ROLE_PREFIX))
			.map(authority -> authority.substring(ClaimMapping.ROLE_PREFIX.length()))
			.collect(Collectors.toUnmodifiableSet());
		boolean admin = isAdmin(token);
		Predicate<String> mayRead = candidate -> (admin || token.tenants().contains(candidate))
				&& token.issuerMaySpeakFor(candidate);
		try {
			Caller caller = decide(token, admin, tenant);
			return new CallerDecision(token, roles, admin, tenant, caller, null, () -> {
			}, mayRead);
		}
		catch (Refusal refused) {
			return new CallerDecision(token, roles, admin, tenant, null, refused.exception, refused.audit, mayRead);
		}
	}

	private Caller decide(TenantAuthentication token, boolean admin, String tenant) {
		if (!hasAuthority(token, "SCOPE_" + this.properties.requiredScope())) {
			throw forbidden(token, tenant, "The token lacks the scope '" + this.properties.requiredScope()
					+ "' that reading reports requires");
		}
		if (admin && tenant == null) {
			throw new Refusal(new BadRequestException("Admins read any tenant, so the header '"
					+ this.properties.tenantHeader() + "' must name one"), () -> {
					});
		}
		if (!admin) {
			Set<String> allowed = token.tenants();
			if (tenant == null) {
				if (allowed.isEmpty()) {
					throw forbidden(token, null, "The token allows no tenant");
				}
				if (allowed.size() > 1) {
					// A choice left out is the caller's mistake, not a refusal; naming the choices fixes it.
					throw new Refusal(new BadRequestException("The token allows several tenants ("
							+ String.join(", ", new TreeSet<>(allowed)) + "); pick one with the header '"
							+ this.properties.tenantHeader() + "'"), () -> {
							});
				}
				tenant = allowed.iterator().next();
			}
			else if (!allowed.contains(tenant)) {
				throw forbidden(token, tenant, "The token may not read tenant '" + Audit.truncated(tenant) + "'");
			}
		}
		if (!token.issuerMaySpeakFor(tenant)) {
			throw forbidden(token, tenant, "The token's issuer may not speak for tenant '" + Audit.truncated(tenant) + "'");
		}
		return new Caller(token.getName(), tenant, admin);
	}

	private static Refusal forbidden(TenantAuthentication token, String tenant, String reason) {
		return new Refusal(new ForbiddenException(reason),
				() -> Audit.forbidden(token.getName(), token.issuer(), tenant, reason));
	}

	/** A decision against the caller, with the audit entry to write when it is raised. */
	private static final class Refusal extends RuntimeException {

		private final RuntimeException exception;

		private final transient Runnable audit;

		Refusal(RuntimeException exception, Runnable audit) {
			super(null, null, false, false);
			this.exception = exception;
			this.audit = audit;
		}

	}

	/** Whether the token holds the admin role; the admin operations' {@code @PreAuthorize} asks this. */
	public boolean isAdmin(Authentication token) {
		return hasAuthority(token, ClaimMapping.ROLE_PREFIX + this.properties.adminRole());
	}

	private static boolean hasAuthority(Authentication authentication, String authority) {
		return authentication.getAuthorities().stream().anyMatch(granted -> authority.equals(granted.getAuthority()));
	}

}
