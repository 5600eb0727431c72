package io.tally.replica;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.tally.support.Prerequisites;

/**
 * A real PostgreSQL primary with a streaming replica, both made for the test in a temporary
 * directory and run as the {@code postgres} OS user on free ports: the shared server on 5432 does
 * not accept replication connections and must not be reconfigured, so the test initdb's its own
 * primary and {@code pg_basebackup -R}'s the replica from it. {@link #close()} stops both and
 * deletes the directory.
 */
final class StreamingReplica implements AutoCloseable {

	private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

	private final Path directory;

	private final int primaryPort;

	private final int replicaPort;

	private StreamingReplica(Path directory, int primaryPort, int replicaPort) {
		this.directory = directory;
		this.primaryPort = primaryPort;
		this.replicaPort = replicaPort;
	}

	/** Why this machine cannot make a replica, or null when it can. */
	static String cannotMake() {
		return Prerequisites.postgresServerMissing("initdb", "pg_ctl", "pg_basebackup");
	}

	static StreamingReplica start() throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("tally-replica-");
		StreamingReplica cluster = new StreamingReplica(directory, freePort(), freePort());
		Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
		run("chown", "postgres:postgres", directory.toString());
		cluster.postgres("initdb", "-D", cluster.primaryDir(), "-U", "postgres", "--auth=trust", "--no-sync",
				"-E", "UTF8");
		Files.writeString(Path.of(cluster.primaryDir(), "postgresql.conf"),
				cluster.settings(cluster.primaryPort) + "wal_level = replica\nmax_wal_senders = 4\n",
				StandardOpenOption.APPEND);
		cluster.postgres("pg_ctl", "-D", cluster.primaryDir(), "-l", directory.resolve("primary.log").toString(), "-w",
				"start");
		cluster.postgres("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(cluster.primaryPort), "-U",
				"postgres", "-D", cluster.replicaDir(), "-R", "-X", "stream", "--no-sync");
		// Replay must not cancel the test's reads, nor reads hold back replay for long.
		Files.writeString(Path.of(cluster.replicaDir(), "postgresql.conf"),
				cluster.settings(cluster.replicaPort) + "hot_standby_feedback = on\n", StandardOpenOption.APPEND);
		cluster.startReplica();
		return cluster;
	}

	String primaryUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.primaryPort + "/" + database;
	}

	String replicaUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.replicaPort + "/" + database;
	}

	Connection primary(String database) throws SQLException {
		return DriverManager.getConnection(primaryUrl(database), "postgres", "");
	}

	Connection replica(String database) throws SQLException {
		return DriverManager.getConnection(replicaUrl(database), "postgres", "");
	}

	void createDatabase(String name) throws SQLException {
		try (Connection connection = primary("postgres"); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
	}

	void pauseReplay() throws SQLException {
		onReplica("SELECT pg_wal_replay_pause()");
	}

	void resumeReplay() throws SQLException {
		onReplica("SELECT pg_wal_replay_resume()");
	}

	/** Waits until the replica has replayed everything the primary has written so far. */
	void awaitReplay() throws SQLException, InterruptedException {
		String target;
		try (Connection connection = primary("postgres"); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn()")) {
			rs.next();
			target = rs.getString(1);
		}
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(deadline)) {
			try (Connection connection = replica("postgres"); Statement statement = connection.createStatement();
					ResultSet rs = statement
						.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
				rs.next();
				if (rs.getBoolean(1)) {
					return;
				}
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("The replica did not replay up to " + target + " within 30 s");
	}

	void stopReplica() throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", replicaDir(), "-m", "fast", "-w", "stop");
	}

	void startReplica() throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", replicaDir(), "-l", this.directory.resolve("replica.log").toString(), "-w", "start");
	}

	void promoteReplica() throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", replicaDir(), "-w", "promote");
	}

	@Override
	public void close() {
		for (String dir : List.of(replicaDir(), primaryDir())) {
			if (Files.exists(Path.of(dir, "postmaster.pid"))) {
				try {
					postgres("pg_ctl", "-D", dir, "-m", "immediate", "-w", "stop");
				}
				catch (IOException | InterruptedException | IllegalStateException ex) {
					// Best effort: the directory goes anyway.
				}
			}
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// Already gone.
		}
	}

	private void onReplica(String sql) throws SQLException {
		try (Connection connection = replica("postgres"); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private String settings(int port) {
		return "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + this.directory
				+ "'\nfsync = off\nshared_buffers = 32MB\nmax_connections = 40\n";
	}

	private String primaryDir() {
		return this.directory.resolve("primary").toString();
	}

	private String replicaDir() {
		return this.directory.resolve("replica").toString();
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

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
