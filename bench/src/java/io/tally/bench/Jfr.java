package io.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code -Dbench.jfr=true}: the JFR samples of one measured wrk row, taken from the recording (JDK
 * {@code profile} settings) that Tally's own process keeps from its start (see {@link Window}), summarised
 * from its {@code jdk.ExecutionSample} events: the samples' own frames and the frames they pass
 * through, by library and by method. Every summary of the run goes into one short text file.
 */
final class Jfr {

	private static final StringBuilder summaries = new StringBuilder();

	/** The libraries a frame is counted under, by class name prefix; the first match wins. */
	private static final Map<String, String> AREAS = areas();

	/**
	 * A measured row of a server in its own process ({@link TallyProcess}), which records from its
	 * start: the row's samples are those between {@link #open} and {@link #close}, summarised once
	 * the process has exited and written its recording.
	 */
	static final class Window {

		private final Path output;

		private final String row;

		private final Instant from = Instant.now();

		private Instant to;

		private String note;

		private Window(Path output, String row) {
			this.output = output;
			this.row = row;
		}

		/** A window opening now, or null when {@code bench.jfr} is off or the server does not record. */
		static Window open(BenchmarkConfig config, TallyProcess server, String row) {
			if (!config.jfr() || config.jfrOutput() == null || !server.recording()) {
				return null;
			}
			Window window = new Window(config.jfrOutput(), row);
			server.profile(window);
			return window;
		}

		void close(String note) {
			this.to = Instant.now();
			this.note = note;
		}

		void summarise(Path recording) {
			if (this.to == null) {
				return;
			}
			try {
				write(this.output, summary(recording, this.row, this.note, this.from, this.to));
				BenchData.log("JFR of %s: %s, %s to %s", this.row, recording, this.from, this.to);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	private static void write(Path output, String summary) throws IOException {
		synchronized (summaries) {
			summaries.append(summary);
			Path out = output.toAbsolutePath();
			Files.createDirectories(out.getParent());
			Files.writeString(out, "JFR profiles of the benchmark (-Dbench.jfr=true): JDK 'profile' settings, "
					+ "jdk.ExecutionSample events of each measured row only.\n"
					+ "self: the sample's top frame; through: any frame of the sample's stack.\n"
					+ "A profiled row's own figures (req/s, CPU per request) carry the recording's cost.\n" + summaries);
		}
	}

	/** The samples of the recording, or of those taken between {@code from} and {@code to} when given. */
	static String summary(Path file, String row, String note, Instant from, Instant to) throws IOException {
		Map<String, Integer> selfArea = new HashMap<>();
		Map<String, Integer> throughArea = new HashMap<>();
		Map<String, Integer> selfMethod = new HashMap<>();
		Map<String, Integer> throughMethod = new HashMap<>();
		Map<String, Integer> threads = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			RecordedStackTrace stack = event.getStackTrace();
			if (!"jdk.ExecutionSample".equals(event.getEventType().getName()) || stack == null
					|| stack.getFrames().isEmpty()
					|| (from != null && (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)))) {
				continue;
			}
			samples++;
			String thread = (event.getThread("sampledThread") != null)
					? event.getThread("sampledThread").getJavaName() : "?";
			threads.merge(String.valueOf(thread).replaceAll("\\d+", "#"), 1, Integer::sum);
			List<RecordedFrame> frames = stack.getFrames();
			String top = method(frames.get(0));
			selfMethod.merge(top, 1, Integer::sum);
			selfArea.merge(area(top), 1, Integer::sum);
			Set<String> methods = new HashSet<>();
			Set<String> areas = new HashSet<>();
			for (RecordedFrame frame : frames) {
				String method = method(frame);
				methods.add(method);
				areas.add(area(method));
			}
			methods.forEach(m -> throughMethod.merge(m, 1, Integer::sum));
			areas.forEach(a -> throughArea.merge(a, 1, Integer::sum));
		}
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n== %s: %d samples (%s; %s)%n", row, samples,
				note, file.getFileName()));
		if (samples == 0) {
			return out.toString();
		}
		int total = samples;
		Function<Integer, String> pct = n -> String.format(Locale.ROOT, "%5.1f%%", 100.0 * n / total);
		out.append("-- by library: self, through\n");
		throughArea.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.forEach(e -> out.append(String.format(Locale.ROOT, "  %-28s %s %s%n", e.getKey(),
					pct.apply(selfArea.getOrDefault(e.getKey(), 0)), pct.apply(e.getValue()))));
		out.append("-- top 20 methods, self\n");
		top(selfMethod, 20).forEach(e -> out.append("  " + pct.apply(e.getValue()) + " " + e.getKey() + "\n"));
		out.append("-- top 25 methods under 90% of the samples, through\n");
		top(throughMethod, Integer.MAX_VALUE).stream()
			.filter(e -> e.getValue() < 0.9 * total)
			.limit(25)
			.forEach(e -> out.append("  " + pct.apply(e.getValue()) + " " + e.getKey() + "\n"));
		out.append("-- threads\n");
		top(threads, 8).forEach(e -> out.append("  " + pct.apply(e.getValue()) + " " + e.getKey() + "\n"));
		return out.toString();
	}

	private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts, int limit) {
		return counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.limit(limit)
			.toList();
	}

	private static String method(RecordedFrame frame) {
		// A lambda's hidden class is named per JVM run: its number is no part of where time went.
		return (frame.getMethod() != null) ? frame.getMethod().getType().getName().replaceAll("\\$\\$Lambda.*$", "\\$\\$Lambda")
				+ "." + frame.getMethod().getName() : "?";
	}

	private static String area(String method) {
		return AREAS.entrySet()
			.stream()
			.filter(e -> method.startsWith(e.getKey()))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse("other");
	}

	private static Map<String, String> areas() {
		Map<String, String> areas = new LinkedHashMap<>();
		areas.put("io.tally.", "Tally");
		areas.put("org.apache.tomcat.", "Tomcat");
		areas.put("org.apache.coyote.", "Tomcat");
		areas.put("org.apache.catalina.", "Tomcat");
		areas.put("jakarta.servlet.", "Tomcat");
		areas.put("org.springframework.security.", "Spring Security");
		areas.put("org.springframework.graphql.", "Spring for GraphQL");
		areas.put("org.springframework.web.", "Spring MVC");
		areas.put("org.springframework.", "Spring (other)");
		areas.put("graphql.", "graphql-java");
		areas.put("io.micrometer.", "Micrometer");
		areas.put("tools.jackson.", "Jackson");
		areas.put("com.fasterxml.jackson.", "Jackson");
		areas.put("org.postgresql.", "pgjdbc");
		areas.put("com.zaxxer.hikari.", "HikariCP");
		areas.put("com.github.benmanes.caffeine.", "Caffeine");
		areas.put("com.nimbusds.", "Nimbus JOSE");
		areas.put("reactor.", "Reactor");
		areas.put("ch.qos.logback.", "Logback");
		areas.put("org.slf4j.", "Logback");
		areas.put("java.", "JDK");
		areas.put("javax.", "JDK");
		areas.put("jdk.", "JDK");
		areas.put("sun.", "JDK");
		return areas;
	}

}
