package io.tally.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A read's setup (query role, tenant, read-only) is transaction-local and the batch runs in
 * autocommit, so it lasts only until the driver's first Sync. The batch's last statement checks
 * that it held; a read whose setup was lost on the way is an error, never an empty report.
 */
class ReportBatchSetupIntegrationTests extends IntegrationTestSupport {

	@Autowired
	ReportCatalog catalog;

	@Autowired
	DataSource dataSource;

	@Test
	void aBatchWhoseSetupHeldIsAnswered() throws Exception {
		assertThat(read(section("SELECT count(*) AS rows FROM report.daily_revenue"))).containsKey("days");
	}

	@Test
	void aBatchThatLostItsTenantOnTheWayIsAnErrorNotAnEmptyAnswer() throws Exception {
		// What a mid-batch Sync does to the settings, done by a section itself.
		assertThatIllegalStateException()
			.isThrownBy(() -> read(section("SELECT set_config('app.tenant_id', '', true) AS lost")))
			.withMessageContaining("dailyRevenue")
			.withMessageContaining("did not last");
	}

	@Test
	void aBatchThatLostItsRoleOnTheWayIsAnErrorNotAnEmptyAnswer() throws Exception {
		assertThatIllegalStateException().isThrownBy(() -> read(section("SELECT set_config('role', 'none', true) AS lost")))
			.withMessageContaining("did not last");
	}

	private ReportSection section(String sql) {
		return new ReportSection("days", "setup-check.sql", sql, ReportSection.Shape.ROWS, List.of());
	}

	private Map<String, Object> read(ReportSection section) throws Exception {
		ReportDefinition report = this.catalog.find("dailyRevenue").orElseThrow();
		ReportBatch batch = new ReportBatch(report, List.of(section), new ResolvedArguments(Map.of(), null),
				ReportBatch.settings("tally_reader", "setup-tenant", "5000", "force_custom_plan"));
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(batch.sql())) {
			return batch.read(statement);
		}
	}

}
