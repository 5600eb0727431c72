package io.tally.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * The SQL files of one view's folder, found by the field each one fills: {@code by_provider.sql}
 * fills {@code byProvider}, by the same snake-case rule that maps columns to fields.
 */
final class SqlFolder {

	private final String location;

	private final Map<String, Resource> byField = new TreeMap<>();

	SqlFolder(ResourceLoader resourceLoader, String location) {
		this.location = location;
		try {
			for (Resource file : ResourcePatternUtils.getResourcePatternResolver(resourceLoader)
				.getResources(location + "*.sql")) {
				String name = file.getFilename();
				this.byField.put(JdbcUtils.convertUnderscoreNameToPropertyName(name.substring(0, name.length() - 4)),
						file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + location, ex);
		}
	}

	String location() {
		return this.location;
	}

	/** The file filling a field, e.g. {@code …/daily_revenue/days.sql}; null when there is none. */
	String file(String field) {
		Resource file = this.byField.get(field);
		return (file != null) ? this.location + file.getFilename() : null;
	}

	/** The query filling a field; null when there is no file for it. */
	String sql(String field) {
		Resource file = this.byField.get(field);
		if (file == null) {
			return null;
		}
		try {
			return file.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

}
