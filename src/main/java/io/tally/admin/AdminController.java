package io.tally.admin;

import java.security.Principal;
import java.util.List;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ReportRefresh;
import io.tally.graphql.BadRequestException;
import io.tally.tenancy.Tenant;
import io.tally.tenancy.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;

/**
 * What admins see and do: the tenants, each report's refresh state, and refreshing on demand.
 */
@Controller
class AdminController {

	/** Only the admin role, whatever {@code tally.tenancy.admin-role} names it. */
	private static final String ADMIN = "@tenantResolver.isAdmin(authentication)";

	private static final Logger audit = LoggerFactory.getLogger("io.tally.audit");

	private final TenantDirectory directory;

	private final ReportCatalog catalog;

	private final LedgerSnapshot ledger;

	private final ReportRefresh refresh;

	AdminController(TenantDirectory directory, ReportCatalog catalog, LedgerSnapshot ledger,
			ReportRefresh refresh) {
		this.directory = directory;
		this.catalog = catalog;
		this.ledger = ledger;
		this.refresh = refresh;
	}

	@QueryMapping
	@PreAuthorize(ADMIN)
	List<Tenant> tenants() {
		return this.directory.all();
	}

	@QueryMapping
	@PreAuthorize(ADMIN)
	List<ReportStatus> reportStatus() {
		return this.catalog.all()
			.stream()
			.map(report -> ReportStatus.of(report, this.ledger.status(report)))
			.toList();
	}

	@MutationMapping
	@PreAuthorize(ADMIN)
	ReportStatus refreshReport(@Argument String report, Principal caller) {
		String admin = caller.getName();
		ReportDefinition definition = this.catalog.find(report)
			.orElseThrow(() -> new BadRequestException("Argument 'report': there is no report '" + report
					+ "'; reports are " + String.join(", ", this.catalog.all().stream().map(ReportDefinition::field).toList())));
		audit.atInfo()
			.addKeyValue("event", "refresh-request")
			.addKeyValue("subject", admin)
			.addKeyValue("report", report)
			.log("Admin {} requested a refresh of {}", admin, report);
		return ReportStatus.of(definition, this.refresh.refreshNow(definition));
	}

}
