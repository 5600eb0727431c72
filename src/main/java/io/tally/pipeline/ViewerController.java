package io.tally.pipeline;

import java.util.List;

import io.tally.tenancy.CallerDecision;
import io.tally.tenancy.Tenant;
import io.tally.tenancy.TenantDirectory;

import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code viewer}: who is asking and which tenants it may read, so a portal can offer a tenant
 * choice and show the tenant's name and time zone; read from the request context, as every step
 * reads the caller. It reads no report, so it needs no scope; it names the caller, so its answer
 * is never kept for anyone else (see {@link DocumentPlan#keepable()}).
 */
@Controller
class ViewerController {

	private final TenantDirectory directory;

	ViewerController(TenantDirectory directory) {
		this.directory = directory;
	}

	@QueryMapping
	Viewer viewer(@ContextValue(name = RequestContext.ATTRIBUTE) RequestContext context) {
		CallerDecision caller = context.caller();
		List<Tenant> readable = this.directory.all().stream().filter(tenant -> caller.mayRead(tenant.id())).toList();
		String header = caller.requestedTenant();
		String picked = (header != null) ? header
				: (!caller.admin() && readable.size() == 1) ? readable.get(0).id() : null;
		Tenant current = readable.stream().filter(tenant -> tenant.id().equals(picked)).findFirst().orElse(null);
		return new Viewer(caller.subject(), caller.admin(), readable, current);
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
