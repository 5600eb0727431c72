package io.tally.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.tally.support.GraphQlHttp;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Shops;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric the chart's Grafana dashboard queries is one the application exports on
 * {@code /actuator/prometheus} of its management port, so no panel stays empty for a name that
 * was never (or is no longer) written. Meters registered on first use are brought about first: a
 * report answered from the view, from the cache and as a compiled document, a refresh, a request
 * refused for too many report fields, and a second refresh evicting the cached answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardIntegrationTests extends IntegrationTestSupport {

	private static final Path DASHBOARD = Path.of("helm/tally/dashboards/tally.json");

	private static final String REVENUE = "query ($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) { totals { revenueCents } } }";

	/** PromQL words that are not metric names (functions are told apart by their parenthesis). */
	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset");

	@BeforeAll
	void traffic() {
		// A tenant of this run's own, so a rerun by Failsafe finds no fixture left from the first try.
		String tenant = "gd-" + UUID.randomUUID().toString().substring(0, 8);
		Shops.withOnePaidOrder(this.jdbc, "2026-04-10T12:00:00Z", Map.of(tenant, 100));
		refreshReport("dailyRevenue");
		String token = this.issuer.tenantUser(tenant);
		GraphQlHttp http = graphQl();
		for (String day : new String[] { "2026-04-10", "2026-04-11", "2026-04-10" }) {
			assertThat(http.post(token, null, REVENUE, Map.of("from", day, "to", day)).status()).isEqualTo(200);
		}
		String sixReports = IntStream.range(0, 6)
			.mapToObj(i -> "r" + i + ": regions { regions { region } }")
			.collect(Collectors.joining(" ", "{ ", " }"));
		assertThat(http.post(token, null, sixReports).errorType()).isEqualTo("BAD_REQUEST");
		// Cached answers of an older generation are evicted once the refresh reaches the cache.
		refreshReport("dailyRevenue");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> GraphQlHttp.get(this.managementPort, "/actuator/prometheus").body().contains("tally_cache_evictions_total"));
	}

	@Test
	void queriesOnlyMetricsTheApplicationExports() throws IOException {
		Set<String> queried = queriedMetrics(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));
		GraphQlHttp.Response scrape = GraphQlHttp.get(this.managementPort, "/actuator/prometheus");
		Set<String> exported = exportedMetrics(scrape.body());

		assertThat(scrape.status()).isEqualTo(200);
		assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(15).contains("tally_cache_gets_total");
		Set<String> missing = new TreeSet<>(queried);
		missing.removeAll(exported);
		assertThat(missing).as("queried by helm/tally/dashboards/tally.json but not on /actuator/prometheus").isEmpty();
	}

	@Test
	void readsMetricNamesOutOfPromQl() {
		assertThat(namesIn("sum by (report, result) (rate(tally_cache_gets_total{job=~\"$job\", result=\"hit\"}[$__rate_interval]))"
				+ " / on (job) max(http_server_requests_seconds_max{uri=\"/graphql\"}) or vector(0)"))
			.containsExactlyInAnyOrder("tally_cache_gets_total", "http_server_requests_seconds_max");
		assertThat(namesIn("label_values(tally_refresh_age_seconds, job)")).containsExactly("tally_refresh_age_seconds");
	}

	private static Set<String> queriedMetrics(JsonNode dashboard) {
		Set<String> names = new TreeSet<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.path("targets")) {
				names.addAll(namesIn(target.get("expr").asString()));
			}
		}
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if (variable.path("type").asString().equals("query")) {
				names.addAll(namesIn(variable.get("definition").asString()));
			}
		}
		return names;
	}

	static Set<String> namesIn(String promQl) {
		String bare = promQl.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
			.replaceAll("\\{[^}]*}", "")
			.replaceAll("\\[[^]]*]", "")
			.replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
		// label_values(metric, label): the label after the comma is not a metric.
		bare = bare.replaceAll("(label_values\\s*\\(\\s*[A-Za-z_:][\\w:]*)\\s*,\\s*\\w+", "$1");
		Set<String> names = new TreeSet<>();
		Matcher word = Pattern.compile("(?<![\\w$.])([A-Za-z_:][\\w:]*)(\\s*\\()?").matcher(bare);
		while (word.find()) {
			if (word.group(2) == null && !KEYWORDS.contains(word.group(1))) {
				names.add(word.group(1));
			}
		}
		return names;
	}

	private static Set<String> exportedMetrics(String exposition) {
		Set<String> names = new TreeSet<>();
		for (String line : exposition.split("\n")) {
			Matcher sample = Pattern.compile("^([A-Za-z_:][\\w:]*)[{ ]").matcher(line);
			if (sample.find()) {
				names.add(sample.group(1));
			}
		}
		return names;
	}

}
