package io.tally.deploy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import io.tally.TallyApplication;
import io.tally.catalog.ReportCatalog;
import io.tally.freshness.ReportRefresh;
import io.tally.freshness.ViewStatus;
import io.tally.support.GraphQlHttp;
import io.tally.support.Migrations;
import io.tally.support.TestDatabase;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Production runs migrations as a separate step with migration credentials, and serves with a
 * login that is only a member of {@code tally_service}: it reads reports and refreshes views but
 * can neither read the source tables nor change the schema.
 */
class ServingCredentialsIntegrationTests {

	private static final String PASSWORD = "serving-secret";

	private static TestDatabase database;

	private static String servingUser;

	@BeforeAll
	static void servingLogin() throws SQLException {
		database = Migrations.migrated();
		servingUser = "tally_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE ROLE " + servingUser + " LOGIN PASSWORD '" + PASSWORD + "'");
			statement.execute("GRANT tally_service TO " + servingUser);
			statement.execute("""
					INSERT INTO app.tenants (id, name) VALUES ('sc-a', 'Serving A');
					INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'sc-a', 'A', 'north');
					INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
					VALUES ('sc-a', 1, '2026-06-01 12:00Z', 'paid', 4200);
					""");
		}
	}

	@AfterAll
	static void dropLogin() throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + servingUser);
		}
	}

	@Test
	void theMigrateProfileMigratesChecksTheReportsAndServesNothing() {
		try (ConfigurableApplicationContext context = application(database.username(), database.password())
			.profiles("migrate")
			.run()) {
			assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
			assertThat(context.getBean(ReportCatalog.class).all()).isNotEmpty();
		}
	}

	@Test
	void aServingLoginRefreshesAndServesReportsButCannotReadSourcesOrMigrate() throws Exception {
		try (ConfigurableApplicationContext context = application(servingUser, PASSWORD)
			.properties("spring.flyway.enabled=false", "server.port=0", "management.server.port=0")
			.run()) {
			ReportCatalog catalog = context.getBean(ReportCatalog.class);
			ViewStatus status = context.getBean(ReportRefresh.class).refreshNow(catalog.find("dailyRevenue").orElseThrow());
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			GraphQlHttp.Response response = new GraphQlHttp(port).post(TestIssuer.get().tenantUser("sc-a"), null,
					"{ dailyRevenue(from: \"2026-06-01\", to: \"2026-06-01\") { totals { revenueCents } } }");

			assertThat(status.lastAttempt().outcome()).isEqualTo(ViewStatus.Outcome.SUCCESS);
			assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(4200);
		}
		try (Connection serving = java.sql.DriverManager.getConnection(database.jdbcUrl(), servingUser, PASSWORD);
				Statement statement = serving.createStatement()) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.executeQuery("SELECT * FROM app.orders"))
				.withMessageContaining("permission denied");
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("CREATE TABLE app.evil (id int)"))
				.withMessageContaining("permission denied");
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.execute("DROP MATERIALIZED VIEW mv.daily_revenue_recent CASCADE"))
				.withMessageContaining("must be owner");
		}
	}

	private static SpringApplicationBuilder application(String user, String password) {
		TestIssuer issuer = TestIssuer.get();
		return new SpringApplicationBuilder(TallyApplication.class).properties(Map.of(
				"spring.datasource.url", database.jdbcUrl(), "spring.datasource.username", user,
				"spring.datasource.password", password, "tally.freshness.scheduler-enabled", "false",
				"spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer.jwksUri(),
				"spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer.ISSUER,
				"spring.security.oauth2.resourceserver.jwt.audiences", TestIssuer.AUDIENCE));
	}

}
