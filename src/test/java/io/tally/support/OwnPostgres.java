package io.tally.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of the test's own, made with {@code initdb} in a temporary directory and run
 * as the {@code postgres} OS user on a free port, so a test may stop, restart or starve it without
 * touching the shared server on 5432 or any other test. {@link #close()} stops it and deletes the
 * directory. Like the replica tests' cluster it needs the server binaries and root (to run them as
 * {@code postgres}); where they are missing the test is skipped, unless
 * {@code TALLY_TEST_REQUIRE_REPLICA} is set, as CI sets it.
 */
public final class OwnPostgres implements AutoCloseable {

	private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

	private final Path directory;

	private final int port;

	private OwnPostgres(Path directory, int port) {
		this.directory = directory;
		this.port = port;
	}

	/** Skips the calling test where this machine cannot run a server of its own, or fails it where CI requires one. */
	public static void assumeAvailable() {
		String reason = cannotRun();
		if (reason != null && Boolean.parseBoolean(System.getenv("TALLY_TEST_REQUIRE_REPLICA"))) {
			throw new IllegalStateException("TALLY_TEST_REQUIRE_REPLICA is set, but " + reason);
		}
		Assumptions.assumeTrue(reason == null, () -> "Cannot run a PostgreSQL server of the test's own here ("
				+ reason + "): install postgresql-15 (Debian: apt-get install postgresql-15) and run the tests as root");
	}

	private static String cannotRun() {
		if (!"root".equals(System.getProperty("user.name"))) {
			return "the tests do not run as root, so they cannot run PostgreSQL as the postgres user";
		}
		for (String tool : List.of("initdb", "pg_ctl")) {
			if (!Files.isExecutable(BIN.resolve(tool))) {
				return "no " + BIN.resolve(tool);
			}
		}
		if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
			return "no runuser";
		}
		return null;
	}

	public static OwnPostgres start() throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("tally-own-postgres-");
		OwnPostgres server;
		try (ServerSocket socket = new ServerSocket(0)) {
			server = new OwnPostgres(directory, socket.getLocalPort());
		}
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		run("chown", "postgres:postgres", directory.toString());
		server.postgres("initdb", "-D", server.dataDir(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8");
		Files.writeString(Path.of(server.dataDir(), "postgresql.conf"), "\nport = " + server.port
				+ "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + directory
				+ "'\nfsync = off\nshared_buffers = 32MB\nmax_connections = 60\n", StandardOpenOption.APPEND);
		server.startServer();
		return server;
	}

	public String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	public Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(url(database), "postgres", "");
	}

	public void createDatabase(String name) throws SQLException {
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
	}

	/** Stops the server as an operator's restart would: sessions are ended, new ones refused. */
	public void stopServer() throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", dataDir(), "-m", "fast", "-w", "stop");
	}

	public void startServer() throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", dataDir(), "-l", this.directory.resolve("server.log").toString(), "-w", "start");
	}

	@Override
	public void close() {
		if (Files.exists(Path.of(dataDir(), "postmaster.pid"))) {
			try {
				postgres("pg_ctl", "-D", dataDir(), "-m", "immediate", "-w", "stop");
			}
			catch (IOException | InterruptedException | IllegalStateException ex) {
				// Best effort: the directory goes anyway.
			}
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// Already gone.
		}
	}

	private String dataDir() {
		return this.directory.resolve("data").toString();
	}

	private void postgres(String tool, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", BIN.resolve(tool).toString()));
		command.addAll(List.of(arguments));
		run(command.toArray(String[]::new));
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
		}
	}

}
