package io.tally.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import graphql.language.AbstractDescribedNode;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the numbers live in the schema, where GraphiQL's docs show them: every type, every
 * field (the report fields of {@code Query} included) and every enum value of {@code schema/}
 * carries a description.
 */
class SchemaDescriptionsTests {

	@Test
	void everyTypeFieldAndEnumValueOfTheShippedSchemaIsDescribed() throws IOException {
		TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
		try (Stream<Path> files = Files.list(Path.of("schema"))) {
			for (Path file : files.filter(path -> path.toString().endsWith(".graphqls")).sorted().toList()) {
				registry.merge(new SchemaParser().parse(Files.readString(file)));
			}
		}
		List<String> undescribed = new ArrayList<>();
		for (TypeDefinition<?> type : registry.types().values()) {
			boolean root = type.getName().equals("Query") || type.getName().equals("Mutation");
			if (!root) {
				check(undescribed, type.getName(), type);
			}
			if (type instanceof ObjectTypeDefinition object) {
				object.getFieldDefinitions().forEach(field -> check(undescribed, type.getName() + "." + field.getName(), field));
			}
			if (type instanceof EnumTypeDefinition enumType) {
				enumType.getEnumValueDefinitions()
					.forEach(value -> check(undescribed, type.getName() + "." + value.getName(), value));
			}
		}
		registry.objectTypeExtensions()
			.values()
			.stream()
			.flatMap(List::stream)
			.forEach(extension -> extension.getFieldDefinitions()
				.forEach(field -> check(undescribed, extension.getName() + "." + field.getName(), field)));
		registry.scalars()
			.values()
			.stream()
			.filter(scalar -> scalar.getSourceLocation() != null)
			.forEach(scalar -> check(undescribed, scalar.getName(), scalar));

		assertThat(undescribed).as("schema elements without a description").isEmpty();
		assertThat(registry.objectTypeExtensions().get("Query").stream().flatMap(q -> q.getFieldDefinitions().stream()))
			.extracting(FieldDefinition::getName)
			.contains("dailyRevenue", "planUsage", "upsell", "jobProfit", "jobDurations", "salesVsTarget",
					"customerActivity");
	}

	private static void check(List<String> undescribed, String name, Object node) {
		if (node instanceof AbstractDescribedNode<?> described
				&& (described.getDescription() == null || described.getDescription().getContent().isBlank())) {
			undescribed.add(name);
		}
	}

}
