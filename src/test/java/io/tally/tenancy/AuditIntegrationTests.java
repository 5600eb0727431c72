package io.tally.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin read of a tenant's report and every refresh request is an event on the
 * {@code io.tally.audit} logger, with who, which tenant, which report as key-value pairs and the
 * event's time, so a structured log format ships them as fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIntegrationTests extends IntegrationTestSupport {

	private static final String REVENUE = "{ dailyRevenue { totals { revenueCents } } }";

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private final Logger audit = (Logger) LoggerFactory.getLogger("io.tally.audit");

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('aud-a', 'Audit A')").update();
		assertThat(graphQl().post(this.issuer.admin(), null, "mutation { refreshReport(report: \"dailyRevenue\") { report } }")
			.<Object>path("$.errors")).isNull();
	}

	@BeforeEach
	void listen() {
		this.events.list.clear();
		this.events.start();
		this.audit.addAppender(this.events);
	}

	@AfterEach
	void stopListening() {
		this.audit.detachAppender(this.events);
		this.events.stop();
	}

	@Test
	void logsEveryAdminReadOfATenantWithWhoWhichTenantWhichReportAndWhen() {
		Instant before = Instant.now();

		graphQl().post(this.issuer.admin(), "aud-a", REVENUE);
		graphQl().post(this.issuer.admin(), "aud-a", REVENUE);

		List<Map<String, String>> reads = events("admin-read");
		assertThat(reads).hasSize(2)
			.allSatisfy(event -> assertThat(event).containsEntry("subject", "admin")
				.containsEntry("tenant", "aud-a")
				.containsEntry("report", "dailyRevenue"));
		assertThat(this.events.list).allSatisfy(event -> assertThat(event.getInstant()).isAfterOrEqualTo(before));
	}

	@Test
	void logsNoAdminEventForATenantsOwnRead() {
		graphQl().post(this.issuer.tenantUser("aud-a"), null, REVENUE);

		assertThat(events("admin-read")).isEmpty();
	}

	@Test
	void logsEveryRefreshRequestWithWhoAndWhichReport() {
		graphQl().post(this.issuer.admin(), null, "mutation { refreshReport(report: \"dailyRevenue\") { report } }");

		assertThat(events("refresh-request")).singleElement()
			.satisfies(event -> assertThat(event).containsEntry("subject", "admin").containsEntry("report", "dailyRevenue"));
	}

	@Test
	void logsNothingForARefreshAnAdminMayNotRequest() {
		graphQl().post(this.issuer.tenantUser("aud-a"), null,
				"mutation { refreshReport(report: \"dailyRevenue\") { report } }");

		assertThat(events("refresh-request")).isEmpty();
	}

	/** The key-value pairs of the captured events of one kind. */
	private List<Map<String, String>> events(String kind) {
		return this.events.list.stream()
			.map(event -> event.getKeyValuePairs()
				.stream()
				.collect(Collectors.toMap((KeyValuePair pair) -> pair.key, pair -> String.valueOf(pair.value))))
			.filter(pairs -> kind.equals(pairs.get("event")))
			.toList();
	}

}
