package io.tally.socket;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.tally.live.LiveSubscriptions;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.NodeScripts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real {@code graphql-ws} client, as Apollo Client's and urql's WebSocket links use it, run by
 * Node against this instance: a query, a subscription that hears a refresh, a refused token and
 * another tenant's header both closed with 4403.
 */
class GraphQlWsClientIntegrationTests extends IntegrationTestSupport {

	@Autowired
	LiveSubscriptions subscriptions;

	@Test
	void servesTheGraphQlWsClientAsApolloAndUrqlUseIt() throws Exception {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('wsn-a', 'Node A'), ('wsn-b', 'Node B') ON CONFLICT DO NOTHING;
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('wsn-a', 1, 'Ann', 'north') ON CONFLICT DO NOTHING;
				DELETE FROM app.orders WHERE tenant_id = 'wsn-a';
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
				  VALUES ('wsn-a', 1, '2026-05-01 12:00Z', 'paid', 4200);
				""").update();
		refreshReport("dailyRevenue");
		Process node = NodeScripts.start("graphql-ws-check.mjs", "ws://127.0.0.1:" + this.port + "/graphql",
				this.issuer.tenantUser("wsn-a"), "wsn-a", "wsn-b");
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
			DocumentContext query = JsonPath.parse(lines.readLine());
			assertThat(query.<Integer>read("$.query.data.dailyRevenue.totals.revenueCents")).isEqualTo(4200);

			assertThat(lines.readLine()).contains("subscribed");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.subscriptions.openFor("wsn-a") == 1);
			refreshReport("dailyRevenue");
			DocumentContext refreshed = JsonPath.parse(lines.readLine());
			assertThat(refreshed.<String>read("$.refreshed.data.reportRefreshed.report")).isEqualTo("dailyRevenue");

			DocumentContext refusedToken = JsonPath.parse(lines.readLine());
			assertThat(refusedToken.<Integer>read("$.refusedToken.code")).isEqualTo(4403);
			DocumentContext otherTenant = JsonPath.parse(lines.readLine());
			assertThat(otherTenant.<Integer>read("$.otherTenant.code")).isEqualTo(4403);
		}
		assertThat(NodeScripts.exitCode(node, 20)).isZero();
	}

}
