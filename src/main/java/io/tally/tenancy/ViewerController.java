package io.tally.tenancy;

import java.util.List;
import java.util.Set;

import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code viewer}: who is asking and which tenants it may read, so a portal can offer a tenant
 * choice and show the tenant's name and time zone. It reads no report, so it needs no scope.
 */
@Controller
class ViewerController {

	private final TenantResolver resolver;

	private final TenantDirectory directory;

	ViewerController(TenantResolver resolver, TenantDirectory directory) {
		this.resolver = resolver;
		this.directory = directory;
	}

	@QueryMapping
	Viewer viewer(@ContextValue(name = TenantHeaderInterceptor.REQUESTED_TENANT, required = false) String header) {
		TenantAuthentication token = this.resolver.authenticated();
		boolean admin = this.resolver.isAdmin(token);
		Set<String> named = token.tenants();
		List<Tenant> readable = this.directory.all()
			.stream()
			.filter(tenant -> (admin || named.contains(tenant.id())) && token.issuerMaySpeakFor(tenant.id()))
			.toList();
		String picked = (header != null && !header.isBlank()) ? header.trim()
				: (!admin && readable.size() == 1) ? readable.get(0).id() : null;
		Tenant current = readable.stream().filter(tenant -> tenant.id().equals(picked)).findFirst().orElse(null);
		return new Viewer(token.getName(), admin, readable, current);
	}

	/**
	 * The GraphQL {@code Viewer} type.
	 *
	 * @param subject the token's subject
	 * @param admin whether it holds the admin role
	 * @param tenants the tenants it may read
	 * @param tenant the tenant this request reads, if decided
	 */
	record Viewer(String subject, boolean admin, List<Tenant> tenants, Tenant tenant) {
	}

}
