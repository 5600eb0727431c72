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
 * A real PostgreSQL primary with streaming replicas (one unless asked for more), made for the test in a temporary
 * directory and run as the {@code postgres} OS user on free ports: the shared server on 5432 does
 * not accept replication connections and must not be reconfigured, so the test initdb's its own
 * primary and {@code pg_basebackup -R}'s the replica from it. {@link #close()} stops both and
 * deletes the directory.
 */
final class StreamingReplica implements AutoCloseable {

	private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

	private final Path directory;

	private final int primaryPort;

	private final int[] replicaPorts;

	private StreamingReplica(Path directory, int primaryPort, int[] replicaPorts) {
		this.directory = directory;
		this.primaryPort = primaryPort;
		this.replicaPorts = replicaPorts;
	}

	/** Why this machine cannot make a replica, or null when it can. */
	static String cannotMake() {
		return Prerequisites.postgresServerMissing("initdb", "pg_ctl", "pg_basebackup");
	}

	static StreamingReplica start() throws IOException, InterruptedException {
		return start(1);
	}

	/** A primary with this many streaming replicas, each its own server; the first is replica 0. */
	static StreamingReplica start(int replicas) throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("tally-replica-");
		int[] ports = new int[replicas];
		for (int i = 0; i < replicas; i++) {
			ports[i] = freePort();
		}
		StreamingReplica cluster = new StreamingReplica(directory, freePort(), ports);
		Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
		run("chown", "postgres:postgres", directory.toString());
		cluster.postgres("initdb", "-D", cluster.primaryDir(), "-U", "postgres", "--auth=trust", "--no-sync",
				"-E", "UTF8");
		Files.writeString(Path.of(cluster.primaryDir(), "postgresql.conf"),
				cluster.settings(cluster.primaryPort) + "wal_level = replica\nmax_wal_senders = 4\n",
				StandardOpenOption.APPEND);
		cluster.postgres("pg_ctl", "-D", cluster.primaryDir(), "-l", directory.resolve("primary.log").toString(), "-w",
				"start");
		for (int i = 0; i < replicas; i++) {
			cluster.postgres("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(cluster.primaryPort), "-U",
					"postgres", "-D", cluster.replicaDir(i), "-R", "-X", "stream", "--no-sync");
			// Replay must not cancel the test's reads, nor reads hold back replay for long.
			Files.writeString(Path.of(cluster.replicaDir(i), "postgresql.conf"),
					cluster.settings(ports[i]) + "hot_standby_feedback = on\n", StandardOpenOption.APPEND);
			cluster.startReplica(i);
		}
		return cluster;
	}

	String primaryUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.primaryPort + "/" + database;
	}

	String replicaUrl(String database) {
		return replicaUrl(0, database);
	}

	String replicaUrl(int replica, String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.replicaPorts[replica] + "/" + database;
	}

	Connection primary(String database) throws SQLException {
		return DriverManager.getConnection(primaryUrl(database), "postgres", "");
	}

	Connection replica(String database) throws SQLException {
		return replica(0, database);
	}

	Connection replica(int replica, String database) throws SQLException {
		return DriverManager.getConnection(replicaUrl(replica, database), "postgres", "");
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
		awaitReplay(0);
	}

	/** Waits until this replica has replayed everything the primary has written so far. */
	void awaitReplay(int replica) throws SQLException, InterruptedException {
		String target;
		try (Connection connection = primary("postgres"); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn()")) {
			rs.next();
			target = rs.getString(1);
		}
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(deadline)) {
			try (Connection connection = replica(replica, "postgres"); Statement statement = connection.createStatement();
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
		stopReplica(0);
	}

	void stopReplica(int replica) throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", replicaDir(replica), "-m", "fast", "-w", "stop");
	}

	void startReplica() throws IOException, InterruptedException {
		startReplica(0);
	}

	void startReplica(int replica) throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", replicaDir(replica), "-l",
				this.directory.resolve(Path.of(replicaDir(replica)).getFileName() + ".log").toString(), "-w", "start");
	}

	void promoteReplica() throws IOException, InterruptedException {
		promoteReplica(0);
	}

	void promoteReplica(int replica) throws IOException, InterruptedException {
		postgres("pg_ctl", "-D", replicaDir(replica), "-w", "promote");
	}

	@Override
	public void close() {
		List<String> dirs = new ArrayList<>();
		for (int i = 0; i < this.replicaPorts.length; i++) {
			dirs.add(replicaDir(i));
		}
		dirs.add(primaryDir());
		for (String dir : dirs) {
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

	/** Replica 0 keeps the directory name it always had; later ones are numbered. */
	private String replicaDir(int replica) {
		return this.directory.resolve((replica == 0) ? "replica" : "replica-" + replica).toString();
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
