package io.tally;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feature packages depend on each other in one direction only, tell each other of refreshes by
 * application events, and keep their classes small.
 */
class ArchitectureTests {

	/** Past this, a class does more than one thing (the house style's limit). */
	private static final int MAX_CLASS_LINES = 250;

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tally");

	@Test
	void featurePackagesAreFreeOfCycles() {
		slices().matching("io.tally.(*)..").should().beFreeOfCycles().check(this.classes);
	}

	@Test
	void freshnessAnnouncesRefreshesInsteadOfCallingTheCache() {
		noClasses().that()
			.resideInAPackage("io.tally.freshness..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tally.cache..")
			.check(this.classes);
	}

	@Test
	void noMainClassIsLongerThanTheHouseLimit() throws IOException {
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			Map<Path, Long> tooLong = files.filter(file -> file.toString().endsWith(".java"))
				.collect(Collectors.toMap(file -> file, ArchitectureTests::lines))
				.entrySet()
				.stream()
				.filter(entry -> entry.getValue() > MAX_CLASS_LINES)
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
			assertThat(tooLong).as("classes over %d lines", MAX_CLASS_LINES).isEmpty();
		}
	}

	private static long lines(Path file) {
		try (Stream<String> lines = Files.lines(file)) {
			return lines.count();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
