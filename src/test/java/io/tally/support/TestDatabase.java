package io.tally.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for the tests, one fresh database per test run so runs never disturb each
 * other: Testcontainers when a Docker engine answers, otherwise the server on 127.0.0.1:5432
 * (as user postgres, or {@code TALLY_TEST_PG_URL}/{@code _USER}/{@code _PASSWORD}), otherwise an
 * embedded PostgreSQL.
 */
public final class TestDatabase {

	private static TestDatabase instance;

	private final String jdbcUrl;

	private final String username;

	private final String password;

	private TestDatabase(String jdbcUrl, String username, String password) {
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.password = password;
	}

	public static synchronized TestDatabase get() {
		if (instance == null) {
			instance = start();
		}
		return instance;
	}

	/** This run's database if a test has asked for it already; never starts one. */
	public static synchronized Optional<TestDatabase> started() {
		return Optional.ofNullable(instance);
	}

	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.jdbcUrl, this.username, this.password);
	}

	private static TestDatabase start() {
		String server = env("TALLY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
		String user = env("TALLY_TEST_PG_USER", "postgres");
		String password = env("TALLY_TEST_PG_PASSWORD", "");
		if (System.getenv("TALLY_TEST_PG_URL") == null && dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
			return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
		}
		if (reachable(server, user, password)) {
			return freshDatabase(server, user, password);
		}
		try {
			EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded)));
			return freshDatabase("jdbc:postgresql://localhost:" + embedded.getPort() + "/", "postgres", "");
		}
		catch (Exception ex) {
			throw new IllegalStateException("Tests need PostgreSQL 15+: no Docker engine, nothing on " + server
					+ ", and no embedded server (PostgreSQL refuses to run as root)", ex);
		}
	}

	private static TestDatabase freshDatabase(String server, String user, String password) {
		String name = "tally_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		admin(server, user, password, "CREATE DATABASE " + name);
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> admin(server, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
		return new TestDatabase(server + name, user, password);
	}

	private static void admin(String server, String user, String password, String sql) {
		try (Connection connection = DriverManager.getConnection(server + "postgres", properties(user, password));
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot run '" + sql + "' on " + server, ex);
		}
	}

	private static boolean reachable(String server, String user, String password) {
		try (Connection connection = DriverManager.getConnection(server + "postgres", properties(user, password))) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static Properties properties(String user, String password) {
		Properties properties = new Properties();
		properties.setProperty("user", user);
		properties.setProperty("password", password);
		properties.setProperty("connectTimeout", "3");
		return properties;
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	private static void closeQuietly(EmbeddedPostgres embedded) {
		try {
			embedded.close();
		}
		catch (Exception ex) {
			// Shutting down anyway.
		}
	}

}
