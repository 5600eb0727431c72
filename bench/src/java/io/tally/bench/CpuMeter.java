package io.tally.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time spent per request, by the server's JVM and by the PostgreSQL backends connected to
 * the bench database (read from {@code /proc}, so only when PostgreSQL runs on this machine, as
 * on loopback). Unlike requests a second, CPU per request hardly moves when other work shares the
 * cores, so it compares two code paths on a busy machine.
 */
final class CpuMeter {

	/** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU time in hundredths of a second. */
	private static final double TICKS_PER_SECOND = 100;

	private final BenchmarkConfig config;

	private final long jvmNanos;

	private final Map<Integer, Long> backendTicks;

	private CpuMeter(BenchmarkConfig config) {
		this.config = config;
		this.jvmNanos = jvmCpuNanos();
		this.backendTicks = backendTicks(config);
	}

	static CpuMeter start(BenchmarkConfig config) {
		return new CpuMeter(config);
	}

	/**
	 * @param requests the requests answered since the start
	 * @param requestThreadNanos the CPU time the requests' own threads used ({@link ServerTiming})
	 * @return microseconds of CPU per request: the request threads', the whole JVM's and the
	 * backends' (backends that left in between are not counted), or null without requests
	 */
	Map<String, Long> perRequest(long requests, long requestThreadNanos) {
		if (requests <= 0) {
			return null;
		}
		long jvm = jvmCpuNanos() - this.jvmNanos;
		long ticks = 0;
		for (Map.Entry<Integer, Long> backend : backendTicks(this.config).entrySet()) {
			Long before = this.backendTicks.get(backend.getKey());
			if (before != null) {
				ticks += backend.getValue() - before;
			}
		}
		return Map.of("requestMicros", requestThreadNanos / 1000 / requests, "jvmMicros", jvm / 1000 / requests,
				"postgresMicros",
				Math.round(ticks / TICKS_PER_SECOND * 1_000_000 / requests));
	}

	private static long jvmCpuNanos() {
		return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
					// Fields after the command name, which is in parentheses and may hold spaces.
					String line = Files.readString(stat);
					String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
					ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
				}
			}
		}
		catch (SQLException | IOException ex) {
			// No figures rather than no benchmark: PostgreSQL may run elsewhere.
		}
		return ticks;
	}

}
