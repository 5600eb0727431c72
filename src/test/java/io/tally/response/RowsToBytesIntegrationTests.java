package io.tally.response;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tally.graphql.PipelineOrder;
import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A miss of a compiled document is written from the rows straight to the answer's bytes, and the
 * kept answer sends those bytes again: neither goes through per-field execution or a map of the
 * answer. Seen from just outside the response cache, where every answer of both paths passes; the
 * answers' JSON is the same as execution's (the equivalence suite proves that, this proves the
 * path).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(RowsToBytesIntegrationTests.AnswerData.class)
class RowsToBytesIntegrationTests extends IntegrationTestSupport {

	private static final String DOCUMENT = """
			query Days($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) {
			    days { day revenueCents paidOrders }
			    totals { revenueCents }
			    freshness { servedFrom refreshedAt }
			} }""";

	@Autowired
	private AnswerData answers;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES ('rb-a', 'Bytes A', 'UTC');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'rb-a', 'A', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('rb-a', 1, '2026-04-01 10:00Z', 'paid', 1100), ('rb-a', 1, '2026-04-03 10:00Z', 'paid', 1300);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void aCompiledMissAndItsKeptAnswerAreWrittenBytes() {
		String token = this.issuer.tenantUser("rb-a");
		GraphQlHttp http = graphQl();
		// The first answer of a document is executed; a clean one compiles it.
		GraphQlHttp.Response executed = http.post(token, null, DOCUMENT, Map.of("from", "2026-04-01", "to", "2026-04-02"));
		assertThat(executed.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(1100);
		assertThat(this.answers.last()).isNotInstanceOf(AnswerTemplate.Rendered.class);

		GraphQlHttp.Response written = http.post(token, null, DOCUMENT, Map.of("from", "2026-04-01", "to", "2026-04-04"));
		assertThat(written.<Integer>path("$.data.dailyRevenue.totals.revenueCents")).isEqualTo(2400);
		assertThat(written.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("VIEW");
		assertThat(this.answers.last()).isInstanceOf(AnswerTemplate.Rendered.class);

		GraphQlHttp.Response kept = http.post(token, null, DOCUMENT, Map.of("from", "2026-04-01", "to", "2026-04-04"));
		assertThat(kept.<List<Object>>path("$.data.dailyRevenue.days")).isEqualTo(written.path("$.data.dailyRevenue.days"));
		assertThat(kept.<String>path("$.data.dailyRevenue.freshness.servedFrom")).isEqualTo("CACHE");
		assertThat(this.answers.last()).isInstanceOf(AnswerTemplate.Rendered.class);
	}

	/** Notes the data of every answer as it leaves the response cache. */
	@TestConfiguration(proxyBeanMethods = false)
	static class AnswerData {

		private final List<Object> data = new CopyOnWriteArrayList<>();

		@Bean
		@Order(PipelineOrder.REVALIDATION + 1)
		WebGraphQlInterceptor answerData() {
			return (request, chain) -> chain.next(request)
				.doOnNext(response -> this.data.add(response.getExecutionResult().getData()));
		}

		Object last() {
			return this.data.get(this.data.size() - 1);
		}

	}

}
