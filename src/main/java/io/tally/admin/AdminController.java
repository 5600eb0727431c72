package io.tally.admin;

import java.util.List;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ReportRefresh;
import io.tally.graphql.BadRequestException;
import io.tally.tenancy.Tenant;
import io.tally.tenancy.TenantDirectory;
import io.tally.tenancy.TenantResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * What admins see and do: the tenants, each report's refresh state, and refreshing on demand.
 */
@Controller
class AdminController {

	private static final Logger audit = LoggerFactory.getLogger("io.tally.audit");

	private final TenantResolver tenants;

	private final TenantDirectory directory;

	private final ReportCatalog catalog;

	private final LedgerSnapshot ledger;

	private final ReportRefresh refresh;

	AdminController(TenantResolver tenants, TenantDirectory directory, ReportCatalog catalog, LedgerSnapshot ledger,
			ReportRefresh refresh) {
		this.tenants = tenants;
		this.directory = directory;
		this.catalog = catalog;
		this.ledger = ledger;
		this.refresh = refresh;
	}

	@QueryMapping
	List<Tenant> tenants() {
		this.tenants.requireAdmin();
		return this.directory.all();
	}

	@QueryMapping
	List<ReportStatus> reportStatus() {
		this.tenants.requireAdmin();
		return this.catalog.all()
			.stream()
			.map(report -> ReportStatus.of(report, this.ledger.status(report)))
			.toList();
	}

	@MutationMapping
	ReportStatus refreshReport(@Argument String report) {
		String admin = this.tenants.requireAdmin();
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
