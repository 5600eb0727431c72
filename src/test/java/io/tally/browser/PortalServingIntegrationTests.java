package io.tally.browser;

import java.util.Map;

import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment with a database serves no example portal and hands out no tokens unless
 * {@code tally.portal.enabled} says so.
 */
class PortalServingIntegrationTests extends IntegrationTestSupport {

	@Test
	void servesNeitherThePortalNorDemoTokensInAProductionDeployment() {
		assertThat(graphQl().send("GET", "/portal/", Map.of()).status()).isEqualTo(404);
		assertThat(graphQl().send("GET", "/portal/portal.js", Map.of()).status()).isEqualTo(404);
		assertThat(graphQl().send("GET", "/portal/sign-in-tokens.json", Map.of()).status()).isEqualTo(404);
	}

}
