package io.tally.tenancy;

import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer Tally serves, not only its pages, allows content from its own origin only and
 * cannot be framed.
 */
class SecurityHeadersIntegrationTests extends IntegrationTestSupport {

	@Test
	void sendsAnOwnOriginContentSecurityPolicyWithEveryAnswer() {
		Response answered = graphQl().post(this.issuer.tenantUser("hdr-a"), null, "{ viewer { subject } }");
		Response refused = graphQl().post(null, null, "{ viewer { subject } }");
		Response missing = graphQl().send("GET", "/no-such-page", Map.of());
		Response page = graphQl().send("GET", "/graphiql", Map.of());

		assertThat(List.of(answered, refused, missing, page)).allSatisfy(response -> {
			assertThat(response.header("Content-Security-Policy")).as(response.status() + " " + response.body())
				.contains("default-src 'self'")
				.contains("frame-ancestors 'none'")
				.doesNotContain("http");
			assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
		});
	}

}
