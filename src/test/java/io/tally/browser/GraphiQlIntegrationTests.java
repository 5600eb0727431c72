package io.tally.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphiQL as an admin meets it: a page and scripts served by Tally itself under a policy that
 * allows only this origin, and the schema loaded with the very introspection query GraphiQL
 * sends (captured from its Docs panel loading), which nests deeper than report queries may.
 */
class GraphiQlIntegrationTests extends IntegrationTestSupport {

	@Test
	void servesThePageAndItsScriptsFromTheJarUnderAnOwnOriginPolicy() {
		GraphQlHttp http = graphQl();
		Response page = http.send("GET", "/graphiql", Map.of());

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "script-src 'self'")
			.doesNotContain("unsafe-inline", "http");
		assertThat(page.body()).doesNotContain("https://", "http://", "<script>").contains("X-Tenant-Id");
		for (String asset : List.of("/webjars/graphiql/graphiql.min.js", "/webjars/react/umd/react.production.min.js",
				"/webjars/react-dom/umd/react-dom.production.min.js", "/webjars/graphiql/graphiql.min.css",
				"/graphiql/graphiql-page.js")) {
			assertThat(http.send("GET", asset, Map.of()).status()).as(asset).isEqualTo(200);
		}
		assertThat(http.send("GET", "/graphiql/graphiql-page.js", Map.of()).body())
			.contains("shouldPersistHeaders: false", "Authorization", "X-Tenant-Id");
		assertThat(http.send("GET", "/graphiql/sign-in-tokens.json", Map.of()).body())
			.as("no demo users to offer outside the demo").isEqualTo("[]");
	}

	@Test
	void givesAnAdminTheWholeSchemaWithGraphiqlsOwnIntrospectionQuery() throws IOException {
		String introspection = new ClassPathResource("graphiql/introspection-query.graphql")
			.getContentAsString(StandardCharsets.UTF_8);

		Response response = graphQl().post(this.issuer.admin(), null, introspection);

		assertThat(response.<Object>path("$.errors")).as(response.body()).isNull();
		assertThat(response.<List<String>>path("$.data.__schema.types[*].name")).contains("DailyRevenueReport",
				"Freshness", "Viewer");
	}

	@Test
	void stillRefusesThatIntrospectionToEveryoneElse() throws IOException {
		String introspection = new ClassPathResource("graphiql/introspection-query.graphql")
			.getContentAsString(StandardCharsets.UTF_8);

		Response response = graphQl().post(this.issuer.tenantUser("gq-a"), null, introspection);

		assertThat(response.<Object>path("$.data.__schema")).isNull();
		assertThat(response.body()).doesNotContain("DailyRevenueReport");
	}

	@Test
	void keepsTheDepthLimitForAnAdminsDocumentThatAlsoReadsMoreThanTheSchema() throws IOException {
		String introspection = new ClassPathResource("graphiql/introspection-query.graphql")
			.getContentAsString(StandardCharsets.UTF_8);
		String mixed = introspection.replaceFirst("__schema \\{", "tenants { id } __schema {");

		Response response = graphQl().post(this.issuer.admin(), null, mixed);

		assertThat(response.errorMessage()).contains("depth");
	}

}
