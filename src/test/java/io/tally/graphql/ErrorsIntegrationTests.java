package io.tally.graphql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller sees when things go wrong, with two test-only reports
 * ({@code src/test/resources/test-schema}): one whose SQL breaks the one-row rule, one slower
 * than the 300 ms statement timeout. Every request here goes through the pool's one free
 * connection (the refresh listener holds the other), so a check after a failure sees the very
 * connection the failure left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "spring.graphql.schema.locations=classpath:schema/,classpath:test-schema/",
		"tally.query.statement-timeout=300ms", "tally.cache.enabled=false", "spring.datasource.hikari.maximum-pool-size=2" })
class ErrorsIntegrationTests extends IntegrationTestSupport {

	private static final Pattern REFERENCE = Pattern.compile("reference ([0-9a-f-]{36})");

	@Autowired
	DataSource dataSource;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('err-a', 'Errors A')").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void answersAnUnexpectedFailureWithAGenericErrorWhoseReferenceIsLogged(CapturedOutput output) {
		Response response = graphQl().post(this.issuer.tenantUser("err-a"), null,
				"{ brokenProbe { totals { tenantName } } }");

		assertThat(response.errorType()).isEqualTo("INTERNAL_ERROR");
		Matcher reference = REFERENCE.matcher(response.errorMessage());
		assertThat(reference.find()).as(response.errorMessage()).isTrue();
		assertThat(output.getAll()).contains(reference.group(1)).contains("must return exactly one row");
		assertThat(response.body()).doesNotContainIgnoringCase("select")
			.doesNotContain(".sql")
			.doesNotContain("Exception")
			.doesNotContain("io.tally")
			.doesNotContain("java.")
			.doesNotContain("exactly one row")
			.doesNotContain("Errors A");
	}

	@Test
	void answersAStatementTimeoutWithTimeoutAndLeavesTheConnectionClean() throws SQLException {
		String warmUp = graphQl().post(this.issuer.tenantUser("err-a"), null, "{ dailyRevenue { totals { revenueCents } } }")
			.body();
		assertThat(warmUp).doesNotContain("errors");
		long started = System.nanoTime();

		Response response = graphQl().post(this.issuer.tenantUser("err-a"), null,
				"{ slowProbe { totals { tenantName } } }");

		assertThat(response.errorType()).isEqualTo("TIMEOUT");
		assertThat(response.errorMessage()).contains("time limit");
		assertThat(response.body()).doesNotContain("Errors A").doesNotContain("pg_sleep").doesNotContain("57014");
		assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds until the answer").isLessThan(4_000);
		assertClean();
		assertThat(graphQl().post(this.issuer.tenantUser("err-a"), null, "{ dailyRevenue { totals { revenueCents } } }")
			.<Object>path("$.errors")).as("the same connection serves the next request").isNull();
	}

	/** The connection the failed request used carries no tenant, role or timeout into the next. */
	private void assertClean() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet settings = statement.executeQuery("""
						SELECT current_setting('app.tenant_id', true), current_user = session_user,
						       current_setting('statement_timeout')
						""")) {
			settings.next();
			assertThat(settings.getString(1)).isNullOrEmpty();
			assertThat(settings.getBoolean(2)).isTrue();
			assertThat(settings.getString(3)).isEqualTo("0");
		}
	}

}
