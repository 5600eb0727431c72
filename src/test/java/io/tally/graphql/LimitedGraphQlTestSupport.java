package io.tally.graphql;

import io.tally.support.IntegrationTestSupport;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application with small GraphQL limits, no answer cache (so every report read reaches
 * PostgreSQL) and a counter of the statements requests send, shared by the tests that attack
 * the limits.
 */
@Import(StatementCounter.class)
@TestPropertySource(properties = { "tally.graphql.max-depth=3", "tally.graphql.max-complexity=6",
		"tally.graphql.max-document-characters=300", "tally.graphql.max-document-tokens=43",
		"tally.cache.enabled=false" })
abstract class LimitedGraphQlTestSupport extends IntegrationTestSupport {

}
