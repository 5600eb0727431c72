package io.tally.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.tally.support.TestIssuer;

/**
 * Issue 20's generic GraphQL-over-PostgreSQL server: PostGraphile 5 ({@code bench/postgraphile},
 * installed with {@code npm ci --prefix bench/postgraphile}) serving dailyRevenue's days and
 * totals through two SQL functions whose bodies are the report's own SQL files, over the same
 * security-barrier view. It connects as the benchmark's database user and switches to Tally's read
 * role per transaction, with {@code app.tenant_id} from the same RS256 token Tally gets, checked
 * against the same issuer's key set. A child process of the benchmark, one worker per core,
 * stopped when closed.
 */
final class PostGraphile implements AutoCloseable {

	private static final Path HOME = Path.of("bench", "postgraphile");

	/** The node the packages pin: PostGraphile 5 needs node 22 or later, Debian 12 ships 18 (and 20 fails on it). */
	private static final Path NODE = HOME.resolve("node_modules/.bin/node").toAbsolutePath();

	/** The report's SQL files, whose parameters become the functions' ($1, $2, $3 in schema.sql). */
	private static final Path REPORT_SQL = Path.of("sql", "reports", "daily_revenue");

	/** What Tally's {@code dailyRevenue} document reads, less {@code freshness}, which is Tally's own. */
	static final String DOCUMENT = """
			query($from: Date!, $to: Date!) {
			  dailyRevenueDaysList(from: $from, to: $to) {
			    day ordersCreated paidOrders failedOrders revenueCents rolling7DRevenueCents }
			  dailyRevenueTotals(from: $from, to: $to) { ordersCreated paidOrders revenueCents conversionRatePercent }
			}""";

	/**
	 * The server with what it is asked: {@code body}, whose answer was checked equal to Tally's
	 * ({@code checked} says how).
	 */
	record Asked(PostGraphile server, String body, String checked) implements AutoCloseable {

		@Override
		public void close() {
			this.server.close();
		}

	}

	private final Process process;

	private final int port;

	private PostGraphile(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	String url() {
		return "http://127.0.0.1:" + this.port + "/graphql";
	}

	/**
	 * Installs the schema it serves and starts it; empty (and logged) when node or the packages are
	 * missing or it did not start.
	 * @param readRole the role Tally's report reads run as
	 */
	static Optional<PostGraphile> start(BenchmarkConfig config, TestIssuer issuer, String readRole) {
		Optional<String> node = nodeVersion();
		if (node.isEmpty() || !Files.isRegularFile(HOME.resolve("node_modules/postgraphile/package.json"))) {
			BenchData.log("PostGraphile is not installed (npm ci --prefix bench/postgraphile, with npm from apt-get install "
					+ "npm; it installs its own node); the PostGraphile rows are skipped");
			return Optional.empty();
		}
		try {
			installSchema(config);
			Path dir = Files.createDirectories(Path.of("target", "bench-postgraphile"));
			Path out = dir.resolve("out.txt");
			int port = freePort();
			ProcessBuilder builder = new ProcessBuilder(NODE.toString(), "server.mjs").directory(HOME.toFile())
				.redirectErrorStream(true)
				.redirectOutput(out.toFile());
			builder.environment()
				.putAll(Map.of("PORT", String.valueOf(port), "NODE_ENV", "production", "DATABASE_URL",
						databaseUrl(config), "TALLY_JWKS_URI", issuer.jwksUri(), "TALLY_ISSUER", issuer.issuer(),
						"TALLY_AUDIENCE", TestIssuer.AUDIENCE, "TALLY_READ_ROLE", readRole));
			PostGraphile server = new PostGraphile(builder.start(), port);
			// The benchmark ends with System.exit, also on failure: node must not outlive it.
			Runtime.getRuntime().addShutdownHook(new Thread(server::close));
			if (!server.awaitReady(out)) {
				server.close();
				BenchData.log("PostGraphile did not start: %s", Files.readString(out));
				return Optional.empty();
			}
			BenchData.log("PostGraphile %s on node %s at %s", version(), node.get(), server.url());
			return Optional.of(server);
		}
		catch (IOException | SQLException ex) {
			BenchData.log("PostGraphile not run: %s", ex.getMessage());
			return Optional.empty();
		}
	}

	/** The pinned version, as installed. */
	static String version() {
		try {
			String manifest = Files.readString(HOME.resolve("node_modules/postgraphile/package.json"));
			return manifest.replaceAll("(?s).*?\"version\"\\s*:\\s*\"([^\"]+)\".*", "$1");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	/** schema.sql with the report's days.sql and totals.sql as the functions' bodies. */
	private static void installSchema(BenchmarkConfig config) throws IOException, SQLException {
		String sql = Files.readString(HOME.resolve("schema.sql"));
		for (String file : new String[] { "days.sql", "totals.sql" }) {
			String body = Files.readString(REPORT_SQL.resolve(file))
				.replace(":from", "$1")
				.replace(":to", "$2")
				.replace(":region", "$3");
			sql = sql.replace("@" + file + "@", body);
		}
		try (Connection connection = BenchData.connect(config); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** The JDBC URL as node-postgres takes it: the same host, port, database and user as Tally's pool. */
	private static String databaseUrl(BenchmarkConfig config) {
		URI uri = URI.create(config.jdbcUrl().substring("jdbc:".length()));
		String password = config.password().isEmpty() ? "" : ":" + config.password();
		return "postgres://" + config.username() + password + "@" + uri.getHost() + ":"
				+ ((uri.getPort() > 0) ? uri.getPort() : 5432) + uri.getPath();
	}

	private static Optional<String> nodeVersion() {
		if (!Files.isExecutable(NODE)) {
			return Optional.empty();
		}
		try {
			Process process = new ProcessBuilder(NODE.toString(), "--version").redirectErrorStream(true).start();
			String version = new String(process.getInputStream().readAllBytes()).trim();
			return (process.waitFor() == 0) ? Optional.of(version) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/** Each worker introspects the database and builds its schema before it listens: up to two minutes. */
	private boolean awaitReady(Path out) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (System.nanoTime() < deadline && this.process.isAlive()) {
			if (Files.readString(out).lines().anyMatch(line -> line.startsWith("ready"))) {
				return true;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * CPU time of the primary and its workers so far, in microseconds (Linux's {@code /proc}; 0
	 * elsewhere): what the server itself spends per request, next to PostgreSQL's.
	 */
	long cpuMicros() {
		long ticks = 0;
		for (ProcessHandle handle : Stream.concat(Stream.of(this.process.toHandle()), this.process.descendants()).toList()) {
			try {
				String line = Files.readString(Path.of("/proc", String.valueOf(handle.pid()), "stat"));
				// Fields after the command name, which is in parentheses: utime and stime, in USER_HZ (100/s).
				String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
				ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			catch (IOException | RuntimeException ex) {
				// Gone, or not Linux: not counted.
			}
		}
		return ticks * 10_000;
	}

	/** SIGTERM to the primary, which stops its workers; whatever is left is killed. */
	@Override
	public void close() {
		// Taken first: once the primary has exited, its workers are no longer its descendants.
		List<ProcessHandle> workers = this.process.descendants().toList();
		this.process.destroy();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		workers.forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
	}

}
