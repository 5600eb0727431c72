package io.tally.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tally.TallyApplication;
import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job with nothing configured: the demo finds the local PostgreSQL, loads its three
 * tenants, prints where to go, trusts only its own key, and every report answers every demo
 * tenant with real numbers. It uses a database of its own, dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class DemoIntegrationTests {

	private static final List<String> TENANTS = List.of("acme-plumbing", "fjord-fitness", "sakura-saas");

	private final String database = "tally_demo_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

	private ConfigurableApplicationContext demo;

	private GraphQlHttp graphQl;

	private DemoKeys keys;

	@BeforeAll
	void startTheDemo() {
		this.demo = new SpringApplicationBuilder(TallyApplication.class)
			.properties("tally.demo.database=" + this.database, "server.port=0", "management.server.port=0")
			.run();
		this.graphQl = new GraphQlHttp(((WebServerApplicationContext) this.demo).getWebServer().getPort());
		this.keys = this.demo.getBean(DemoKeys.class);
	}

	@AfterAll
	void dropItsDatabase() throws Exception {
		this.demo.close();
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + this.database + " WITH (FORCE)");
		}
	}

	@Test
	void printsTheGraphiqlAddressAndTokensThatWork(CapturedOutput output) {
		assertThat(output.getAll()).contains("Tally demo is ready", "/graphiql", "Portal user of acme-plumbing");
		// Plain or structured (JSON-escaped) logs alike: the token follows its label.
		Matcher token = Pattern.compile("Portal user of fjord-fitness:(?:\\\\n|\\s)+(eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+)")
			.matcher(output.getAll());
		assertThat(token.find()).as("a printed token for fjord-fitness").isTrue();
		String printed = token.group(1);

		Response response = this.graphQl.post(printed, null, "{ dailyRevenue { totals { ordersCreated } } }");

		assertThat(response.<Integer>path("$.data.dailyRevenue.totals.ordersCreated")).isPositive();
	}

	@Test
	void servesTheExamplePortalAndOffersItTheDemoTokens() {
		Response portal = this.graphQl.send("GET", "/portal/", Map.of());
		Response tokens = this.graphQl.send("GET", "/portal/sign-in-tokens.json", Map.of());

		assertThat(portal.status()).isEqualTo(200);
		assertThat(portal.body()).contains("Example customer portal");
		assertThat(tokens.<List<String>>path("$[*].label")).contains("Portal user of sakura-saas");
		String token = tokens.path("$[0].token");
		assertThat(this.graphQl.post(token, null, "{ viewer { tenant { id } } }").<String>path("$.data.viewer.tenant.id"))
			.isEqualTo("acme-plumbing");
	}

	@Test
	void answersEveryReportForEveryDemoTenantWithRealNumbers() {
		int year = LocalDate.now(ZoneOffset.UTC).minusMonths(1).getYear();
		for (String tenant : TENANTS) {
			String token = this.keys.token("test@" + tenant, Map.of("tenant_id", tenant, "scope", "analytics:read"),
					Duration.ofMinutes(5));
			// Two requests: at most tally.graphql.max-report-fields (5) report fields each.
			Response response = this.graphQl.post(token, null, """
					{
					  dailyRevenue { totals { ordersCreated revenueCents } }
					  planUsage { plans { activeSubscriptions totalApiCalls } }
					  upsell { totals { completedJobs } byProvider { providerId } }
					  jobProfit(first: 5) { edges { node { jobId } } totals { completedJobs } }
					}""");
			Response more = this.graphQl.post(token, null, """
					{
					  jobDurations { overall { completedJobs p90Hours } }
					  salesVsTarget(year: %d) { months { grossSalesCents targetCents } }
					  customerActivity(first: 5) { edges { node { customerId revenueRank } } }
					}""".formatted(year));

			assertThat(response.<Object>path("$.errors")).as(tenant + ": " + response.body()).isNull();
			assertThat(more.<Object>path("$.errors")).as(tenant + ": " + more.body()).isNull();
			assertThat(response.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).as(tenant).isPositive();
			assertThat(response.<List<Integer>>path("$.data.planUsage.plans[*].activeSubscriptions")).as(tenant)
				.anyMatch(count -> count > 0);
			assertThat(response.<Integer>path("$.data.upsell.totals.completedJobs")).as(tenant).isPositive();
			assertThat(response.<List<Object>>path("$.data.jobProfit.edges")).as(tenant).hasSize(5);
			assertThat(more.<Integer>path("$.data.jobDurations.overall.completedJobs")).as(tenant).isPositive();
			assertThat(more.<List<Integer>>path("$.data.salesVsTarget.months[*].grossSalesCents")).as(tenant)
				.hasSize(12)
				.anyMatch(cents -> cents > 0);
			assertThat(more.<List<Integer>>path("$.data.customerActivity.edges[*].node.revenueRank")).as(tenant)
				.hasSize(5)
				.first()
				.isEqualTo(1);
		}
	}

	@Test
	void trustsOnlyItsOwnKey() {
		String foreign = io.tally.support.TestIssuer.get().tenantUser("acme-plumbing");

		assertThat(this.graphQl.post(foreign, null, "{ dailyRevenue { totals { ordersCreated } } }").status())
			.isEqualTo(401);
	}

}
