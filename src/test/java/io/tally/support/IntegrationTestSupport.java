package io.tally.support;

import io.tally.TallyApplication;
import io.tally.catalog.ReportCatalog;
import io.tally.freshness.ReportRefresh;
import io.tally.freshness.ViewStatus;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole application on a random port, against this run's own PostgreSQL database and the
 * test identity provider. Every test class shares one context and keeps to tenants of its own.
 * Schedules are off so each test decides when views refresh. Pools keep one idle connection, not
 * ten: cached contexts of several test runs share one PostgreSQL and its 100 connections. The
 * refresh warm-up is off, so whether the first answer after a refresh comes from the view does
 * not depend on a background thread's timing; {@code RefreshWarmUpIntegrationTests} turns it on.
 * Tests that flood one tenant are about caching, so its request rate is high here
 * ({@code TenantLimitsIntegrationTests} tests the limits), and the actuator has a random port.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tally.freshness.scheduler-enabled=false", "tally.freshness.poll-interval=1s",
				// Cached test contexts stay alive for the whole run: let each keep one idle connection,
				// not ten, so parallel runs on one shared server do not exhaust its max_connections.
				"spring.datasource.hikari.minimum-idle=1", "spring.datasource.hikari.idle-timeout=10000",
				"tally.cache.warm-up-keys=0", "tally.limits.requests-per-second=1000", "tally.limits.burst=1000",
				"management.server.port=0" })
public abstract class IntegrationTestSupport {

	@LocalServerPort
	protected int port;

	/** The actuator's own port, apart from the API's. */
	@LocalManagementPort
	protected int managementPort;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	private ReportCatalog catalog;

	@Autowired
	private ReportRefresh refresh;

	protected final TestIssuer issuer = TestIssuer.get();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabase.get();
		registry.add("spring.datasource.url", database::jdbcUrl);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> TestIssuer.get().jwksUri());
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestIssuer.ISSUER);
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestIssuer.AUDIENCE);
	}

	/** Refreshes a report's view now, as an admin's refreshReport would, so fixtures become visible. */
	protected ViewStatus refreshReport(String report) {
		return this.refresh.refreshNow(this.catalog.find(report).orElseThrow());
	}

	protected GraphQlHttp graphQl() {
		return new GraphQlHttp(this.port);
	}

	/**
	 * A GraphQL tester over real HTTP to this instance, presenting a token; its documents are the
	 * {@code .graphql} files in {@code src/test/resources/graphql-test}.
	 */
	protected HttpGraphQlTester graphQlTester(String token) {
		return graphQlTester(token, null);
	}

	/** The same, picking a tenant with {@code X-Tenant-Id} unless it is null. */
	protected HttpGraphQlTester graphQlTester(String token, String tenant) {
		WebTestClient client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port + "/graphql")
			.defaultHeaders(headers -> {
				headers.setBearerAuth(token);
				if (tenant != null) {
					headers.set("X-Tenant-Id", tenant);
				}
			})
			.build();
		return HttpGraphQlTester.create(client);
	}

}
