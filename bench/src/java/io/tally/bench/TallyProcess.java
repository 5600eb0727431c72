package io.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tally as it is deployed: the packaged jar ({@code target/tally-*.jar}, which the bench profile's
 * {@code verify} has just built) in a JVM of its own with the container image's JVM flags, so the
 * throughput rows measure the server alone, not the server sharing the harness's JVM (its heap,
 * its threads, its compiled code, the timing filter). The harness reads the server's CPU from
 * {@code /proc}; with {@code bench.jfr} the process records from its start and the measured rows'
 * windows are read from the recording after it exits (attaching to a running JVM to start one
 * de-optimised it, and once crashed it).
 */
final class TallyProcess implements AutoCloseable {

	/**
	 * The image's JVM flags (pom.xml, Jib's {@code jvmFlags}) with the Helm chart's default memory
	 * limit (1 GiB) standing in for the container's: the heap is 75 % of it.
	 */
	static final String DEFAULT_JVM_OPTIONS = "-XX:MaxRAM=1g -XX:+UseParallelGC -XX:MaxRAMPercentage=75 "
			+ "-XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError";

	private static final Duration STARTUP = Duration.ofMinutes(3);

	private static int started;

	private final Process process;

	private final String base;

	private final Path log;

	private final Path recording;

	private final List<Jfr.Window> windows = new ArrayList<>();

	private TallyProcess(Process process, String base, Path log, Path recording) {
		this.process = process;
		this.base = base;
		this.log = log;
		this.recording = recording;
	}

	/**
	 * Starts the jar with these properties (as command-line arguments, which win over
	 * {@code application.yaml}) and waits until it is ready.
	 */
	static TallyProcess start(BenchmarkConfig config, String label, Map<String, Object> properties, Path jar) {
		return start(config, label, properties, jar, jvmOptions());
	}

	/** The same with these JVM flags. */
	static TallyProcess start(BenchmarkConfig config, String label, Map<String, Object> properties, Path jar,
			String jvmOptions) {
		int port = freePort();
		String name = "tally-" + (++started) + "-" + label.replaceAll("[^A-Za-z0-9]+", "-");
		Path log = Path.of("target", "bench-server", name + ".log").toAbsolutePath();
		Path recording = config.jfr() ? Path.of("target", "bench-jfr", name + ".jfr").toAbsolutePath() : null;
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
		if (recording != null) {
			// Deeper stacks than JFR's default 64 frames: a request passes some thirty filters, and a
			// truncated stack loses the frames that say which request path a sample belongs to.
			command.add("-XX:FlightRecorderOptions=stackdepth=256");
			command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
		}
		command.add("-jar");
		command.add(jar.toString());
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--server.port=" + port);
		// The health endpoint on the API's connector, as in the harness's own contexts.
		command.add("--management.server.port=");
		try {
			Files.createDirectories(log.getParent());
			if (recording != null) {
				Files.createDirectories(recording.getParent());
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			TallyProcess server = new TallyProcess(process, "http://127.0.0.1:" + port, log, recording);
			BenchData.log("started Tally as its own process (pid %d, %s, %s): %s", process.pid(), jvmOptions,
					jar.getFileName(), log);
			server.awaitReady();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The server's JVM flags: {@code -Dbench.server-jvm-options}, else the image's. */
	static String jvmOptions() {
		String options = System.getProperty("bench.server-jvm-options");
		return (options != null && !options.isBlank()) ? options.trim() : DEFAULT_JVM_OPTIONS;
	}

	String base() {
		return this.base;
	}

	long pid() {
		return this.process.pid();
	}

	/** A row to be summarised from the recording once the process has written it ({@code bench.jfr}). */
	void profile(Jfr.Window window) {
		if (this.recording != null) {
			this.windows.add(window);
		}
	}

	boolean recording() {
		return this.recording != null;
	}

	private void awaitReady() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Tally exited while starting (" + this.process.exitValue() + "): "
						+ tail());
			}
			try {
				HttpResponse<Void> response = http.send(
						HttpRequest.newBuilder(URI.create(this.base + "/actuator/health/readiness"))
							.timeout(Duration.ofSeconds(2))
							.build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(Duration.ofMillis(250));
		}
		close();
		throw new IllegalStateException("Tally was not ready within " + STARTUP.toSeconds() + " s: " + tail());
	}

	/** Stops the server (SIGTERM: a graceful shutdown, which also writes the recording) and summarises its rows. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.recording != null && Files.isReadable(this.recording)) {
			this.windows.forEach(window -> window.summarise(this.recording));
		}
	}

	private String tail() {
		try (Stream<String> lines = Files.lines(this.log)) {
			List<String> all = lines.toList();
			return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/** This build's jar. */
	static Path jar() {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(file -> file.getFileName().toString().matches("tally-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"no target/tally-*.jar: the bench profile runs after package (./mvnw -Pbench -DskipTests verify)"))
				.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
