package io.tally.tenancy;

import java.util.List;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a portal asks before it shows a report: who the token is, which tenants it may read with
 * their names and time zones, and which regions the tenant has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerIntegrationTests extends IntegrationTestSupport {

	private static final String VIEWER = "{ viewer { subject admin tenants { id name timeZone } tenant { id name timeZone } } }";

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('vw-a', 'Viewer A', 'Europe/Oslo'), ('vw-b', 'Viewer B', 'Asia/Tokyo'), ('vw-c', 'Viewer C', 'UTC');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES
				  ('vw-a', 1, 'Ann', 'north'), ('vw-a', 2, 'Bob', 'south'), ('vw-a', 3, 'Cid', 'north'),
				  ('vw-b', 1, 'Bea', 'west');
				""").update();
		refreshReport("regions");
	}

	@Test
	void tellsAPortalUserItsOneTenantWithNameAndTimeZone() {
		Response response = graphQl().post(this.issuer.tenantUser("vw-a"), null, VIEWER);

		assertThat(response.<String>path("$.data.viewer.subject")).isEqualTo("user@vw-a");
		assertThat(response.<Boolean>path("$.data.viewer.admin")).isFalse();
		assertThat(response.<List<String>>path("$.data.viewer.tenants[*].id")).containsExactly("vw-a");
		assertThat(response.<String>path("$.data.viewer.tenant.name")).isEqualTo("Viewer A");
		assertThat(response.<String>path("$.data.viewer.tenant.timeZone")).isEqualTo("Europe/Oslo");
	}

	@Test
	void tellsAPartnerItsTenantsAndWhichOneTheHeaderPicked() {
		String partner = this.issuer.partner("vw-a", "vw-b");

		Response unpicked = graphQl().post(partner, null, VIEWER);
		Response picked = graphQl().post(partner, "vw-b", VIEWER);

		assertThat(unpicked.<List<String>>path("$.data.viewer.tenants[*].id")).containsExactly("vw-a", "vw-b");
		assertThat(unpicked.<Object>path("$.data.viewer.tenant")).isNull();
		assertThat(picked.<String>path("$.data.viewer.tenant.timeZone")).isEqualTo("Asia/Tokyo");
	}

	@Test
	void asksAPartnerWithoutATenantChoiceToPickOneOfItsTenantsByName() {
		graphQl().post(this.issuer.partner("vw-a", "vw-b"), null, "{ regions { regions { region } } }")
			.assertBadRequest("X-Tenant-Id", "vw-a, vw-b");
	}

	@Test
	void listsTheTenantsRegionsWithTheirCustomersAndNoOtherTenants() {
		Response a = graphQl().post(this.issuer.tenantUser("vw-a"), null,
				"{ regions { regions { region customers } freshness { description } } }");
		Response b = graphQl().post(this.issuer.tenantUser("vw-b"), null, "{ regions { regions { region } } }");

		assertThat(a.<List<String>>path("$.data.regions.regions[*].region")).containsExactly("north", "south");
		assertThat(a.<List<Integer>>path("$.data.regions.regions[*].customers")).containsExactly(2, 1);
		assertThat(a.<String>path("$.data.regions.freshness.description")).startsWith("Updated ");
		assertThat(b.<List<String>>path("$.data.regions.regions[*].region")).containsExactly("west");
	}

}
