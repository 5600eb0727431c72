package io.tally.graphql;

import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad value written into the document reads like the same value sent as a variable: the
 * argument and what is wrong with it, without graphql-java's rule names or syntax tree.
 */
class LiteralMessagesIntegrationTests extends IntegrationTestSupport {

	@Test
	void explainsAnImpossibleDateLiteralWithoutGraphqlJavaInternals() {
		Response response = graphQl().post(this.issuer.tenantUser("lit-a"), null,
				"{ dailyRevenue(from: \"2026-02-30\") { totals { revenueCents } } }");

		assertThat(response.errorMessage()).isEqualTo(
				"Argument 'from' has an invalid value: Expected a date such as \"2026-03-01\" but got '2026-02-30'");
		assertThat(response.body()).doesNotContain("StringValue", "WrongType", "@[");
	}

	@Test
	void saysTheSameAsForTheValueSentAsAVariable() {
		Response variable = graphQl().post(this.issuer.tenantUser("lit-a"), null,
				"query($from: Date) { dailyRevenue(from: $from) { totals { revenueCents } } }",
				Map.of("from", "2026-02-30"));

		assertThat(variable.errorMessage()).contains("Expected a date such as \"2026-03-01\" but got '2026-02-30'");
	}

}
