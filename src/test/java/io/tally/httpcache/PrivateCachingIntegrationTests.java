package io.tally.httpcache;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ReportCatalog;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GET answer is private in fact: it varies on the headers that pick the caller and the tenant,
 * and a 304 is given only once every check of the pipeline has passed for this caller, so the
 * right {@code If-None-Match} opens nothing a caller could not read in full.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivateCachingIntegrationTests extends IntegrationTestSupport {

	private static final String PARTNER_ISSUER = "https://partner.test";

	private static final String REVENUE = "{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }";

	@Autowired
	AnswerTags tags;

	@Autowired
	ReportCatalog catalog;

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		registry.add("tally.tenancy.issuers[0].issuer-uri", () -> TestIssuer.ISSUER);
		registry.add("tally.tenancy.issuers[0].jwk-set-uri", () -> TestIssuer.get().jwksUri());
		registry.add("tally.tenancy.issuers[0].audiences", () -> TestIssuer.AUDIENCE);
		registry.add("tally.tenancy.issuers[0].allowed-tenants", () -> "*");
		registry.add("tally.tenancy.issuers[1].issuer-uri", () -> PARTNER_ISSUER);
		registry.add("tally.tenancy.issuers[1].jwk-set-uri", () -> TestIssuer.get().jwksUri());
		registry.add("tally.tenancy.issuers[1].audiences", () -> TestIssuer.AUDIENCE);
		registry.add("tally.tenancy.issuers[1].allowed-tenants", () -> "*");
		registry.add("tally.tenancy.issuers[1].trusted-documents-only", () -> "true");
		registry.add("tally.limits.overrides[0].role", () -> "one-report");
		registry.add("tally.limits.overrides[0].max-report-fields", () -> "1");
	}

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('pc-a', 'Private A') ON CONFLICT DO NOTHING;
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('pc-a', 1, 'Ann', 'north')
				  ON CONFLICT DO NOTHING;
				DELETE FROM app.orders WHERE tenant_id = 'pc-a';
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('pc-a', 1, '2026-05-01 12:00Z', 'paid', 5100);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void variesEveryAnswerOnTheHeadersThatPickTheCallerAndTheTenant() {
		Response answer = get(this.issuer.tenantUser("pc-a"), REVENUE, null);
		Response revalidated = get(this.issuer.tenantUser("pc-a"), REVENUE, answer.header("ETag"));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Cache-Control")).startsWith("private, max-age=");
		assertThat(vary(answer)).contains("Authorization", "X-Tenant-Id");
		assertThat(revalidated.status()).isEqualTo(304);
		assertThat(vary(revalidated)).contains("Authorization", "X-Tenant-Id");
	}

	@Test
	void refusesAnUntrustedDocumentToAPartnerHeldToTrustedDocumentsWhateverItsIfNoneMatch() {
		String partner = TestIssuer.get()
			.token("partner", Map.of("tenant_id", "pc-a", "scope", "analytics:read"), PARTNER_ISSUER,
					java.time.Instant.now().plusSeconds(600));
		// The tag the partner's answer would have: every part of it is known to the partner.
		String etag = this.tags.current(new AnswerTags.Who("pc-a", "partner", REVENUE, null, Map.of()),
				List.of(this.catalog.find("dailyRevenue").orElseThrow())).get(0).etag();

		Response response = get(partner, REVENUE, etag);

		assertThat(response.status()).as(response.body()).isNotEqualTo(304);
		assertThat(response.errorType()).isEqualTo("FORBIDDEN");
		assertThat(response.errorMessage()).contains("only trusted documents");
		assertThat(response.header("ETag")).isNull();
	}

	@Test
	void holdsACappedCallerToItsCapWhateverItsIfNoneMatch() {
		String document = "{ a: dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } "
				+ "b: dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }";
		String capped = this.issuer.token("capped@pc-a",
				Map.of("tenant_id", "pc-a", "roles", List.of("one-report"), "scope", "analytics:read"));
		String etag = this.tags.current(new AnswerTags.Who("pc-a", "capped@pc-a", document, null, Map.of()),
				List.of(this.catalog.find("dailyRevenue").orElseThrow(), this.catalog.find("dailyRevenue").orElseThrow()))
			.get(0)
			.etag();

		Response response = get(capped, document, etag);

		assertThat(response.status()).isNotEqualTo(304);
		assertThat(response.errorMessage()).contains("at most 1");
	}

	private Response get(String token, String document, String ifNoneMatch) {
		Map<String, String> headers = (ifNoneMatch != null)
				? Map.of("Authorization", "Bearer " + token, "If-None-Match", ifNoneMatch)
				: Map.of("Authorization", "Bearer " + token);
		return graphQl().send("GET", "/graphql?query=" + URLEncoder.encode(document, StandardCharsets.UTF_8), headers);
	}

	private static String vary(Response response) {
		return String.join(", ", response.headers().allValues("Vary"));
	}

}
