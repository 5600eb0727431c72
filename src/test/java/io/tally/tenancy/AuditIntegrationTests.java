package io.tally.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tally.support.AuditEvents;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin read of a tenant's report and every refresh request is an event on the
 * {@code io.tally.audit} logger, with who, which tenant, which report as key-value pairs and the
 * event's time, so a structured log format ships them as fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "{ dailyRevenue { totals { revenueCents } } }";

	private final AuditEvents audit = new AuditEvents();

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('aud-a', 'Audit A')").update();
		assertThat(graphQl().post(this.issuer.admin(), null, "mutation { refreshReport(report: \"dailyRevenue\") { report } }")
			.<Object>path("$.errors")).isNull();
	}

	@BeforeEach
	void listen() {
		this.audit.start();
	}

	@AfterEach
	void stopListening() {
		this.audit.stop();
	}

	@Test
	void logsEveryAdminReadOfATenantWithWhoWhichTenantWhichReportAndWhen() {
		Instant before = Instant.now();

		graphQl().post(this.issuer.admin(), "aud-a", REVENUE);
		graphQl().post(this.issuer.admin(), "aud-a", REVENUE);

		List<Map<String, String>> reads = this.audit.of("admin-read");
		assertThat(reads).hasSize(2)
			.allSatisfy(event -> assertThat(event).containsEntry("subject", "admin")
				.containsEntry("tenant", "aud-a")
				.containsEntry("report", "dailyRevenue"));
		assertThat(this.audit.all()).allSatisfy(event -> assertThat(event.getInstant()).isAfterOrEqualTo(before));
	}

	@Test
	void logsNoAdminEventForATenantsOwnRead() {
		graphQl().post(this.issuer.tenantUser("aud-a"), null, REVENUE);

		assertThat(this.audit.of("admin-read")).isEmpty();
	}

	@Test
	void logsEveryRefreshRequestWithWhoAndWhichReport() {
		graphQl().post(this.issuer.admin(), null, "mutation { refreshReport(report: \"dailyRevenue\") { report } }");

		assertThat(this.audit.of("refresh-request")).singleElement()
			.satisfies(event -> assertThat(event).containsEntry("subject", "admin").containsEntry("report", "dailyRevenue"));
	}

	@Test
	void logsNothingForARefreshAnAdminMayNotRequest() {
		graphQl().post(this.issuer.tenantUser("aud-a"), null,
				"mutation { refreshReport(report: \"dailyRevenue\") { report } }");

		assertThat(this.audit.of("refresh-request")).isEmpty();
	}

}
