package io.tally.demo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.tally.catalog.ReportCatalog;
import io.tally.freshness.ReportRefresh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

/**
 * Loads the demo tenants once, refreshes every view so the reports answer at once, and prints
 * where to go and which tokens to paste.
 */
class DemoDataLoader implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(DemoDataLoader.class);

	private final DataSource dataSource;

	private final DemoTokens tokens;

	private final ReportCatalog catalog;

	private final ReportRefresh refresh;

	private final Environment environment;

	DemoDataLoader(DataSource dataSource, DemoTokens tokens, ReportCatalog catalog, ReportRefresh refresh,
			Environment environment) {
		this.dataSource = dataSource;
		this.tokens = tokens;
		this.catalog = catalog;
		this.refresh = refresh;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		loadOnce();
		this.catalog.all().forEach(this.refresh::refreshNow);
		printWelcome();
	}

	private void loadOnce() throws Exception {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			boolean empty = !statement.executeQuery("SELECT 1 FROM app.tenants LIMIT 1").next();
			if (!empty) {
				logger.info("Demo: data already loaded");
				return;
			}
			String script = new ClassPathResource("sql/demo/demo-data.sql").getContentAsString(StandardCharsets.UTF_8);
			connection.setAutoCommit(false);
			try {
				statement.execute(script);
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
			logger.info("Demo: loaded three tenants with a year of data");
		}
	}

	private void printWelcome() {
		String base = "http://localhost:" + this.environment.getProperty("local.server.port", "8080");
		StringBuilder welcome = new StringBuilder("\n\n  Tally demo is ready.\n\n");
		welcome.append("  GraphiQL:  ").append(base).append("/graphiql\n");
		welcome.append("  GraphQL:   ").append(base).append("/graphql\n");
		welcome.append("  JWKS:      ").append(base).append("/demo/jwks.json\n\n");
		welcome.append("  Portal:    ").append(base).append("/portal/  (pick a demo user)\n\n");
		welcome.append("  Demo tokens (valid ").append(DemoTokens.LIFETIME.toHours())
			.append(" hours; paste into GraphiQL's headers as {\"Authorization\": \"Bearer <token>\"}):\n\n");
		this.tokens.tokens()
			.forEach(token -> welcome.append("  ").append(token.label()).append(":\n  ").append(token.token()).append("\n\n"));
		welcome.append("  Try:  curl -s ").append(base).append("/graphql -H 'Content-Type: application/json' \\\n")
			.append("         -H \"Authorization: Bearer $TOKEN\" \\\n")
			.append("         -d '{\"query\":\"{ dailyRevenue { totals { ordersCreated paidOrders revenueCents conversionRatePercent } freshness { description } } }\"}'\n");
		logger.info(welcome.toString());
	}

}
