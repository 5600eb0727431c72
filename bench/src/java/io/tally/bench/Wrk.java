package io.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * One fixed-duration {@code wrk} run: 2 threads, N connections, one POST (or GET) repeated, so throughput is
 * measured the way a field load test measures it (open connections kept busy, not a closed loop
 * of one request per thread). A Lua {@code done} hook prints the exact figures as one JSON line.
 */
final class Wrk {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String SCRIPT = """
			wrk.method = os.getenv("WRK_METHOD")
			if wrk.method == "POST" then
			  local f = io.open(os.getenv("WRK_BODY"), "rb")
			  wrk.body = f:read("*a")
			  f:close()
			  wrk.headers["Content-Type"] = "application/json"
			end
			wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
			wrk.headers["%s"] = os.getenv("WRK_ROW")
			done = function(summary, latency, requests)
			  local e = summary.errors
			  io.write(string.format('WRK {"requests":%%d,"errors":%%d,"micros":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\\n',
			    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
			    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
			end
			""".formatted(ServerTiming.HEADER);

	private Wrk() {
	}

	static boolean available() {
		try {
			return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() <= 1;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * @param url the GraphQL endpoint
	 * @param token the bearer token
	 * @param body the JSON body, POSTed; null sends a GET
	 * @param row the server-timing row the requests are recorded under
	 * @param connections open connections over 2 threads
	 * @param duration how long
	 * @return the client-side figures, empty when wrk failed
	 */
	static Optional<Stats> run(String url, String token, String body, String row, int connections, Duration duration) {
		try {
			Path dir = Files.createTempDirectory("tally-wrk");
			Path script = Files.writeString(dir.resolve("post.lua"), SCRIPT);
			Path bodyFile = Files.writeString(dir.resolve("body.json"), (body != null) ? body : "");
			List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections,
					"-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "10s", "-s", script.toString(), url));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dir.resolve("out.txt").toFile());
			builder.environment().putAll(Map.of("WRK_BODY", bodyFile.toString(), "WRK_TOKEN", token, "WRK_ROW", row,
					"WRK_METHOD", (body != null) ? "POST" : "GET"));
			Process process = builder.start();
			if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return Optional.empty();
			}
			String output = Files.readString(dir.resolve("out.txt"));
			String line = output.lines().filter(l -> l.startsWith("WRK ")).findFirst().orElse(null);
			if (process.exitValue() != 0 || line == null) {
				BenchData.log("wrk failed: %s", output);
				return Optional.empty();
			}
			Map<?, ?> figures = json.readValue(line.substring(4), Map.class);
			double seconds = number(figures, "micros") / 1e6;
			long requests = (long) number(figures, "requests");
			return Optional.of(new Stats(requests, (long) number(figures, "errors"), seconds, requests / seconds,
					number(figures, "p50") / 1000, number(figures, "p95") / 1000, number(figures, "p99") / 1000,
					number(figures, "max") / 1000));
		}
		catch (IOException ex) {
			BenchData.log("wrk not run: %s", ex.getMessage());
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	private static double number(Map<?, ?> figures, String name) {
		return ((Number) figures.get(name)).doubleValue();
	}

}
