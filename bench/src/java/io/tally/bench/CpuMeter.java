package io.tally.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time spent per request, by the server's JVM and by the PostgreSQL backends connected to
 * the bench database (read from {@code /proc}, so only when PostgreSQL runs on this machine, as
 * on loopback). Unlike requests a second, CPU per request hardly moves when other work shares the
 * cores, so it compares two code paths on a busy machine. The server is the benchmark's own JVM or
 * a {@link TallyProcess}; of the latter, the request threads' share is that of Tomcat's connector
 * threads ({@code http-nio-*}: the request threads, the poller and the acceptor), from {@code /proc}.
 */
final class CpuMeter {

	/** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU time in hundredths of a second. */
	private static final double TICKS_PER_SECOND = 100;

	private final BenchmarkConfig config;

	/** The server's process, or null for the benchmark's own JVM. */
	private final Long pid;

	private final long jvmNanos;

	private final long connectorNanos;

	private final Map<Integer, Long> backendTicks;

	private CpuMeter(BenchmarkConfig config, Long pid) {
		this.config = config;
		this.pid = pid;
		this.jvmNanos = jvmCpuNanos(pid);
		this.connectorNanos = (pid != null) ? connectorCpuNanos(pid) : 0;
		this.backendTicks = backendTicks(config);
	}

	/** Of the benchmark's own JVM. */
	static CpuMeter start(BenchmarkConfig config) {
		return new CpuMeter(config, null);
	}

	static CpuMeter start(BenchmarkConfig config, TallyProcess server) {
		return new CpuMeter(config, server.pid());
	}

	/**
	 * @param requests the requests answered since the start
	 * @return microseconds of CPU per request: a server process's connector threads' (0 for the
	 * benchmark's own JVM), the whole JVM's and the backends' (backends that left in between are
	 * not counted), or null without requests
	 */
	Map<String, Long> perRequest(long requests) {
		if (requests <= 0) {
			return null;
		}
		long jvm = jvmCpuNanos(this.pid) - this.jvmNanos;
		long request = (this.pid != null) ? connectorCpuNanos(this.pid) - this.connectorNanos : 0;
		long ticks = 0;
		for (Map.Entry<Integer, Long> backend : backendTicks(this.config).entrySet()) {
			Long before = this.backendTicks.get(backend.getKey());
			if (before != null) {
				ticks += backend.getValue() - before;
			}
		}
		return Map.of("requestMicros", request / 1000 / requests, "jvmMicros", jvm / 1000 / requests,
				"postgresMicros",
				Math.round(ticks / TICKS_PER_SECOND * 1_000_000 / requests));
	}

	private static long jvmCpuNanos(Long pid) {
		if (pid == null) {
			return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
		}
		return ticksToNanos(statTicks(Path.of("/proc", String.valueOf(pid), "stat")));
	}

	/** Tomcat's connector threads of the process: their names start {@code http-nio-}. */
	private static long connectorCpuNanos(long pid) {
		long ticks = 0;
		try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					if (Files.readString(task.resolve("comm")).startsWith("http-nio-")) {
						ticks += statTicks(task.resolve("stat"));
					}
				}
				catch (IOException ex) {
					// The thread ended in between.
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return ticksToNanos(ticks);
	}

	/** User plus system ticks of a {@code /proc/.../stat} file, 0 when it is gone. */
	private static long statTicks(Path stat) {
		try {
			// Fields after the command name, which is in parentheses and may hold spaces.
			String line = Files.readString(stat);
			String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static long ticksToNanos(long ticks) {
		return Math.round(ticks / TICKS_PER_SECOND * 1_000_000_000L);
	}

	private static Map<Integer, Long> backendTicks(BenchmarkConfig config) {
		Map<Integer, Long> ticks = new HashMap<>();
		try (Connection connection = BenchData.connect(config); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
			while (rs.next()) {
				int pid = rs.getInt(1);
				Path stat = Path.of("/proc", String.valueOf(pid), "stat");
				if (Files.isReadable(stat)) {
					ticks.put(pid, statTicks(stat));
				}
			}
		}
		catch (SQLException ex) {
			// No figures rather than no benchmark: PostgreSQL may run elsewhere.
		}
		return ticks;
	}


	/**
	 * PostgreSQL's CPU spent for one client program ({@code application_name}) that connects after
	 * the start and disconnects at its end, as pgbench does: its backends are found and their
	 * {@code /proc} ticks read every 50 ms while it runs, so each backend's CPU is known up to its
	 * last 50 ms (well under 1 % of a 10 s run).
	 */
	static final class Sampler {

		private final Map<Integer, Long> ticks = new ConcurrentHashMap<>();

		private final Thread thread;

		private volatile boolean running = true;

		Sampler(BenchmarkConfig config, String applicationName) {
			this.thread = new Thread(() -> sample(config, applicationName), "pgbench-cpu");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void sample(BenchmarkConfig config, String applicationName) {
			try (Connection connection = BenchData.connect(config);
					PreparedStatement statement = connection.prepareStatement(
							"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?")) {
				statement.setString(1, applicationName);
				while (this.running) {
					try (ResultSet rs = statement.executeQuery()) {
						while (rs.next()) {
							int pid = rs.getInt(1);
							long now = statTicks(Path.of("/proc", String.valueOf(pid), "stat"));
							this.ticks.merge(pid, now, Math::max);
						}
					}
					Thread.sleep(50);
				}
			}
			catch (SQLException ex) {
				// No figure rather than no floor: PostgreSQL may run elsewhere.
				this.ticks.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** Stops sampling; the CPU of the program's backends in microseconds, or null when none was read. */
		Long stop() {
			this.running = false;
			try {
				this.thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			long total = this.ticks.values().stream().mapToLong(Long::longValue).sum();
			return this.ticks.isEmpty() ? null : Math.round(total / TICKS_PER_SECOND * 1_000_000);
		}

	}

}
