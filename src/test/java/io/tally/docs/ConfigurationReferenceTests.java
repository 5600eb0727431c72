package io.tally.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.tally.docs.ConfigurationReference.Row;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists exactly the {@code tally.*} settings the application binds, each with
 * the default it really has, as the build's configuration metadata says. After adding or changing
 * a property, regenerate the table with
 * {@code ./mvnw -o -q test -Dtest=ConfigurationReferenceTests -Dtally.docs.regenerate=true}; the
 * generated table is also written to {@code target/configuration-table.md} on every run.
 */
class ConfigurationReferenceTests {

	private static final Path PAGE = Path.of("docs/configuration.md");

	private final ConfigurationReference metadata = ConfigurationReference.fromBuildMetadata();

	@Test
	void listsEveryBoundPropertyAndNoOther() throws IOException {
		String page = Files.readString(PAGE);
		if (Boolean.getBoolean("tally.docs.regenerate")) {
			page = this.metadata.writeInto(page);
			Files.writeString(PAGE, page);
		}
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target/configuration-table.md"), this.metadata.table() + "\n");
		Map<String, Row> listed = ConfigurationReference.rowsOf(page);

		Set<String> missing = new TreeSet<>(this.metadata.rows().keySet());
		missing.removeAll(listed.keySet());
		Set<String> unbound = new TreeSet<>(listed.keySet());
		unbound.removeAll(this.metadata.rows().keySet());

		assertThat(missing).as("bound but missing from docs/configuration.md (see target/configuration-table.md)").isEmpty();
		assertThat(unbound).as("named in docs/configuration.md but bound by no class").isEmpty();
	}

	@Test
	void statesEachPropertysRealDefault() throws IOException {
		Map<String, Row> listed = ConfigurationReference.rowsOf(Files.readString(PAGE));

		this.metadata.rows().forEach((name, row) -> {
			if (listed.containsKey(name)) {
				assertThat(listed.get(name).defaultValue()).as("default of %s", name).isEqualTo(row.defaultValue());
			}
		});
	}

	@Test
	void givesEveryPropertyAMeaningFromItsJavadoc() {
		assertThat(this.metadata.rows()).hasSizeGreaterThan(50);
		this.metadata.rows().forEach((name, row) -> {
			assertThat(row.meaning()).as("meaning of %s (a Javadoc @param sentence on its record)", name).isNotBlank();
			// The processor finds a record's @param tag by name prefix: with maxSubscribersPerTenant
			// documented before maxSubscribers, maxSubscribers got "PerTenant The most ...".
			assertThat(row.meaning()).as("meaning of %s starts mid-name", name).doesNotMatch("^[A-Z][a-z]+[A-Z]\\w* .*");
		});
	}

	@Test
	void expandsListsAndMapsOfRecordsIntoOneRowPerSetting() {
		assertThat(this.metadata.rows()).containsKeys("tally.tenancy.issuers[n].issuer-uri",
				"tally.tenancy.issuers[n].trusted-documents-only", "tally.limits.overrides[n].max-report-fields",
				"tally.reports.<field>.history-refresh")
			.doesNotContainKeys("tally.tenancy.issuers", "tally.reports");
		assertThat(this.metadata.rows().get("tally.tenancy.issuers[n].trusted-documents-only").defaultValue())
			.isEqualTo("`false`");
	}

	@Test
	void findsAPropertyThePageNamesButNoClassBinds() {
		String page = ConfigurationReference.START + "\n| property | default | meaning |\n|---|---|---|\n"
				+ "| `tally.cache.enabled` | `true` | Whether. |\n| `tally.cache.no-such-thing` | `1` | Nothing. |\n"
				+ ConfigurationReference.END;

		assertThat(ConfigurationReference.rowsOf(page)).containsOnlyKeys("tally.cache.enabled", "tally.cache.no-such-thing");
		assertThat(this.metadata.rows()).containsKey("tally.cache.enabled").doesNotContainKey("tally.cache.no-such-thing");
	}

}
