package io.tally.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/** The tenant ids a fixture's {@code INSERT INTO app.tenants} lists, each first in its row. */
	private static final Pattern TENANTS = Pattern.compile("INSERT INTO app\\.tenants\\b[^;]*", Pattern.CASE_INSENSITIVE);

	private static final Pattern TENANT_ID = Pattern.compile("\\(\\s*'([a-z0-9][a-z0-9-]*)'");

	/**
	 * Inserts {@code fixtures/<name>.sql} into the test database, first removing the tenants it
	 * makes and all their rows, so loading it again (a rerun) leaves the same rows.
	 */
	public static void load(JdbcClient jdbc, String name) {
		String location = "fixtures/" + name + ".sql";
		String sql;
		try {
			sql = new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
		FixtureTenants.remove(jdbc, tenants(sql));
		jdbc.sql(sql).update();
	}

	static Set<String> tenants(String sql) {
		Set<String> tenants = new LinkedHashSet<>();
		Matcher statement = TENANTS.matcher(sql);
		while (statement.find()) {
			Matcher id = TENANT_ID.matcher(statement.group());
			while (id.find()) {
				tenants.add(id.group(1));
			}
		}
		return tenants;
	}

}
