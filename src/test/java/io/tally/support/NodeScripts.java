package io.tally.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Node scripts of {@code src/test/js} (standard JavaScript GraphQL clients) against a
 * running Tally. Where Node or the pinned packages are missing the test is skipped, naming what to
 * install, unless the environment variable {@code CI} is set: CI installs them, so there a missing
 * piece fails the test.
 */
public final class NodeScripts {

	public static final Path DIRECTORY = Path.of("src", "test", "js");

	private NodeScripts() {
	}

	/** Starts {@code node script args…} in {@link #DIRECTORY}, its output readable line by line. */
	public static Process start(String script, String... args) throws IOException {
		requireNode();
		List<String> command = new ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).directory(DIRECTORY.toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private static void requireNode() {
		String missing = null;
		if (!onPath("node")) {
			missing = "Node.js is not installed: apt-get install nodejs npm, then npm ci in src/test/js";
		}
		else if (!Files.isDirectory(DIRECTORY.resolve("node_modules"))) {
			missing = "the pinned packages are not installed: npm ci in src/test/js";
		}
		if (missing != null) {
			if (System.getenv("CI") != null) {
				assertThat(missing).as("CI installs Node.js and the packages of src/test/js").isNull();
			}
			Assumptions.abort(missing);
		}
	}

	private static boolean onPath(String program) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

	/** Waits for a script to end and returns its exit code. */
	public static int exitCode(Process process, long seconds) throws InterruptedException {
		if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

}
