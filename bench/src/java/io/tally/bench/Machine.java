package io.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the numbers were measured on. */
final class Machine {

	private Machine() {
	}

	static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter(line -> line.startsWith("model name"))
				.map(line -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return System.getProperty("os.arch");
		}
	}

	static double memoryGb() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo"))
				.stream()
				.filter(line -> line.startsWith("MemTotal:"))
				.map(line -> Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0 * 10) / 10.0)
				.findFirst()
				.orElse(0.0);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	static String postgresVersion(BenchmarkConfig config) {
		try (Connection connection = BenchData.connect(config); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT version(), current_setting('shared_buffers')")) {
			rs.next();
			return rs.getString(1).replaceAll(" on .*", "") + ", shared_buffers " + rs.getString(2);
		}
		catch (SQLException ex) {
			return "unknown";
		}
	}

}
