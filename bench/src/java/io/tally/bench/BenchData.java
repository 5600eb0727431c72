package io.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.flywaydb.core.Flyway;

/**
 * The bench database: created when missing, migrated with the application's own migrations, and
 * loaded by {@code bench/generator.sql} (over JDBC, so no psql is needed) unless it already holds
 * data of the requested size and seed.
 */
final class BenchData {

	private BenchData() {
	}

	/** Seconds the generator took (this run's load or the recorded one), and whether it ran now. */
	record Load(double seconds, boolean loadedNow, long orders, LocalDate endDate) {
	}

	static Load prepare(BenchmarkConfig config) {
		createIfMissing(config);
		Flyway.configure()
			.dataSource(config.jdbcUrl(), config.username(), config.password())
			.locations("filesystem:sql/migration")
			.load()
			.migrate();
		try (Connection connection = connect(config)) {
			Load existing = recorded(connection);
			if (!config.reload() && existing != null && existing.orders() == config.orders()
					&& tenants(connection) == config.tenants()) {
				log("using the loaded data: %,d orders, generated in %.1f s (bench.reload=true loads again)",
						existing.orders(), existing.seconds());
				return existing;
			}
			return load(connection, config);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Connection connect(BenchmarkConfig config) throws SQLException {
		return DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
	}

	private static Load load(Connection connection, BenchmarkConfig config) throws SQLException {
		log("generating %,d orders over %d tenants (seed %d)...", config.orders(), config.tenants(), config.seed());
		long started = System.nanoTime();
		connection.setAutoCommit(true);
		try (Statement statement = connection.createStatement()) {
			statement.execute(read(Path.of("bench/generator.sql")));
		}
		LocalDate end = LocalDate.now(ZoneOffset.UTC);
		try (CallableStatement call = connection.prepareCall("CALL bench.generate(?, ?, ?, 1.0, 730, ?, true)")) {
			call.setLong(1, config.orders());
			call.setInt(2, config.tenants());
			call.setLong(3, config.seed());
			call.setObject(4, end);
			call.execute();
			for (SQLWarning warning = call.getWarnings(); warning != null; warning = warning.getNextWarning()) {
				if (warning.getMessage().startsWith("bench:")) {
					log("  %s", warning.getMessage());
				}
			}
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("VACUUM (ANALYZE) app.tenants, app.customers, app.products, app.orders, app.order_lines, "
					+ "app.sales_targets, app.plans, app.subscriptions, app.usage_records, app.providers, app.jobs, "
					+ "app.job_parts");
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		try (Statement statement = connection.createStatement()) {
			statement.executeUpdate("UPDATE bench.meta SET seconds = " + seconds);
		}
		log("generated in %.1f s", seconds);
		return new Load(seconds, true, config.orders(), end);
	}

	private static Load recorded(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("""
						SELECT m.orders, m.seconds, m.end_date
						FROM bench.meta m
						WHERE to_regclass('bench.meta') IS NOT NULL
						""")) {
			return rs.next() ? new Load(rs.getDouble(2), false, rs.getLong(1), rs.getObject(3, LocalDate.class)) : null;
		}
		catch (SQLException ex) {
			// No bench schema yet: nothing was loaded.
			return null;
		}
	}

	private static int tenants(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM app.tenants")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static void createIfMissing(BenchmarkConfig config) {
		int slash = config.jdbcUrl().lastIndexOf('/');
		String server = config.jdbcUrl().substring(0, slash + 1);
		String name = config.jdbcUrl().substring(slash + 1).replaceAll("\\?.*", "");
		try (Connection connection = DriverManager.getConnection(server + "postgres", config.username(),
				config.password()); Statement statement = connection.createStatement()) {
			try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '"
					+ name.replace("'", "''") + "'")) {
				if (rs.next()) {
					return;
				}
			}
			log("creating database %s", name);
			statement.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot reach or create the bench database " + config.jdbcUrl(), ex);
		}
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static final long STARTED = System.nanoTime();

	static void log(String format, Object... args) {
		System.out.printf("[bench %6.1fs] " + format + "%n",
				java.util.stream.Stream.concat(java.util.stream.Stream.of((System.nanoTime() - STARTED) / 1e9),
						java.util.Arrays.stream(args)).toArray());
	}

}
