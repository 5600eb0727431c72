package io.tally.tenancy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only admins learn the schema: introspection is an error for everyone else, and their
 * validation errors name no type of the schema and suggest no field.
 */
class SchemaExposureIntegrationTests extends IntegrationTestSupport {

	private static final String SCHEMA = "{ __schema { queryType { name } types { name } } }";

	private static final String MISSPELT = "{ dailyRevenue { totalz { revenueCents } } }";

	@Test
	void refusesIntrospectionToAPortalUserAndShowsNoSchema() {
		Response response = graphQl().post(this.issuer.tenantUser("exp-a"), null, SCHEMA);

		assertThat(response.<Object>path("$.errors")).isNotNull();
		assertThat(response.<Object>path("$.data.__schema")).isNull();
		assertThat(response.body()).doesNotContain("DailyRevenueReport").doesNotContain("Freshness");
	}

	@Test
	void refusesTypeIntrospectionToAPartner() {
		Response response = graphQl().post(this.issuer.partner("exp-a", "exp-b"), "exp-a",
				"{ __type(name: \"DailyRevenueReport\") { fields { name } } }");

		assertThat(response.<Object>path("$.errors")).isNotNull();
		assertThat(response.body()).doesNotContain("revenueCents").doesNotContain("totals");
	}

	@Test
	void showsTheSchemaToAnAdmin() {
		Response response = graphQl().post(this.issuer.admin(), null, SCHEMA);

		assertThat(response.<Object>path("$.errors")).isNull();
		assertThat(response.<String>path("$.data.__schema.queryType.name")).isEqualTo("Query");
		assertThat(response.<List<String>>path("$.data.__schema.types[*].name")).contains("DailyRevenueReport",
				"Freshness");
	}

	@Test
	void answersIntrospectionWithoutATokenWith401() {
		assertThat(graphQl().post(null, null, SCHEMA).status()).isEqualTo(401);
	}

	@Test
	void namesNoSchemaTypeNorSuggestionInAPortalUsersValidationError() {
		Response response = graphQl().post(this.issuer.tenantUser("exp-a"), null, MISSPELT);

		assertThat(response.errorMessage()).isEqualTo("The document is invalid at line 1, column 18");
		assertThat(response.body()).doesNotContain("DailyRevenueReport")
			.doesNotContainIgnoringCase("did you mean")
			.doesNotContain("totals");
	}

	@Test
	void namesNoTypeToAPortalUserWhoseFragmentConditionsOnAWrongType() {
		Response response = graphQl().post(this.issuer.tenantUser("exp-a"), null,
				"{ dailyRevenue { totals { ... on DailyRevenueDay { day } } } }");

		assertThat(response.errorMessage()).startsWith("The document is invalid at line 1");
		assertThat(response.body()).doesNotContain("DailyRevenueDay").doesNotContain("DailyRevenueTotals");
	}

	@Test
	void namesNoLeafTypeToAPortalUserWhoSelectsInsideALeaf() {
		Response response = graphQl().post(this.issuer.tenantUser("exp-a"), null,
				"{ dailyRevenue { totals { revenueCents { x } } } }");

		assertThat(response.errorMessage()).startsWith("The document is invalid at line 1");
		assertThat(response.body()).doesNotContain("Long");
	}

	@Test
	void answersAFragmentOnAMissingTypeAndOnAnExistingTypeAlike() {
		String missing = graphQl().post(this.issuer.tenantUser("exp-a"), null,
				"{ planUsage { ...F } } fragment F on NoSuchType { planId }").errorMessage();
		String existing = graphQl().post(this.issuer.tenantUser("exp-a"), null,
				"{ planUsage { ...F } } fragment F on Freshness { planId }").errorMessage();

		assertThat(List.of(missing, existing)).allSatisfy(message -> assertThat(message).startsWith("The document is invalid")
			.doesNotContain("NoSuchType")
			.doesNotContain("Freshness")
			.doesNotContainIgnoringCase("unknown"));
	}

	@Test
	void saysWhereAFragmentOnAMissingTypeIsWithoutNamingIt() {
		Response response = graphQl().post(this.issuer.tenantUser("exp-a"), null,
				"{ planUsage { ...F } }\n  fragment F on NoSuchType { planId }");

		assertThat(response.errorMessage()).isEqualTo("The document is invalid at line 2, column 3");
		assertThat(response.<Integer>path("$.errors[0].locations[0].line")).isEqualTo(2);
		assertThat(response.<Integer>path("$.errors[0].locations[0].column")).isEqualTo(3);
	}

	@Test
	void tellsAnAdminWhichTypeLacksTheField() {
		Response response = graphQl().post(this.issuer.admin(), "exp-a", MISSPELT);

		assertThat(response.errorMessage()).contains("totalz").contains("DailyRevenueReport");
	}

	@Test
	void servesTheGraphiQlPageWhichCannotLoadASchemaWithoutAnAdminToken() throws Exception {
		HttpResponse<String> page = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphiql")).build(),
					HttpResponse.BodyHandlers.ofString());

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).containsIgnoringCase("graphiql").doesNotContain("DailyRevenueReport");
	}

}
