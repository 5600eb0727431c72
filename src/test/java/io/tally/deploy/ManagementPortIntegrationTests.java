package io.tally.deploy;

import java.util.Map;

import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API port serves GraphQL (and GraphiQL) only; health and metrics are on the management port
 * ({@code management.server.port}), which a deployment keeps to the cluster.
 */
class ManagementPortIntegrationTests extends IntegrationTestSupport {

	@Test
	void servesNoActuatorEndpointOnTheApiPort() {
		for (String path : new String[] { "/actuator/prometheus", "/actuator/health/liveness", "/actuator" }) {
			GraphQlHttp.Response anonymous = graphQl().send("GET", path, Map.of());
			GraphQlHttp.Response admin = graphQl().send("GET", path, Map.of("Authorization", "Bearer " + this.issuer.admin()));

			assertThat(anonymous.status()).as(path).isIn(401, 404);
			assertThat(admin.status()).as(path + " with a token").isEqualTo(404);
			assertThat(anonymous.body() + admin.body()).doesNotContain("jvm_").doesNotContain("\"UP\"");
		}
	}

	@Test
	void servesHealthAndMetricsOnTheManagementPort() {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		assertThat(GraphQlHttp.get(this.managementPort, "/actuator/health/liveness").status()).isEqualTo(200);
		GraphQlHttp.Response metrics = GraphQlHttp.get(this.managementPort, "/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

}
