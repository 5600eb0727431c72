package io.tally.reports;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportColumn;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.support.ConnectionPages;
import io.tally.support.Fixtures;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relay paging, once for every connection report the catalog holds, so a new connection report is
 * covered without a test of its own: read in pages of 1, 2 and 3 under its default arguments, it
 * gives exactly the nodes of one big page, in the same order, without gaps or repeats, in as many
 * pages as that takes, and the same totals on every page ({@code fixtures/paging.sql}). The
 * document asks for every field of the report's node, as the catalog knows them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionPagingIntegrationTests extends IntegrationTestSupport {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@Autowired
	ReportCatalog catalog;

	@BeforeAll
	void fixture() {
		Fixtures.load(this.jdbc, "paging");
		connectionReports().forEach(this::refreshReport);
	}

	Stream<String> connectionReports() {
		return this.catalog.all().stream().filter(ReportDefinition::connection).map(ReportDefinition::field);
	}

	@Test
	void theShippedConnectionReportsAreAllCovered() {
		assertThat(connectionReports()).contains("jobProfit", "customerActivity");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("connectionReports")
	void readsEveryNodeOnceInOrderWhateverThePageSize(String field) {
		String document = document(this.catalog.find(field).orElseThrow());
		Function<Map<String, Object>, GraphQlTester.Response> query = variables -> graphQlTester(
				this.issuer.tenantUser("pg-a"))
			.document(document)
			.variables(variables)
			.execute();
		List<Map<String, Object>> all = query.apply(Map.of("first", 500))
			.path(field + ".edges[*].node")
			.entityList(MAP)
			.get();
		assertThat(all).as("%s has rows to page through", field).hasSizeGreaterThanOrEqualTo(5);

		for (int first = 1; first <= 3; first++) {
			ConnectionPages pages = ConnectionPages.walk(query, field, Map.of(), first);

			assertThat(pages.nodes()).as("%s, first: %d", field, first).isEqualTo(all);
			assertThat(pages.count()).as("%s, first: %d", field, first).isEqualTo((all.size() + first - 1) / first);
			assertThat(pages.totals()).as("%s, first: %d: the same totals on every page", field, first)
				.allSatisfy(totals -> assertThat(totals).isEqualTo(pages.totals().get(0)));
		}
	}

	/** Every field of the node and, when the connection has them, its totals. */
	private static String document(ReportDefinition report) {
		StringBuilder selection = new StringBuilder();
		for (ReportSection section : report.sections()) {
			String fields = section.columns().stream().map(ReportColumn::field).collect(Collectors.joining(" "));
			if (section.shape() == ReportSection.Shape.EDGES) {
				selection.append(" edges { cursor node { ").append(fields).append(" } }");
			}
			else {
				selection.append(' ').append(section.field()).append(" { ").append(fields).append(" }");
			}
		}
		return "query($first: Int, $after: String) { " + report.field() + "(first: $first, after: $after) {"
				+ selection + " pageInfo { hasNextPage hasPreviousPage endCursor } } }";
	}

}
