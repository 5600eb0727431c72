package io.tally.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import graphql.language.ObjectTypeExtensionDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;

/**
 * Prints the schema a portal or partner builds against, for TypeScript codegen: every report
 * (also as a subscription), the viewer and live updates, without the admin fields (those of
 * {@code admin.graphqls}) and the types only they use. Run by the build ({@code process-classes})
 * into {@code target/public-schema.graphqls}.
 */
public final class PublicSchema {

	private static final String ADMIN_FILE = "admin.graphqls";

	private PublicSchema() {
	}

	public static void main(String[] arguments) throws IOException {
		Path output = Path.of(arguments[1]);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, print(Path.of(arguments[0])), StandardCharsets.UTF_8);
	}

	static String print(Path schemaFolder) throws IOException {
		TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
		Set<String> adminFields = new HashSet<>();
		SchemaParser parser = new SchemaParser();
		try (Stream<Path> files = Files.list(schemaFolder)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".graphqls")).sorted().toList()) {
				TypeDefinitionRegistry part = parser.parse(Files.readString(file, StandardCharsets.UTF_8));
				if (file.getFileName().toString().equals(ADMIN_FILE)) {
					part.objectTypeExtensions()
						.values()
						.stream()
						.flatMap(List::stream)
						.map(ObjectTypeExtensionDefinition::getFieldDefinitions)
						.flatMap(List::stream)
						.forEach(field -> adminFields.add(field.getName()));
				}
				registry.merge(part);
			}
		}
		ReportSubscriptions.copyReportFields(registry, "report");
		GraphQLSchema full = UnExecutableSchemaGenerator.makeUnExecutableSchema(registry);
		GraphQLSchema publicSchema = full.transform(builder -> builder.clearAdditionalTypes()
			.query(withoutFields(full.getQueryType(), adminFields))
			.mutation(publicMutation(full.getMutationType(), adminFields))
			.subscription(full.getSubscriptionType()));
		return new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
			.includeDirectives(directive -> !directive.equals("report"))
			.includeDirectiveDefinitions(false)
			.includeSchemaDefinition(false)).print(publicSchema);
	}

	private static GraphQLObjectType publicMutation(GraphQLObjectType mutation, Set<String> adminFields) {
		if (mutation == null) {
			return null;
		}
		GraphQLObjectType kept = withoutFields(mutation, adminFields);
		return kept.getFieldDefinitions().isEmpty() ? null : kept;
	}

	private static GraphQLObjectType withoutFields(GraphQLObjectType type, Set<String> names) {
		List<GraphQLFieldDefinition> kept = type.getFieldDefinitions()
			.stream()
			.filter(field -> !names.contains(field.getName()))
			.toList();
		return type.transform(builder -> builder.clearFields().fields(kept));
	}

}
