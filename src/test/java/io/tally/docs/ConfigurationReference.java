package io.tally.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tally.*} properties as docs/configuration.md lists them, made from the configuration
 * metadata the build writes (spring-boot-configuration-processor, from the records' Javadoc). A
 * property bound to a list or map of records (issuers, limit overrides, per-report policies) is
 * one metadata entry but several settings, so each record component becomes a row of its own,
 * its meaning taken from the record's {@code @param} tag and its default from {@code @DefaultValue}.
 */
final class ConfigurationReference {

	static final String START = "<!-- The table below is generated: see ConfigurationReferenceTests. -->";

	static final String END = "<!-- End of the generated table. -->";

	private static final Pattern CODE = Pattern.compile("\\{@code ([^}]*)}");

	private final Map<String, Row> rows = new LinkedHashMap<>();

	private ConfigurationReference() {
	}

	/** One setting: its name as an operator writes it, its default and its meaning, as table cells. */
	record Row(String name, String defaultValue, String meaning) {

		String markdown() {
			return "| `" + this.name + "` | " + this.defaultValue + " | " + this.meaning + " |";
		}

	}

	static ConfigurationReference fromBuildMetadata() {
		ConfigurationReference reference = new ConfigurationReference();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			if (!name.startsWith("tally.")) {
				continue;
			}
			Class<?> nested = nestedRecord(property.get("type").asString());
			if (nested == null) {
				String description = property.has("description") ? property.get("description").asString() : "";
				reference.add(new Row(name, defaultCell(property.get("defaultValue")), sentence(description)));
			}
			else {
				String element = property.get("type").asString().startsWith("java.util.Map") ? ".<field>." : "[n].";
				Map<String, String> params = params(nested);
				RecordComponent[] components = nested.getRecordComponents();
				Parameter[] parameters = canonicalConstructor(nested).getParameters();
				for (int i = 0; i < components.length; i++) {
					// @DefaultValue sits on the constructor's parameter, not on the record component.
					DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
					reference.add(new Row(name + element + kebab(components[i].getName()), defaultCell(defaultValue),
							sentence(params.getOrDefault(components[i].getName(), ""))));
				}
			}
		}
		return reference;
	}

	Map<String, Row> rows() {
		return Collections.unmodifiableMap(this.rows);
	}

	String table() {
		List<String> lines = new ArrayList<>(List.of("| property | default | meaning |", "|---|---|---|"));
		this.rows.values().forEach(row -> lines.add(row.markdown()));
		return String.join("\n", lines);
	}

	/** The rows of the page's generated table, keyed by property name. */
	static Map<String, Row> rowsOf(String page) {
		int start = page.indexOf(START);
		int end = page.indexOf(END);
		if (start < 0 || end < start) {
			throw new IllegalStateException("docs/configuration.md has lost its markers: " + START + " ... " + END);
		}
		Map<String, Row> rows = new LinkedHashMap<>();
		Matcher row = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| (.*) \\|$", Pattern.MULTILINE)
			.matcher(page.substring(start, end));
		while (row.find()) {
			rows.put(row.group(1), new Row(row.group(1), row.group(2), row.group(3)));
		}
		return rows;
	}

	/** The page with its generated table replaced by this one. */
	String writeInto(String page) {
		int start = page.indexOf(START) + START.length();
		int end = page.indexOf(END);
		return page.substring(0, start) + "\n\n" + table() + "\n\n" + page.substring(end);
	}

	private void add(Row row) {
		this.rows.put(row.name(), row);
	}

	private static JsonNode metadata() {
		try {
			// The build's own file, not one of the same name in a dependency's jar.
			for (URL url : Collections.list(ConfigurationReference.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				if (url.getProtocol().equals("file")) {
					try (InputStream in = url.openStream()) {
						return JsonMapper.builder().build().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException("No META-INF/spring-configuration-metadata.json in target/classes: "
				+ "spring-boot-configuration-processor did not run");
	}

	/** The record a {@code List<...>} or {@code Map<String, ...>} property holds, or null. */
	private static Class<?> nestedRecord(String type) {
		Matcher element = Pattern.compile("^java\\.util\\.(?:List|Set|Map)<(?:java\\.lang\\.String,)?(io\\.tally\\.[\\w.$]+)>$")
			.matcher(type);
		if (!element.matches()) {
			return null;
		}
		try {
			Class<?> held = Class.forName(element.group(1));
			return held.isRecord() ? held : null;
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The {@code @param} tags of a nested record's Javadoc, read from its top-level class's source. */
	private static Map<String, String> params(Class<?> nested) {
		Class<?> top = nested;
		while (top.getEnclosingClass() != null) {
			top = top.getEnclosingClass();
		}
		Path source = Path.of("src/main/java", top.getName().replace('.', '/') + ".java");
		try {
			String text = Files.readString(source);
			Matcher javadoc = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public record " + nested.getSimpleName() + "\\(",
					Pattern.DOTALL)
				.matcher(text);
			if (!javadoc.find()) {
				throw new IllegalStateException("No Javadoc on record " + nested.getName() + " in " + source);
			}
			String comment = javadoc.group(1).replaceAll("(?m)^\\s*\\* ?", " ");
			Map<String, String> params = new LinkedHashMap<>();
			Matcher param = Pattern.compile("@param (\\w+)\\s+((?:(?!@param).)*)", Pattern.DOTALL).matcher(comment);
			while (param.find()) {
				params.put(param.group(1), param.group(2).replaceAll("\\s+", " ").trim());
			}
			return params;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String defaultCell(JsonNode value) {
		if (value == null || value.isNull()) {
			return "none";
		}
		String text = value.asString();
		// The processor writes a record's collection default as one string, "[a, b]".
		if (text.startsWith("[") && text.endsWith("]")) {
			String inner = text.substring(1, text.length() - 1).trim();
			return inner.isEmpty() ? "none" : defaultCell(inner.split(",\\s*"));
		}
		return "`" + text + "`";
	}

	private static String defaultCell(DefaultValue value) {
		return (value == null) ? "none" : defaultCell(value.value());
	}

	private static String defaultCell(String... values) {
		if (values.length == 0) {
			return "none";
		}
		List<String> items = new ArrayList<>();
		for (String item : values) {
			items.add("`" + item + "`");
		}
		return String.join(", ", items);
	}

	private static Constructor<?> canonicalConstructor(Class<?> record) {
		Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
		try {
			return record.getDeclaredConstructor(types);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sentence(String javadoc) {
		String text = CODE.matcher(javadoc.replaceAll("\\s+", " ").trim()).replaceAll("`$1`").replace("|", "\\|");
		return (text.isEmpty() || text.endsWith(".")) ? text : text + ".";
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

}
