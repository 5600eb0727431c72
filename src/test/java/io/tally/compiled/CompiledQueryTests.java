package io.tally.compiled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import graphql.execution.UnknownOperationException;
import graphql.language.Document;
import graphql.language.NodeUtil;
import graphql.parser.Parser;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import io.tally.pipeline.DocumentPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which documents are compiled: only queries whose every request execution would answer the same
 * way from the report rows, within the limits whatever their variables skip.
 */
class CompiledQueryTests {

	private static final Set<String> REPORTS = Set.of("dailyRevenue", "salesVsTarget", "customerActivity");

	private static final CompiledQuery.Limits LIMITS = new CompiledQuery.Limits(5, 12);

	private static GraphQLSchema schema;

	@BeforeAll
	static void schema() throws IOException {
		TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
		try (Stream<Path> files = Files.list(Path.of("schema"))) {
			for (Path file : files.sorted().toList()) {
				registry.merge(new SchemaParser().parse(Files.readString(file)));
			}
		}
		// Executable, so fields without a fetcher of their own read as the default fetcher reads them.
		RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
		for (String scalar : List.of("Date", "DateTime", "Long", "Decimal")) {
			wiring.scalar(GraphQLScalarType.newScalar().name(scalar).coercing(new Coercing<Object, Object>() {
			}).build());
		}
		schema = new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
	}

	@Test
	void compilesReportsWithAliasesFragmentsAndCollectionDirectives() {
		Optional<CompiledQuery> compiled = compile("""
				query Q($days: Boolean!) { __typename a: dailyRevenue { days @include(if: $days) { day } ...T }
				  ... on Query { b: salesVsTarget(year: 2026) { months { month } } } }
				fragment T on DailyRevenueReport { totals { revenueCents } freshness { servedFrom } }
				""", null);

		assertThat(compiled).isPresent();
		assertThat(compiled.get().reportFields()).isEqualTo(2);
		assertThat(compiled.get().operation().getName()).isEqualTo("Q");
	}

	@Test
	void picksTheNamedOperation() {
		assertThat(compile("query A { __typename } query B { dailyRevenue { totals { revenueCents } } }", "B"))
			.isPresent();
		assertThat(compile("query A { __typename } query B { dailyRevenue { totals { revenueCents } } }", "A"))
			.as("no report read").isEmpty();
		assertThat(compile("query A { __typename } query B { dailyRevenue { totals { revenueCents } } }", "C"))
			.as("no such operation").isEmpty();
	}

	@Test
	void leavesEverythingElseToExecution() {
		assertThat(compile("mutation { refreshReport(report: \"dailyRevenue\") { report } }", null)).as("mutation")
			.isEmpty();
		assertThat(compile("subscription { dailyRevenue { totals { revenueCents } } }", null)).as("subscription")
			.isEmpty();
		assertThat(compile("{ viewer { tenantId } dailyRevenue { totals { revenueCents } } }", null))
			.as("a root field that is no report").isEmpty();
		assertThat(compile("{ __schema { types { name } } dailyRevenue { totals { revenueCents } } }", null))
			.as("introspection").isEmpty();
		assertThat(compile("{ dailyRevenue { totals @defer { revenueCents } } }", null))
			.as("a directive other than @include and @skip").isEmpty();
		assertThat(compile("query @cached { dailyRevenue { totals { revenueCents } } }", null))
			.as("an operation directive").isEmpty();
		assertThat(compile("{ __typename }", null)).as("no report").isEmpty();
	}

	@Test
	void staysWithinTheLimitsWhateverTheVariablesSkip() {
		// Depth 4 when the skipped part is counted: connection, edges, node, field.
		assertThat(compile("{ customerActivity { edges { node { name } } } }", null)).isPresent();
		assertThat(compile("query ($no: Boolean = true) { customerActivity { edges @skip(if: $no) { node { name } } "
				+ "pageInfo { hasNextPage } } }", null)).isPresent();
		CompiledQuery.Limits shallow = new CompiledQuery.Limits(3, 100);
		assertThat(CompiledQuery.compile(plan("query ($no: Boolean = true) { customerActivity { pageInfo "
				+ "{ hasNextPage } edges @skip(if: $no) { node { name } } } }", null), schema, REPORTS::contains,
				shallow))
			.as("deeper than allowed once nothing is skipped").isEmpty();
		// 13 fields: the report, days and its six fields, totals and its four.
		assertThat(compile("{ dailyRevenue { days { day ordersCreated paidOrders failedOrders revenueCents "
				+ "rolling7dRevenueCents } totals { ordersCreated paidOrders revenueCents conversionRatePercent } } }",
				null))
			.as("more fields than allowed").isEmpty();
		assertThat(compile("{ dailyRevenue { __typename days { __typename day ordersCreated paidOrders failedOrders "
				+ "revenueCents } totals { ordersCreated paidOrders revenueCents } } }", null))
			.as("__typename counts for depth, not for the field count").isPresent();
	}

	private static Optional<CompiledQuery> compile(String document, String operationName) {
		return CompiledQuery.compile(plan(document, operationName), schema, REPORTS::contains, LIMITS);
	}

	/** A plan as the pipeline makes one, its report fields counted at the root (and one for a root fragment). */
	private static DocumentPlan plan(String text, String operationName) {
		Document document = Parser.parse(text);
		NodeUtil.GetOperationResult found;
		try {
			found = NodeUtil.getOperation(document, operationName);
		}
		catch (UnknownOperationException ex) {
			return new DocumentPlan(text, operationName, document, null, Map.of(), List.of(), false, 0, "");
		}
		int reportFields = (int) found.operationDefinition.getSelectionSet()
			.getSelections()
			.stream()
			.filter(selection -> selection instanceof graphql.language.Field field && REPORTS.contains(field.getName()))
			.count() + (operationName == null && text.contains("... on Query") ? 1 : 0);
		return new DocumentPlan(text, operationName, document, found.operationDefinition, found.fragmentsByName,
				List.of(), false, reportFields, "");
	}

}
