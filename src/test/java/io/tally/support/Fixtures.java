package io.tally.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hand-made rows shared by tests, one SQL file per subject in {@code src/test/resources/fixtures},
 * with the answers they lead to worked out in its comments, so a fixture is read and reviewed as
 * SQL instead of pasted into Java strings.
 */
public final class Fixtures {

	private Fixtures() {
	}

	/** Inserts {@code fixtures/<name>.sql} into the test database. */
	public static void load(JdbcClient jdbc, String name) {
		String location = "fixtures/" + name + ".sql";
		try {
			jdbc.sql(new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8)).update();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
	}

}
