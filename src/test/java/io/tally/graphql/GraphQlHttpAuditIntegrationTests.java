package io.tally.graphql;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.NodeScripts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * graphql-http's own audit of the GraphQL over HTTP specification (npm {@code graphql-http},
 * pinned in {@code src/test/js}), every rule, MAY and SHOULD included, run as an admin against
 * this instance: a client library written to the specification works unchanged.
 */
class GraphQlHttpAuditIntegrationTests extends IntegrationTestSupport {

	@Test
	void passesEveryAuditOfTheGraphQlOverHttpSpecification() throws Exception {
		Process node = NodeScripts.start("graphql-http-audit.mjs", "http://127.0.0.1:" + this.port + "/graphql",
				this.issuer.admin(), "audit-tenant");
		List<String> notOk = new ArrayList<>();
		int audits = 0;
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				audits++;
				if (!"ok".equals(JsonPath.read(line, "$.status"))) {
					notOk.add(JsonPath.read(line, "$.id") + " " + JsonPath.read(line, "$.name") + ": "
							+ JsonPath.read(line, "$.reason"));
				}
			}
		}
		assertThat(NodeScripts.exitCode(node, 60)).isZero();
		assertThat(audits).as("audits run").isGreaterThan(50);
		assertThat(notOk).as("audits not ok").isEmpty();
	}

}
