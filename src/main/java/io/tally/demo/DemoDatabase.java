package io.tally.demo;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's PostgreSQL: the server on localhost:5432 when it lets us in, otherwise an embedded
 * one started for this run. The demo data lives in its own database ({@code tally_demo} unless
 * {@code tally.demo.database} says otherwise).
 */
final class DemoDatabase implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DemoDatabase.class);

	private final String jdbcUrl;

	private final String username;

	private final EmbeddedPostgres embedded;

	private DemoDatabase(String jdbcUrl, String username, EmbeddedPostgres embedded) {
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.embedded = embedded;
	}

	static DemoDatabase start(String database) {
		String server = "jdbc:postgresql://localhost:5432/";
		try {
			createDatabase(server, "postgres", database);
			logger.info("Demo: using the PostgreSQL server on localhost:5432, database {}", database);
			return new DemoDatabase(server + database, "postgres", null);
		}
		catch (SQLException ex) {
			logger.info("Demo: no usable PostgreSQL on localhost:5432 ({}); starting an embedded one", ex.getMessage());
		}
		if ("root".equals(System.getProperty("user.name"))) {
			throw new IllegalStateException("The demo needs PostgreSQL: none accepted a connection on localhost:5432 "
					+ "as user postgres, and an embedded one cannot start because PostgreSQL refuses to run as root. "
					+ "Start a local PostgreSQL, run as a regular user, or set spring.datasource.url.");
		}
		try {
			EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
			String url = embedded.getJdbcUrl("postgres", "postgres").replaceFirst("/postgres(\\?|$)", "/");
			createDatabase(url, "postgres", database);
			return new DemoDatabase(url + database, "postgres", embedded);
		}
		catch (IOException | SQLException ex) {
			throw new IllegalStateException("The demo could not start an embedded PostgreSQL: " + ex.getMessage(), ex);
		}
	}

	private static void createDatabase(String serverUrl, String user, String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", user);
		properties.setProperty("connectTimeout", "3");
		try (Connection connection = DriverManager.getConnection(serverUrl + "postgres", properties);
				Statement statement = connection.createStatement()) {
			// The name is checked by DemoConfiguration to be a plain identifier.
			boolean exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'").next();
			if (!exists) {
				statement.execute("CREATE DATABASE " + database);
			}
		}
	}

	String jdbcUrl() {
		return this.jdbcUrl;
	}

	String username() {
		return this.username;
	}

	@Override
	public void close() throws IOException {
		if (this.embedded != null) {
			this.embedded.close();
		}
	}

}
