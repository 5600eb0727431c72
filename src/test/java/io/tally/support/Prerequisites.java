package io.tally.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a few tests need beyond a JDK and PostgreSQL: Debian's headless Chromium, or PostgreSQL's
 * server binaries to run a cluster of their own. Where it is missing such a test is skipped, saying
 * which Debian package enables it, so {@code ./mvnw verify} passes on a fresh machine; CI sets the
 * test's environment variable ({@code .ci/run}), and there a missing piece fails instead of hiding.
 * A class names what it needs with {@code @ExtendWith(Prerequisites.Chromium.class)} or
 * {@code @ExtendWith(Prerequisites.PostgresServer.class)}.
 */
public final class Prerequisites {

	/** Set to {@code true} where the browser tests must run (CI). */
	public static final String REQUIRE_BROWSER = "TALLY_TEST_REQUIRE_BROWSER";

	/** Set to {@code true} where the tests that run PostgreSQL clusters of their own must run (CI). */
	public static final String REQUIRE_REPLICA = "TALLY_TEST_REQUIRE_REPLICA";

	/** Debian's Chromium and its WebDriver. */
	public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** PostgreSQL 15's server binaries as Debian installs them. */
	public static final Path POSTGRES_BIN = Path.of("/usr/lib/postgresql/15/bin");

	/** The Debian package of each server-side tool a test may run. */
	private static final Map<String, String> POSTGRES_PACKAGES = Map.of("initdb", "postgresql-15", "pg_ctl",
			"postgresql-15", "postgres", "postgresql-15", "pg_basebackup", "postgresql-client-15");

	private Prerequisites() {
	}

	/**
	 * Skips a test class where Debian's headless Chromium or its driver is missing:
	 * {@code @ExtendWith(Prerequisites.Chromium.class)}.
	 */
	public static final class Chromium implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return check(context, browserMissing(), REQUIRE_BROWSER);
		}

	}

	/**
	 * Skips a test class where it cannot run PostgreSQL clusters of its own (a primary and a
	 * streaming replica): {@code @ExtendWith(Prerequisites.PostgresServer.class)}.
	 */
	public static final class PostgresServer implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return check(context, postgresServerMissing("initdb", "pg_ctl", "pg_basebackup"), REQUIRE_REPLICA);
		}

	}

	/**
	 * Enabled when {@code missing} is null; otherwise disabled with that reason (before anything of
	 * the class runs), or a failure when {@code requiredBy} is set to true.
	 */
	static ConditionEvaluationResult check(ExtensionContext context, String missing, String requiredBy) {
		if (missing == null) {
			return ConditionEvaluationResult.enabled("nothing missing");
		}
		if (Boolean.parseBoolean(System.getenv(requiredBy))) {
			throw new IllegalStateException(requiredBy + " is set, but " + missing);
		}
		String reason = missing + "; skipped (" + requiredBy + "=true makes this a failure)";
		// Failsafe's summary counts skipped tests without their reason: say it where it is seen.
		System.out.println("SKIPPED " + context.getDisplayName() + ": " + reason);
		return ConditionEvaluationResult.disabled(reason);
	}

	/** Null when Debian's headless Chromium and its driver are installed, otherwise what is missing. */
	public static String browserMissing() {
		if (!isProgram(CHROMIUM)) {
			return "no browser at " + CHROMIUM + " (apt-get install chromium chromium-driver)";
		}
		if (!isProgram(CHROMEDRIVER)) {
			return "no WebDriver at " + CHROMEDRIVER + " (apt-get install chromium-driver)";
		}
		return null;
	}

	/**
	 * Null when these PostgreSQL tools can run a cluster of the test's own, otherwise what is
	 * missing. PostgreSQL refuses to run as root, so the tests run it as user {@code postgres} with
	 * {@code runuser}, which needs root.
	 */
	public static String postgresServerMissing(String... tools) {
		if (!"root".equals(System.getProperty("user.name"))) {
			return "the tests do not run as root, so they cannot run PostgreSQL as the postgres user";
		}
		for (String tool : tools) {
			Path path = POSTGRES_BIN.resolve(tool);
			if (!isProgram(path)) {
				return "no " + path + " (apt-get install " + POSTGRES_PACKAGES.getOrDefault(tool, "postgresql-15") + ")";
			}
		}
		if (!isProgram(Path.of("/usr/sbin/runuser")) && !isProgram(Path.of("/sbin/runuser"))) {
			return "no runuser (apt-get install util-linux)";
		}
		return null;
	}

	/** A regular executable file: not a device or an empty mount hiding the program. */
	private static boolean isProgram(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

}
